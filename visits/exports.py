"""The visits app's lists as exports (core.exports): each over the page's selector
(the user's scope) and the page's FilterSet, registered in ``VisitsConfig.ready``."""

from django.utils.translation import gettext_lazy as _

from core.exports import DATE, DATETIME, INT, Column, Export, register
from visits import selectors
from visits.filters import (
    PromotionFilter,
    ScheduleFilter,
    UnlicensedFilter,
    ViolationFilter,
    WorkLogFilter,
)


def _yes_no(name):
    def get(row):
        return str(_("yes") if getattr(row, name) else _("no"))

    return get


def _over(selector, filterset_class):
    def filtered(user, params, request):
        return filterset_class(params, queryset=selector(user=user), request=request)

    return filtered


def _visits(user, params, request):
    return selectors.visit_list(user=user, filters=params, request=request)


VISITS = register(
    Export(
        name="visits",
        title=_("Visits"),
        page="visits:visit_list",
        filtered=_visits,
        columns=[
            Column(_("Number"), "pk", INT),
            Column(_("Arrived at"), "arrived_at", DATETIME),
            Column(_("Departed at"), "departed_at", DATETIME),
            Column(_("Customer code"), "customer.code"),
            Column(_("Customer"), "customer.name"),
            Column(_("Grade"), "customer.grade.name"),
            Column(_("Customer manager"), "manager"),
            Column(_("Kind"), "get_kind_display"),
            Column(_("Status"), "get_status_display"),
            Column(_("Price violation"), _yes_no("price_violation")),
            Column(_("Findings"), "findings"),
            Column(_("Customer opinions"), "customer_opinions"),
            Column(_("Revisit on"), "revisit_on", DATE),
        ],
    )
)

SCHEDULES = register(
    Export(
        name="schedules",
        title=_("Schedules"),
        page="visits:region_schedules",
        filtered=_over(selectors.schedule_list, ScheduleFilter),
        columns=[
            Column(_("Week"), "week_start", DATE),
            Column(_("Region"), "manager.region.name"),
            Column(_("Customer manager"), "manager"),
            Column(_("Status"), "get_status_display"),
            Column(_("Planned visits"), "entry_count", INT),
            Column(_("Proposed by the system"), _yes_no("proposed_by_job")),
            Column(_("Submitted at"), "submitted_at", DATETIME),
        ],
    )
)

VIOLATIONS = register(
    Export(
        name="price-violations",
        title=_("Price violations"),
        page="visits:violation_list",
        filtered=_over(selectors.violation_list, ViolationFilter),
        columns=[
            Column(_("Number"), "pk", INT),
            Column(_("Reported at"), "created_at", DATETIME),
            Column(_("Customer code"), "customer.code"),
            Column(_("Customer"), "customer.name"),
            Column(_("Grade"), "customer.grade.name"),
            Column(_("Customer manager"), "visit.manager"),
            Column(_("Note"), "note"),
            Column(_("Status"), "get_status_display"),
            Column(_("Decided by"), "decided_by"),
            Column(_("Decided at"), "decided_at", DATETIME),
            Column(_("Decision note"), "decision_note"),
        ],
    )
)

PROMOTIONS = register(
    Export(
        name="promotions",
        title=_("Promotional materials"),
        page="visits:promotion_list",
        filtered=_over(selectors.promotion_list, PromotionFilter),
        columns=[
            Column(_("Handed out at"), "handed_at", DATETIME),
            Column(_("Customer code"), "customer.code"),
            Column(_("Customer"), "customer.name"),
            Column(_("Customer manager"), "manager"),
            Column(_("Item"), "item"),
            Column(_("Quantity"), "quantity", INT),
            Column(_("Signer name"), "signer_name"),
        ],
    )
)

UNLICENSED = register(
    Export(
        name="unlicensed",
        title=_("Unlicensed operation"),
        page="visits:unlicensed_list",
        filtered=_over(selectors.unlicensed_list, UnlicensedFilter),
        columns=[
            Column(_("Number"), "pk", INT),
            Column(_("Reported at"), "created_at", DATETIME),
            Column(_("Region"), "region.name"),
            Column(_("Reported by"), "reporter"),
            Column(_("Address"), "address"),
            Column(_("Description"), "description"),
            Column(_("Status"), "get_status_display"),
            Column(_("Forwarded at"), "forwarded_at", DATETIME),
            Column(_("Forwarded by"), "forwarded_by"),
            Column(_("Outcome"), "outcome"),
            Column(_("Closed at"), "closed_at", DATETIME),
        ],
    )
)

WORK_LOGS = register(
    Export(
        name="work-logs",
        title=_("Work logs"),
        page="visits:work_log_list",
        filtered=_over(selectors.work_log_list, WorkLogFilter),
        columns=[
            Column(_("Day"), "day", DATE),
            Column(_("Author"), "author"),
            Column(_("Kind"), "get_kind_display"),
            Column(_("Content"), "content"),
            Column(_("Comments"), "comment_count", INT),
            Column(_("Updated at"), "updated_at", DATETIME),
        ],
    )
)
