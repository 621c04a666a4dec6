"""The visits app's figures (registered in ``crm.kpis`` from ``VisitsConfig.ready()``).

Each is one definition, used by the home dashboards, ``/api/kpis/`` and the
exports; each answers in a fixed number of queries whatever the number of rows.
"""

import datetime
from collections import defaultdict

from django.db.models import Case, Count, DateTimeField, Exists, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm import kpis
from crm.models import Customer, Grade
from visits.models import PlannedVisit, Suggestion, Visit
from visits.selectors import COMPLETED, NEW_CUSTOMER_DAYS, monday_of

_CUSTOMER_GROUP = {"manager": "manager_id", "region": "region_id", "grade": "grade_id"}
_PLAN_GROUP = {"manager": "schedule__manager_id", "region": "schedule__manager__region_id"}


def _start_of(day):
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def within_interval(today, grades):
    """The condition "visited within the grade interval" on ``in_time_candidates``.

    It is ``visits.selectors.due_date(customer) >= today`` written for the
    database: a completed visit since the grade's visit interval began
    (``cutoff``, set per grade), or, never visited, assigned (joined, created)
    no more than ``NEW_CUSTOMER_DAYS`` ago. Each is an EXISTS that the index on
    (customer, -arrived_at) answers, so 50,000 customers cost one pass.
    """
    completed = Visit.objects.filter(customer=OuterRef("pk"), status__in=COMPLETED)
    new_since = today - datetime.timedelta(days=NEW_CUSTOMER_DAYS)
    recent = (
        Q(assigned_at__gte=_start_of(new_since))
        | Q(assigned_at__isnull=True, joined_on__gte=new_since)
        | Q(assigned_at__isnull=True, joined_on__isnull=True, created_at__gte=_start_of(new_since))
    )
    return Q(Exists(completed.filter(arrived_at__gte=OuterRef("cutoff")))) | (
        recent & ~Q(Exists(completed))
    )


def in_time_candidates(customers, today, grades):
    """The active, graded ``customers`` (those the grade interval applies to), with
    ``cutoff``: the moment their grade's interval began, as of ``today``."""
    cutoff = Case(
        *[
            When(grade_id=grade_id, then=Value(_start_of(today - datetime.timedelta(days=days))))
            for grade_id, days in grades
        ],
        output_field=DateTimeField(),
    )
    return (
        customers.filter(network_status=Customer.NetworkStatus.ACTIVE, grade__isnull=False)
        .order_by()
        .annotate(cutoff=cutoff)
    )


def coverage(by, ids, today):
    """Share of the active, graded customers visited within their grade interval
    (``done`` within, ``total`` all), as of ``today``. Two queries."""
    field = _CUSTOMER_GROUP[by]
    grades = list(Grade.objects.values_list("pk", "visit_interval_days"))
    customers = in_time_candidates(Customer.objects.filter(**{f"{field}__in": ids}), today, grades)
    rows = customers.values(field).annotate(
        total=Count("id"), done=Count("id", filter=within_interval(today, grades))
    )
    return {row[field]: kpis.Ratio(row["done"], row["total"]) for row in rows}


def coverage_by_grade(manager_ids, today):
    """``[(grade code, Ratio)]`` of ``coverage`` split by grade, in grade order. Two queries."""
    grades = list(Grade.objects.order_by("rank").values_list("pk", "code", "visit_interval_days"))
    intervals = [(pk, interval) for pk, _code, interval in grades]
    customers = in_time_candidates(
        Customer.objects.filter(manager_id__in=manager_ids), today, intervals
    )
    rows = {
        row["grade_id"]: kpis.Ratio(row["done"], row["total"])
        for row in customers.values("grade_id").annotate(
            total=Count("id"), done=Count("id", filter=within_interval(today, intervals))
        )
    }
    return [(code, rows.get(pk, kpis.Ratio())) for pk, code, _interval in grades]


def plan_done(by, ids, today):
    """This week's planned visits (the schedule of the week of ``today``) and how
    many of them were made: ``done`` the entries whose visit has ended. One query."""
    field = _PLAN_GROUP[by]
    rows = (
        PlannedVisit.objects.filter(schedule__week_start=monday_of(today), **{f"{field}__in": ids})
        .order_by()
        .values(field)
        .annotate(total=Count("id"), done=Count("id", filter=Q(visit__status__in=COMPLETED)))
    )
    return {row[field]: kpis.Ratio(row["done"], row["total"]) for row in rows}


def plan_by_day(manager_id, today):
    """``[(day, planned, done)]`` for each day of ``today``'s week, Monday first:
    the ``plan_done`` figure of one manager, day by day. One query."""
    week_start = monday_of(today)
    counts = defaultdict(lambda: [0, 0])
    rows = (
        PlannedVisit.objects.filter(
            schedule__week_start=week_start, schedule__manager_id=manager_id
        )
        .order_by()
        .values("planned_date")
        .annotate(total=Count("id"), done=Count("id", filter=Q(visit__status__in=COMPLETED)))
    )
    for row in rows:
        counts[row["planned_date"]] = [row["total"], row["done"]]
    days = [week_start + datetime.timedelta(days=offset) for offset in range(7)]
    return [(day, *counts[day]) for day in days]


def suggestions_due(manager_ids, today):
    """Open suggestions of the managers' customers by their 3-working-day limit:
    ``{"overdue", "due_soon", "later"}`` (due soon: by the next working day, as
    ``Suggestion.objects.near_limit``). One query."""
    open_ = Suggestion.objects.open().filter(customer__manager_id__in=manager_ids)
    counts = open_.aggregate(
        total=Count("id"),
        overdue=Count("id", filter=Q(pk__in=Suggestion.objects.overdue(today).values("pk"))),
        near=Count("id", filter=Q(pk__in=Suggestion.objects.near_limit(today).values("pk"))),
    )
    return {
        "overdue": counts["overdue"],
        "due_soon": counts["near"] - counts["overdue"],
        "later": counts["total"] - counts["near"],
    }


_VISIT_GROUP = {"manager": "manager_id", "region": "customer__region_id"}


def on_site(by, ids, today):
    """Share of this month's visits (up to ``today``) whose check-in was on site,
    as ``visits.check_in`` decided it at arrival; a visit without a position or at
    a shop without a location is not on site. One query."""
    field = _VISIT_GROUP[by]
    rows = (
        Visit.objects.filter(
            arrived_at__gte=_start_of(today.replace(day=1)),
            arrived_at__lt=_start_of(today + datetime.timedelta(days=1)),
            **{f"{field}__in": ids},
        )
        .order_by()
        .values(field)
        .annotate(total=Count("id"), done=Count("id", filter=Q(check_in=Visit.CheckIn.ON_SITE)))
    )
    return {row[field]: kpis.Ratio(row["done"], row["total"]) for row in rows}


def register():
    kpis.register(
        kpis.Kpi(
            "on_site",
            _("Check-ins on site this month"),
            on_site,
            order=25,
            description=_(
                "This month's visits that started within the on-site radius of the shop's "
                "location (set by admins); without a position or a shop location a visit "
                "is not on site."
            ),
        )
    )
    kpis.register(
        kpis.Kpi(
            "coverage",
            _("Visited within the grade interval"),
            coverage,
            order=10,
            description=_(
                "Active graded customers whose last visit is no older than their grade's "
                "visit interval (a new customer: assigned within 7 days)."
            ),
        )
    )
    kpis.register(
        kpis.Kpi(
            "plan_done",
            _("This week's plan done"),
            plan_done,
            order=20,
            description=_("Visits planned in this week's schedule that were made."),
        )
    )
