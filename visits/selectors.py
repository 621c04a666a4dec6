"""Reads of the visits app, scoped to what the user may see, a fixed number of
queries whatever the number of rows."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import months
from core.ordering import found_rows_order
from crm import care
from crm.access import sees_all, user_scope, works_customers
from crm.models import Customer, Grade, ReminderSettings, User
from visits import access
from visits.filters import VisitFilter
from visits.first_contact import awaiting_first_visit
from visits.models import (
    PlannedVisit,
    ScheduleChange,
    ScheduleComment,
    Signature,
    Suggestion,
    Visit,
    VisitEvent,
    WeeklySchedule,
    WorkLog,
    WorkLogComment,
    suggestion_near_limit,  # noqa: F401 - the views' "due soon" day, the same as the queryset's
)

# A visit counts for the grade interval once it has ended.
COMPLETED = (Visit.Status.ENDED, Visit.Status.MANAGER_SIGNED, Visit.Status.LOCKED)
# A customer never visited is due this many days after being assigned (SPEC §1).
NEW_CUSTOMER_DAYS = 7


def week_bounds(week_start):
    return week_start, week_start + datetime.timedelta(days=6)


def monday_of(day):
    return day - datetime.timedelta(days=day.weekday())


# Due customers ------------------------------------------------------------------------


def customers_with_last_visit(queryset=None):
    """Active, graded customers annotated with ``last_visit_at`` (one query)."""
    queryset = Customer.objects.all() if queryset is None else queryset
    last = (
        Visit.objects.filter(customer=OuterRef("pk"), status__in=COMPLETED)
        .order_by("-arrived_at")
        .values("arrived_at")[:1]
    )
    return (
        queryset.filter(network_status=Customer.NetworkStatus.ACTIVE, grade__isnull=False)
        .select_related("grade")
        .annotate(last_visit_at=Subquery(last))
    )


def due_date(customer):
    """When the grade interval says the customer is next due (needs ``last_visit_at``)."""
    if customer.last_visit_at is not None:
        last = timezone.localdate(customer.last_visit_at)
        return last + datetime.timedelta(days=customer.grade.visit_interval_days)
    if customer.assigned_at is not None:
        start = timezone.localdate(customer.assigned_at)
    else:
        start = customer.joined_on or timezone.localdate(customer.created_at)
    return start + datetime.timedelta(days=NEW_CUSTOMER_DAYS)


def customers_due(*, manager_ids, until):
    """[(customer, due_date)] of the managers' customers due on or before ``until``,
    most overdue first.

    The database picks them: a customer last visited before the local midnight
    that starts ``until`` less its grade's interval, plus the day, is due (one
    condition per grade), and a customer never visited is checked here. Only
    those are read; the daily reminders ask this for every manager at once,
    and most customers are not due.
    """
    tz = timezone.get_current_timezone()
    lapsed = Q(last_visit_at__isnull=True)
    for grade in Grade.objects.all():
        day = until - datetime.timedelta(days=grade.visit_interval_days - 1)
        cutoff = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
        lapsed |= Q(grade=grade, last_visit_at__lt=cutoff)
    customers = customers_with_last_visit(
        Customer.objects.filter(manager_id__in=manager_ids)
    ).filter(lapsed)
    rows = []
    for customer in customers.iterator(chunk_size=2000):
        due = due_date(customer)
        if due <= until:
            rows.append((customer, due))
    rows.sort(key=lambda row: (row[1], row[0].code))  # the most late first
    return rows


# Visits -------------------------------------------------------------------------------


def visit_list(*, user, filters=None, request=None):
    """The ``VisitFilter`` over the visits ``user`` may see, newest first (``.qs`` holds
    the rows); customer, grade and manager come in the same query."""
    queryset = with_correction_marks(
        access.visit_scope(user).select_related(
            "customer", "customer__grade", "manager", "planned_visit"
        )
    )
    return VisitFilter(filters, queryset=_newest_first(user, queryset), request=request)


def with_correction_marks(queryset):
    """Visits annotated ``is_corrected`` (a later record corrects it), for the
    badges of the lists (``visit_status_badge``); ``corrects_id`` says the other
    way round. In the same query."""
    return queryset.annotate(is_corrected=Exists(Visit.objects.filter(corrects=OuterRef("pk"))))


def _newest_first(user, queryset):
    if works_customers(user):
        # A manager's visits are about 2,000 of 1,000,000: sort those rather
        # than walk the newest-first index of all visits (core.ordering).
        return queryset.order_by(found_rows_order("arrived_at", descending=True), "-id")
    return queryset.order_by("-arrived_at", "-id")


def visit_detail_queryset():
    return Visit.objects.select_related(
        "customer", "customer__grade", "customer__region", "manager", "planned_visit", "corrects"
    ).prefetch_related(
        Prefetch("signatures", queryset=Signature.objects.select_related("captured_by")),
        Prefetch("events", queryset=VisitEvent.objects.select_related("actor")),
        Prefetch(
            "suggestions", queryset=Suggestion.objects.select_related("customer", "answered_by")
        ),
        Prefetch("corrections", queryset=Visit.objects.only("pk", "corrects_id", "status")),
        "photos",
    )


def visit_detail(*, user, pk):
    return access.visit_for_user(user, pk, queryset=visit_detail_queryset())


def suggestion_list(*, user):
    """The suggestions ``user`` may see, the nearest limit first (``SuggestionFilter``
    filters them for the page and the API)."""
    queryset = access.suggestion_scope(user).select_related(
        "customer", "visit", "visit__manager", "answered_by"
    )
    return queryset.order_by("due_on", "id")


def violation_list(*, user, status=None):
    queryset = access.violation_scope(user).select_related(
        "customer", "customer__grade", "visit", "visit__manager", "decided_by"
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-id")


def promotion_list(*, user):
    queryset = access.promotion_scope(user).select_related("customer", "manager")
    return queryset.order_by("-handed_at", "-id")


def unlicensed_list(*, user):
    queryset = access.unlicensed_scope(user).select_related("region", "reporter", "forwarded_by")
    return queryset.order_by("-created_at", "-id")


def work_log_list(*, user):
    queryset = (
        access.work_log_scope(user)
        .select_related("author")
        .annotate(comment_count=Count("comments"))
    )
    return queryset.order_by("-day", "-id")


def work_log_detail(*, user, pk):
    queryset = access.work_log_scope(user).prefetch_related(
        Prefetch("comments", queryset=WorkLogComment.objects.select_related("author"))
    )
    try:
        return queryset.select_related("author").get(pk=pk)
    except (WorkLog.DoesNotExist, ValueError, TypeError):
        from django.http import Http404

        raise Http404("No such work log") from None


def work_log_neighbours(*, user, log):
    """(previous, next) log of the region's logs the user may see, by day then id."""
    scope = access.work_log_scope(user)
    previous = (
        scope.filter(Q(day__lt=log.day) | Q(day=log.day, pk__lt=log.pk))
        .order_by("-day", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    following = (
        scope.filter(Q(day__gt=log.day) | Q(day=log.day, pk__gt=log.pk))
        .order_by("day", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    return previous, following


# Schedules ----------------------------------------------------------------------------


def schedule_list(*, user):
    queryset = (
        access.schedule_scope(user)
        .select_related("manager", "manager__region")
        .annotate(entry_count=Count("entries", distinct=True))
    )
    return queryset.order_by("-week_start", "manager__username")


def schedule_detail_queryset():
    return WeeklySchedule.objects.select_related("manager").prefetch_related(
        Prefetch(
            "entries",
            queryset=PlannedVisit.objects.select_related("customer", "customer__grade", "visit"),
        ),
        Prefetch("changes", queryset=ScheduleChange.objects.select_related("customer", "actor")),
        Prefetch("comments", queryset=ScheduleComment.objects.select_related("author")),
    )


def schedule_detail(*, user, pk):
    return access.schedule_for_user(user, pk, queryset=schedule_detail_queryset())


@dataclass
class GradeCoverage:
    grade: str
    due: int = 0
    planned: int = 0
    planned_due: int = 0


def schedule_coverage(*, manager_ids, week_start):
    """Per manager and grade: customers due in the week vs planned visits.

    Returns {manager_id: [GradeCoverage, ...]} in grade order. ``planned_due``
    counts the due customers that are in the plan. Three queries in all.
    """
    _, week_end = week_bounds(week_start)
    grades = list(Grade.objects.order_by("rank").values_list("pk", "code"))
    due = defaultdict(lambda: defaultdict(set))
    for customer, _due in customers_due(manager_ids=manager_ids, until=week_end):
        due[customer.manager_id][customer.grade_id].add(customer.pk)
    planned = defaultdict(lambda: defaultdict(set))
    entries = PlannedVisit.objects.filter(
        schedule__manager_id__in=manager_ids, schedule__week_start=week_start
    ).values_list("schedule__manager_id", "customer__grade_id", "customer_id")
    for manager_id, grade_id, customer_id in entries:
        planned[manager_id][grade_id].add(customer_id)
    result = {}
    for manager_id in manager_ids:
        rows = []
        for grade_id, code in grades:
            due_ids = due[manager_id][grade_id]
            planned_ids = planned[manager_id][grade_id]
            rows.append(
                GradeCoverage(
                    grade=code,
                    due=len(due_ids),
                    planned=len(planned_ids),
                    planned_due=len(due_ids & planned_ids),
                )
            )
        result[manager_id] = rows
    return result


@dataclass
class RegionWeek:
    manager: User
    schedule: WeeklySchedule | None
    coverage: list


def region_schedules(*, user, week_start, region=None):
    """Every manager of the region with their schedule of the week (or None) and coverage.

    A regional manager sees their own region; an admin chooses ``region``.
    """
    managers = user_scope(user, User.objects.filter(role=User.Role.MANAGER, is_active=True))
    if region is not None and sees_all(user):
        managers = managers.filter(region=region)
    managers = list(managers.select_related("region").order_by("username"))
    ids = [m.pk for m in managers]
    schedules = {
        s.manager_id: s
        for s in WeeklySchedule.objects.filter(manager_id__in=ids, week_start=week_start).annotate(
            entry_count=Count("entries")
        )
    }
    coverage = schedule_coverage(manager_ids=ids, week_start=week_start)
    return [RegionWeek(m, schedules.get(m.pk), coverage[m.pk]) for m in managers]


# Today --------------------------------------------------------------------------------


def open_revisits(*, until, manager_ids=None):
    """``Visit.objects.revisits_open(until)`` for the customers' managers."""
    queryset = Visit.objects.revisits_open(until).select_related(
        "customer", "customer__grade", "manager"
    )
    if manager_ids is not None:
        queryset = queryset.filter(customer__manager_id__in=manager_ids)
    return queryset.order_by("revisit_on", "pk")


def open_suggestions(*, day, manager_ids=None):
    """``Suggestion.objects.near_limit(day)``: the overdue and those due by the next working day."""
    queryset = Suggestion.objects.near_limit(day).select_related("customer", "visit")
    if manager_ids is not None:
        queryset = queryset.filter(customer__manager_id__in=manager_ids)
    return queryset.order_by("due_on", "pk")


# The overdue customers of the home page: how many show before "show all", and
# the groups by how late (more than so many days late, most late first).
OVERDUE_SHOWN = 10
LATE_GROUPS = (
    (365, _("More than a year late")),
    (90, _("More than 90 days late")),
    (30, _("31 to 90 days late")),
    (7, _("8 to 30 days late")),
    (0, _("Up to a week late")),
)


@dataclass
class Today:
    day: datetime.date
    show_all_overdue: bool = False
    plan: list = field(default_factory=list)
    due_today: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    revisits_due: list = field(default_factory=list)
    revisits_overdue: list = field(default_factory=list)
    suggestions: list = field(default_factory=list)
    in_progress: list = field(default_factory=list)
    care: list = field(default_factory=list)
    first_visits: list = field(default_factory=list)

    @property
    def overdue_groups(self):
        """[(label, [(customer, due, days late)])]: the overdue customers, most late
        first, grouped by how late; the first OVERDUE_SHOWN unless all are asked."""
        rows = self.overdue if self.show_all_overdue else self.overdue[:OVERDUE_SHOWN]
        groups = []
        for customer, due in rows:
            late = (self.day - due).days
            label = next(label for days, label in LATE_GROUPS if late > days)
            if not groups or groups[-1][0] != label:
                groups.append((label, []))
            groups[-1][1].append((customer, due, late))
        return groups

    @property
    def overdue_hidden(self):
        """How many overdue customers the capped list leaves out."""
        return 0 if self.show_all_overdue else max(0, len(self.overdue) - OVERDUE_SHOWN)


def manager_today(*, user, day=None, show_all_overdue=False):
    """A manager's home page: today's plan, who is due today, what is late.

    1. Today's planned visits (with the visit if one was started).
    2. Customers due today or overdue by their grade interval, less those planned today.
    3. Revisits due today and overdue; suggestions whose answer limit is near or past.
    4. Visits still in progress or awaiting signatures.
    5. Care moments (birthdays, company anniversaries) of the days ahead (``crm.care``).
    6. New customers to visit for the first time, with the day to do it by.
    """
    day = day or timezone.localdate()
    today = Today(day=day, show_all_overdue=show_all_overdue)
    if not works_customers(user):
        return today
    today.plan = list(
        PlannedVisit.objects.filter(schedule__manager=user, planned_date=day).select_related(
            "customer", "customer__grade", "visit", "schedule"
        )
    )
    planned_ids = {entry.customer_id for entry in today.plan}
    for customer, due in customers_due(manager_ids=[user.pk], until=day):
        if customer.pk in planned_ids:
            continue
        (today.due_today if due == day else today.overdue).append((customer, due))
    for visit in open_revisits(until=day, manager_ids=[user.pk]):
        late = visit.is_revisit_overdue_on(day)
        (today.revisits_overdue if late else today.revisits_due).append(visit)
    today.suggestions = list(open_suggestions(day=day, manager_ids=[user.pk]))
    today.in_progress = list(
        Visit.objects.filter(
            manager=user,
            status__in=[Visit.Status.IN_PROGRESS, Visit.Status.ENDED, Visit.Status.MANAGER_SIGNED],
        )
        .select_related("customer", "customer__grade", "manager")
        .order_by("-arrived_at")
    )
    reminder_settings = ReminderSettings.load()
    today.care = care.upcoming(
        manager_ids=[user.pk], day=day, days_ahead=reminder_settings.care_days_ahead
    ).get(user.pk, [])
    today.first_visits = awaiting_first_visit(manager=user, days=reminder_settings.contact_days)
    return today


def month_suggestions(month, manager_ids):
    """Section c) of the monthly report: suggestions recorded on the managers' visits in
    ``month``, with the answer given, as ``(manager_id, item)`` (``crm.opinions``)."""
    start, end = months.month_bounds(month)
    rows = (
        Suggestion.objects.filter(
            visit__manager_id__in=manager_ids,
            visit__arrived_at__gte=start,
            visit__arrived_at__lt=end,
        )
        .order_by("visit__arrived_at", "id")
        .values_list("visit__manager_id", "visit__arrived_at", "customer__name", "text", "answer")
    )
    for manager_id, at, customer_name, text, answer in rows:
        yield manager_id, _opinion("suggestion", at, customer_name, text, answer)


def month_visit_opinions(month, manager_ids):
    """Section c) of the monthly report: the customer opinions written on the managers'
    visits in ``month`` (corrections count once), as ``(manager_id, item)``."""
    start, end = months.month_bounds(month)
    rows = (
        Visit.objects.filter(
            manager_id__in=manager_ids,
            arrived_at__gte=start,
            arrived_at__lt=end,
            corrects__isnull=True,
        )
        .exclude(customer_opinions="")
        .order_by("arrived_at", "id")
        .values_list("manager_id", "arrived_at", "customer__name", "customer_opinions")
    )
    for manager_id, at, customer_name, text in rows:
        yield manager_id, _opinion("visit", at, customer_name, text, "")


def _opinion(kind, at, customer, text, result):
    date = f"{timezone.localtime(at):%Y-%m-%d}"
    return {"kind": kind, "date": date, "customer": customer, "text": text, "result": result}
