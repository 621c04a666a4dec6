"""Status and grade badges, written by tags rather than included templates.

A list page shows one or two badges per row; an ``{% include %}`` per badge
cost about a quarter of a 50-row page's rendering time.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, pgettext

register = template.Library()

VISIT_STATUS_CLASSES = {
    "in_progress": "text-bg-primary",
    "ended": "text-bg-warning",
    "manager_signed": "text-bg-info",
}
COMPLAINT_STATUS_CLASSES = {
    "closed": "text-bg-secondary",
    "submitted": "text-bg-primary",
    "rejected": "text-bg-warning",
    "approved": "text-bg-success",
}


@register.simple_tag
def grade_badge(grade):
    """The grade's code in its colour, the name as tooltip; "none" without a grade."""
    if not grade:
        return format_html('<span class="badge text-bg-light border">{}</span>', gettext("none"))
    return format_html(
        '<span class="badge grade-badge grade-rank-{}" title="{}">{}</span>',
        grade.rank,
        grade.name,
        grade.code,
    )


@register.simple_tag
def network_badge(customer):
    """In the network (green) or exited (grey)."""
    colour = "text-bg-secondary" if customer.network_status == "exited" else "text-bg-success"
    return format_html(
        '<span class="badge {}">{}</span>', colour, customer.get_network_status_display()
    )


@register.simple_tag
def visit_status_badge(visit):
    """A visit's state; a locked (customer-signed) record shows a lock. A
    correction says so ("Correction"), and so does the record a later one
    corrects ("Corrected", when the list annotates ``is_corrected``)."""
    colour = VISIT_STATUS_CLASSES.get(visit.status)
    if colour is None:
        badge = format_html(
            '<span class="badge text-bg-success">'
            '<i class="bi bi-lock-fill me-1" aria-hidden="true"></i>{}</span>',
            visit.get_status_display(),
        )
    else:
        badge = format_html('<span class="badge {}">{}</span>', colour, visit.get_status_display())
    marks = []
    if visit.corrects_id:
        marks.append(
            format_html(
                ' <span class="badge text-bg-info" data-mark="correction">'
                '<i class="bi bi-pencil-square me-1" aria-hidden="true"></i>{}</span>',
                pgettext("a visit record", "Correction"),
            )
        )
    if getattr(visit, "is_corrected", False):
        marks.append(
            format_html(
                ' <span class="badge text-bg-light border text-body-secondary"'
                ' data-mark="corrected">{}</span>',
                pgettext("a visit record", "Corrected"),
            )
        )
    return format_html("{}{}", badge, format_html_join("", "{}", ((mark,) for mark in marks)))


@register.simple_tag
def complaint_status_badge(complaint):
    """A complaint's state, and "Overdue" beside it when a step is late."""
    colour = COMPLAINT_STATUS_CLASSES.get(complaint.status, "text-bg-info")
    badge = format_html('<span class="badge {}">{}</span>', colour, complaint.get_status_display())
    # Lists annotate ``overdue`` (ComplaintQuerySet.with_overdue); a complaint
    # read otherwise gets the same rule from the model.
    overdue = getattr(complaint, "overdue", None)
    if overdue is None:
        overdue = complaint.is_overdue()
    if overdue:
        badge += format_html(
            ' <span class="badge text-bg-danger" data-overdue>{}</span>', gettext("Overdue")
        )
    return badge
