"""The KPI dashboards of the home page and ``/api/kpis/``: the figures each role is
judged by, read from the ``crm.kpis`` registry and the apps' figure functions.

Each dashboard is a fixed number of queries whatever the number of rows: one
or two per figure, however many managers or regions it covers. Charts are
dicts that ``static/js/kpis.js`` draws; each carries the same numbers as a
table (``table``) for screen readers and for copying.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import months as month_tools
from core.templatetags.crm_format import amount
from crm import kpis
from crm.access import leads_region, sees_all, user_scope, works_customers
from crm.models import Region, User
from visits import kpis as visit_kpis

TREND_MONTHS = 13


# Formatting: the chart gets numbers, the table the same numbers written out. ------------


def _percent(share):
    return None if share is None else round(share * 100, 1)


def value_of(kpi, ratio):
    """The number a chart draws for ``ratio`` (a percentage or an index), or None."""
    if ratio is None:
        return None
    share = ratio.share
    if share is None:
        return None
    if kpi.unit == "rate":
        return round(share * 100, 2)
    return _percent(share)


def text_of(kpi, ratio):
    """The table's words for ``ratio``: "87.5% (35 / 40)", "82.4 (12 answers)", "—"
    without data (with what there is, under the minimum)."""
    value = value_of(kpi, ratio)
    if ratio is None or not ratio.total:
        return "—"
    if kpi.unit == "index":
        behind = _("%(count)s answers") % {"count": ratio.total}
    else:
        behind = _count(ratio)
    if value is None:
        return f"— ({behind})"
    if kpi.unit == "index":
        return f"{formats.number_format(value, 1)} ({behind})"
    if kpi.unit == "rate":
        return f"{formats.number_format(value, 2)}% ({behind})"
    return f"{formats.number_format(value, 1)}% ({behind})"


def _count(ratio):
    done = formats.number_format(ratio.done, 0, force_grouping=True)
    return f"{done} / {formats.number_format(ratio.total, 0, force_grouping=True)}"


def _money(value):
    """An amount in whole yuan with its unit: "12,346 元" (``crm_format.amount``)."""
    return amount(round(value or 0), 0)


def _chart(key, title, labels, series, *, unit, kind="bar", horizontal=False, table=None):
    return {
        "key": key,
        "title": title,
        "type": kind,
        "horizontal": horizontal,
        "unit": unit,
        "labels": [str(label) for label in labels],
        "series": series,
        "table": table,
    }


def _table(headers, rows):
    return {"headers": [str(header) for header in headers], "rows": rows}


# Shared parts ---------------------------------------------------------------------------


def whole_archive(key, compute):
    """The admin's figures over the whole archive (50,000 customers, a million
    visits: seconds at province scale), kept ``KPI_CACHE_SECONDS`` (600 unless
    set; 0 computes every time) in the cache. Numbers only: the labels are
    written in each reader's language."""
    seconds = getattr(settings, "KPI_CACHE_SECONDS", 600)
    if not seconds:
        return compute()
    key = "kpis:" + hashlib.sha256(key.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def trend_months(today):
    """The 13 whole months before ``today``'s month, oldest first."""
    return month_tools.months_back(today, TREND_MONTHS)


def trend_charts(by, group_id, today):
    """The registered trends (sales; the satisfaction index where installed) of one
    manager or region (``group_id``; None for the whole archive), one chart each."""
    months = trend_months(today)
    labels = [month_tools.month_key(month) for month in months]
    charts = []
    for trend in kpis.all_trends():
        if group_id is None:

            def whole(trend=trend):
                ids = list(Region.objects.values_list("pk", flat=True))
                per_group = trend.series("region", ids, months)
                return sum_series(per_group.values(), months, trend.unit)

            values = whole_archive(f"trend:{trend.name}:{today}", whole)
        else:
            values = trend.series(by, [group_id], months).get(group_id, {})
        data = [trend_number(values.get(month)) for month in months]
        text = [_trend_text(trend.unit, value) for value in data]
        charts.append(
            _chart(
                f"trend_{trend.name}",
                trend.label,
                labels,
                [{"label": str(trend.label), "data": data}],
                unit=trend.unit,
                kind="line" if trend.unit == "index" else "bar",
                table=_table(
                    [_("Month"), trend.label],
                    [list(row) for row in zip(labels, text, strict=True)],
                ),
            )
        )
    return charts


def sum_series(series_list, months, unit):
    """The whole archive's trend: the regions' amounts added (an index is not added:
    a trend in index units reports the whole under ``None`` itself)."""
    totals = {}
    for values in series_list:
        for month in months:
            value = values.get(month)
            if value is None:
                continue
            if isinstance(value, kpis.Ratio):
                totals[month] = totals.get(month, kpis.Ratio()) + value
            else:
                totals[month] = totals.get(month, 0) + value
    return totals


def trend_number(value):
    if isinstance(value, kpis.Ratio):
        return _percent(value.share)
    return None if value is None else float(value)


def _trend_text(unit, value):
    if value is None:
        return "—"
    if unit == "money":
        return _money(value)
    return formats.number_format(value, 1)


# The manager ----------------------------------------------------------------------------


def manager_dashboard(user, today=None):
    """The charts of a manager's home: this week's plan against visits made; their
    customers visited within the grade interval; suggestions due; the trends."""
    today = today or timezone.localdate()
    charts = []

    week = visit_kpis.plan_by_day(user.pk, today)
    day_labels = [formats.date_format(day, "D n/j") for day, _p, _d in week]
    charts.append(
        _chart(
            "plan",
            _("This week: planned and made"),
            day_labels,
            [
                {"label": _("Planned"), "data": [planned for _day, planned, _d in week]},
                {"label": _("Made"), "data": [done for _day, _p, done in week]},
            ],
            unit="count",
            table=_table(
                [_("Day"), _("Planned"), _("Made")],
                [
                    [label, planned, done]
                    for label, (_day, planned, done) in zip(day_labels, week, strict=True)
                ],
            ),
        )
    )

    grades = visit_kpis.coverage_by_grade([user.pk], today)
    coverage_kpi = kpis.Kpi("coverage", "", None)
    total = sum((ratio for _code, ratio in grades), kpis.Ratio())
    charts.append(
        _chart(
            "coverage",
            _("Visited within the grade interval"),
            [code for code, _ratio in grades],
            [
                {
                    "label": _("Share visited in time"),
                    "data": [value_of(coverage_kpi, ratio) for _code, ratio in grades],
                }
            ],
            unit="percent",
            table=_table(
                [_("Grade"), _("Visited in time"), _("Customers"), _("Share")],
                [
                    [code, ratio.done, ratio.total, text_of(coverage_kpi, ratio)]
                    for code, ratio in grades
                ]
                + [[_("All grades"), total.done, total.total, text_of(coverage_kpi, total)]],
            ),
        )
    )
    charts[-1]["summary"] = text_of(coverage_kpi, total)

    due = visit_kpis.suggestions_due([user.pk], today)
    labels = [_("Overdue"), _("Due by the next working day"), _("Later")]
    counts = [due["overdue"], due["due_soon"], due["later"]]
    charts.append(
        _chart(
            "suggestions",
            _("Suggestions to answer"),
            labels,
            [
                {
                    "label": _("Suggestions"),
                    "data": counts,
                    "colors": ["#dc3545", "#fd7e14", "#0d6efd"],
                }
            ],
            unit="count",
            table=_table(
                [_("Answer limit"), _("Suggestions")],
                [list(r) for r in zip(labels, counts, strict=True)],
            ),
        )
    )
    charts.extend(trend_charts("manager", user.pk, today))
    return {"scope": "manager", "charts": charts}


# The regional manager and the admin: a table of figures per manager or region -----------


def figure_rows(by, groups, today):
    """``(columns, rows, total)``: every registered figure for each group (manager or
    region) and for all of them together; each cell ``{value, text, ratio}``."""
    ids = [group.pk for group in groups]
    columns = kpis.all_kpis()
    if by == "region":
        figures = whole_archive(f"figures:{today}:{ids}", lambda: kpis.figures(by, ids, today))
    else:
        figures = kpis.figures(by, ids, today)
    rows = []
    totals = {kpi.name: kpis.Ratio() for kpi in columns}
    for group in groups:
        cells = []
        for kpi in columns:
            ratio = figures[kpi.name].get(group.pk)
            if ratio is not None:
                totals[kpi.name] = totals[kpi.name] + ratio
            cells.append(_cell(kpi, ratio))
        rows.append({"group": group, "cells": cells})
    total_cells = [_cell(kpi, totals[kpi.name]) for kpi in columns]
    return columns, rows, total_cells


def _cell(kpi, ratio):
    return {
        "value": value_of(kpi, ratio),
        "text": text_of(kpi, ratio),
        "done": ratio.done if ratio else 0,
        "total": ratio.total if ratio else 0,
    }


def _figure_charts(key, columns, rows, label_of):
    """A grouped bar chart of the figures in per cent (or 0–100) by group, and one
    of the network exits (a count) by group."""
    labels = [label_of(row["group"]) for row in rows]
    share_columns = [(i, kpi) for i, kpi in enumerate(columns) if kpi.unit != "rate"]
    rate_columns = [(i, kpi) for i, kpi in enumerate(columns) if kpi.unit == "rate"]
    charts = [
        _chart(
            f"{key}_figures",
            _("Figures by manager") if key == "managers" else _("Figures by region"),
            labels,
            [
                {"label": str(kpi.label), "data": [row["cells"][i]["value"] for row in rows]}
                for i, kpi in share_columns
            ],
            unit="percent",
            horizontal=True,
            table=None,
        )
    ]
    for i, kpi in rate_columns:
        charts.append(
            _chart(
                f"{key}_{kpi.name}",
                kpi.label,
                labels,
                [{"label": _("Exits"), "data": [row["cells"][i]["done"] for row in rows]}],
                unit="count",
                horizontal=True,
                table=_table(
                    [_("Customer manager") if key == "managers" else _("Region"), kpi.label],
                    [
                        [label, row["cells"][i]["text"]]
                        for label, row in zip(labels, rows, strict=True)
                    ],
                ),
            )
        )
    return charts


def region_managers(region):
    return list(
        User.objects.filter(role=User.Role.MANAGER, region=region, is_active=True)
        .select_related("region")
        .order_by("username")
    )


def region_dashboard(user, today=None, *, region=None):
    """A regional manager's home: each manager of the region with every figure, the
    region's total, the charts of them and the region's trends."""
    today = today or timezone.localdate()
    region = region or user.region
    managers = region_managers(region)
    columns, rows, total = figure_rows("manager", managers, today)
    charts = _figure_charts("managers", columns, rows, str)
    charts.extend(trend_charts("region", region.pk, today))
    return {
        "scope": "region",
        "region": region,
        "columns": columns,
        "rows": rows,
        "total": total,
        "charts": charts,
    }


def admin_dashboard(user, today=None):
    """An admin's home: the same figures per region, this year's network exit rate by
    grade against the regulation's line, and the whole archive's trends."""
    today = today or timezone.localdate()
    regions = list(Region.objects.order_by("code"))
    columns, rows, total = figure_rows("region", regions, today)
    charts = _figure_charts("regions", columns, rows, str)
    charts.append(exit_rate_chart(today))
    charts.extend(trend_charts("region", None, today))
    return {
        "scope": "all",
        "columns": columns,
        "rows": rows,
        "total": total,
        "charts": charts,
    }


def exit_rate_chart(today, *, region_ids=None):
    grades = whole_archive(
        f"exits:{today}:{region_ids}",
        lambda: kpis.exit_rates_by_grade(today, region_ids=region_ids),
    )
    rate = kpis.Kpi("exit_rate", "", None, unit="rate")
    labels = [row.code or row.name for row in grades]
    chart = _chart(
        "exit_rates",
        _("Network exit rate this year by grade"),
        labels,
        [
            {"label": _("Exit rate"), "data": [value_of(rate, row.ratio) or 0 for row in grades]},
            {
                "label": _("Limit"),
                "data": [float(row.limit * 100) for row in grades],
                "kind": "line",
            },
        ],
        unit="rate",
        table=_table(
            [_("Grade"), _("Exits"), _("Customers in the network"), _("Exit rate"), _("Limit")],
            [
                [
                    f"{row.code} {row.name}".strip(),
                    row.ratio.done,
                    row.ratio.total,
                    text_of(rate, row.ratio),
                    f"< {formats.number_format(row.limit * 100, 1)}%",
                ]
                for row in grades
            ],
        ),
    )
    chart["over_limit"] = [row.code or row.name for row in grades if row.over_limit]
    chart["year"] = today.year
    return chart


def dashboard(user, today=None):
    """The dashboard of ``user``'s role, or None (a role judged by none of these)."""
    if works_customers(user):
        return manager_dashboard(user, today)
    if leads_region(user) and user.region_id:
        return region_dashboard(user, today)
    if sees_all(user):
        return admin_dashboard(user, today)
    return None


def chart_data(board):
    """What ``static/js/kpis.js`` reads from the page's ``json_script``."""
    return {
        chart["key"]: {
            key: chart[key] for key in ("type", "horizontal", "unit", "labels", "series")
        }
        for chart in board["charts"]
    }


# Kept for the API: which managers a user may ask about.
def visible_managers(user):
    return user_scope(user, User.objects.filter(role=User.Role.MANAGER))
