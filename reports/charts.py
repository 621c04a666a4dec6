"""Chart data for the pages (drawn by Chart.js) and bar charts as inline SVG for
the PDF (WeasyPrint runs no JavaScript). Both come from the stored figures."""

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

COLORS = ("#0d6efd", "#adb5bd", "#fd7e14", "#198754")


def _number(value):
    return float(Decimal(value or "0"))


def report_chart_data(figures_a):
    """What static/js/reports.js draws: the 13-month trend and the month by grade."""
    trend = figures_a.get("trend", [])
    grades = figures_a.get("by_grade", [])
    return {
        "trend": {
            "labels": [row["month"] for row in trend],
            "series": [
                {"label": _("Purchase amount"), "data": [_number(r["amount"]) for r in trend]}
            ],
        },
        "grades": {
            "labels": [row["grade"] for row in grades],
            "series": [
                {"label": _("This month"), "data": [_number(r["amount"]) for r in grades]},
                {"label": _("Last month"), "data": [_number(r["prev_amount"]) for r in grades]},
                {
                    "label": _("Same month last year"),
                    "data": [_number(r["yoy_amount"]) for r in grades],
                },
            ],
        },
    }


def managers_chart_data(rows):
    """The region page: each manager's purchase amount this month and last month."""
    labels, current, previous = [], [], []
    for row in rows:
        report = row["report"]
        if not report or not report.figures:
            continue
        labels.append(str(row["manager"]))
        current.append(_number(report.figures["total"]["amount"]))
        previous.append(_number(report.figures["total"]["prev_amount"]))
    return {
        "managers": {
            "labels": labels,
            "series": [
                {"label": _("This month"), "data": current},
                {"label": _("Last month"), "data": previous},
            ],
        }
    }


def _fmt(value):
    if value >= 10000:
        return f"{value / 10000:.1f}万"
    return f"{value:,.0f}"


def bar_chart_svg(chart, *, width=520, height=190):
    """A grouped bar chart as SVG markup. Labels are escaped; numbers are floats."""
    labels, series = chart["labels"], chart["series"]
    if not labels:
        return ""
    left, right, top, bottom = 48, 8, 18, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([value for s in series for value in s["data"]] + [0]) or 1
    group_w = plot_w / len(labels)
    bar_w = max(group_w * 0.8 / len(series), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-size="8" font-family="Noto Sans CJK SC">'
    ]
    for step in range(5):
        value = peak * step / 4
        y = top + plot_h - plot_h * step / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="#ddd" stroke-width="0.5"/>'
            f'<text x="{left - 3}" y="{y + 3:.1f}" text-anchor="end" fill="#555">'
            f"{escape(_fmt(value))}</text>"
        )
    for index, label in enumerate(labels):
        x0 = left + group_w * index + group_w * 0.1
        for series_index, s in enumerate(series):
            value = s["data"][index]
            bar_h = plot_h * value / peak
            x = x0 + bar_w * series_index
            parts.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - bar_h:.1f}" width="{bar_w:.1f}" '
                f'height="{bar_h:.1f}" fill="{COLORS[series_index % len(COLORS)]}"/>'
            )
        parts.append(
            f'<text x="{left + group_w * (index + 0.5):.1f}" y="{height - bottom + 11}" '
            f'text-anchor="middle" fill="#333">{escape(label)}</text>'
        )
    legend_x = left
    for series_index, s in enumerate(series):
        parts.append(
            f'<rect x="{legend_x}" y="{height - 12}" width="8" height="8" '
            f'fill="{COLORS[series_index % len(COLORS)]}"/>'
            f'<text x="{legend_x + 11}" y="{height - 5}" fill="#333">{escape(s["label"])}</text>'
        )
        legend_x += 14 + 9 * len(s["label"]) + 20
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped
