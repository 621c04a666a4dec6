from django import template
from django.utils.html import format_html

register = template.Library()

STATUS_CLASSES = {
    "draft": "secondary",
    "submitted": "primary",
    "returned": "warning",
    "approved": "success",
    "overdue": "danger",
    "missing": "light",
}


@register.filter
def pct(value):
    """+12.5% / −3.0% / — for a percentage change that may be None."""
    if value is None or value == "":
        return "—"
    value = float(value)
    sign = "+" if value > 0 else ""
    return f"{sign}{value:.1f}%"


@register.filter
def pct_class(value):
    if value is None or value == "":
        return "text-body-secondary"
    return "text-success" if float(value) >= 0 else "text-danger"


@register.simple_tag
def status_badge(status, label):
    return format_html(
        '<span class="badge text-bg-{}" data-status="{}">{}</span>',
        STATUS_CLASSES.get(status, "secondary"),
        status,
        label,
    )
