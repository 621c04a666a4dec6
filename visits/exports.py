"""The visits app's lists as exports (core.exports): each over the page's selector
(the user's scope) and the page's FilterSet, registered in ``VisitsConfig.ready``."""

from django.utils.translation import gettext_lazy as _

from core.exports import BOOL, DATE, DATETIME, INT, Column, Export, register
from visits import selectors
from visits.filters import (
    PromotionFilter,
    ScheduleFilter,
    UnlicensedFilter,
    ViolationFilter,
    WorkLogFilter,
)
from visits.models import PriceViolation, UnlicensedReport, Visit, WeeklySchedule, WorkLog


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
        # A visit row is wide (its checklist, notes, coordinates): read what the
        # columns show, and the keys the list's order and joins need.
        only=(
            "id",
            "arrived_at",
            "departed_at",
            "kind",
            "status",
            "price_violation",
            "findings",
            "customer_opinions",
            "revisit_on",
            "customer_id",
            "manager_id",
            "planned_visit_id",
            "customer__id",
            "customer__code",
            "customer__name",
            "customer__grade_id",
            "customer__grade__id",
            "customer__grade__name",
            "manager__id",
            "manager__username",
            "manager__first_name",
            "manager__last_name",
            "planned_visit__id",
        ),
        columns=[
            Column(_("Number"), "pk", INT),
            Column(_("Arrived at"), "arrived_at", DATETIME),
            Column(_("Departed at"), "departed_at", DATETIME),
            Column(_("Customer code"), "customer.code"),
            Column(_("Customer"), "customer.name"),
            Column(_("Grade"), "customer.grade.name"),
            Column(_("Customer manager"), "manager"),
            Column(_("Kind"), "kind", choices=Visit.Kind.choices),
            Column(_("Status"), "status", choices=Visit.Status.choices),
            Column(_("Price violation"), "price_violation", BOOL),
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
            Column(_("Status"), "status", choices=WeeklySchedule.Status.choices),
            Column(_("Planned visits"), "entry_count", INT),
            Column(_("Proposed by the system"), "proposed_by_job", BOOL),
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
            Column(_("Status"), "status", choices=PriceViolation.Status.choices),
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
            Column(_("Status"), "status", choices=UnlicensedReport.Status.choices),
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
            Column(_("Kind"), "kind", choices=WorkLog.Kind.choices),
            Column(_("Content"), "content"),
            Column(_("Comments"), "comment_count", INT),
            Column(_("Updated at"), "updated_at", DATETIME),
        ],
    )
)
