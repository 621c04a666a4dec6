"""Writes of weekly schedules (客户访问日程表): propose, plan, submit, comment."""

import datetime
import math

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import workdays
from core.errors import DomainError, check_length
from core.notifications import Message, notify
from crm.access import works_customers
from crm.models import Customer, User
from visits import access, selectors
from visits.models import (
    PlannedVisit,
    ScheduleChange,
    ScheduleComment,
    Visit,
    WeeklySchedule,
)
from visits.services.common import _require, _url, comment_save
from visits.transitions import SCHEDULE_TRANSITIONS, take


def _check_monday(week_start):
    if week_start.weekday() != 0:
        raise ValidationError({"week_start": _("A schedule week starts on a Monday.")})


def _revisit_day(revisit_on, days):
    """The working day of the week a revisit goes on: its own, else the next one, else
    the week's last (a revisit set on a holiday)."""
    return next((day for day in days if day >= revisit_on), days[-1] if days else None)


def _spread(due_rows, days, fixed=None):
    """Assign each (customer, due) to a working day: overdue first, never before it is due
    when the week allows, and no day fuller than the even share. ``fixed`` holds the
    days some customers must be on (their revisit): they go there whatever the load."""
    if not days:
        return []
    fixed = fixed or {}
    capacity = math.ceil(len(due_rows) / len(days)) if due_rows else 0
    load = dict.fromkeys(days, 0)
    plan = []
    for customer, due in due_rows:
        if customer.pk in fixed:
            day = fixed[customer.pk]
            load[day] += 1
            plan.append((customer, due, day))
            continue
        candidates = [day for day in days if day >= due] or [days[-1]]
        open_days = [day for day in candidates if load[day] < capacity]
        if open_days:
            day = open_days[0]
        else:
            # The days after the due date are full: take the least loaded of the week,
            # latest first so the early days stay for the overdue.
            day = min(reversed(days), key=lambda d: load[d])
        load[day] += 1
        plan.append((customer, due, day))
    return plan


def schedule_propose(*, manager, week_start, by_job=False):
    """The manager's schedule for the week, proposed from the grade intervals.

    1. If the week already has a schedule, return it as it is (and False).
    2. Find the manager's customers due by the end of the week: last completed
       visit + grade interval, or never visited.
    3. Spread them over the week's working days (the calendar's, so make-up
       days count and holidays don't), most overdue first.

    Returns (schedule, created).
    """
    _require(works_customers(manager) and manager.is_active)
    _check_monday(week_start)
    existing = WeeklySchedule.objects.filter(manager=manager, week_start=week_start).first()
    if existing is not None:
        return existing, False
    _, week_end = selectors.week_bounds(week_start)
    days = workdays.working_days_between(week_start, week_end)
    due_rows = selectors.customers_due(manager_ids=[manager.pk], until=week_end)
    # Revisits set for this week go on their day, due by their interval or not.
    revisits = {}
    notes = {}
    for visit in selectors.open_revisits(until=week_end, manager_ids=[manager.pk]).filter(
        revisit_on__gte=week_start, customer__manager=manager
    ):
        day = _revisit_day(visit.revisit_on, days)
        if day is not None:
            revisits.setdefault(visit.customer_id, (visit.customer, day))
            notes.setdefault(visit.customer_id, _revisit_note(visit))
    planned = {customer.pk for customer, _due in due_rows}
    due_rows += [(customer, None) for pk, (customer, _day) in revisits.items() if pk not in planned]
    fixed = {pk: day for pk, (_customer, day) in revisits.items()}
    try:
        with transaction.atomic():
            schedule = WeeklySchedule.objects.create(
                manager=manager, week_start=week_start, proposed_by_job=by_job
            )
            PlannedVisit.objects.bulk_create(
                PlannedVisit(
                    schedule=schedule,
                    customer=customer,
                    planned_date=day,
                    due_date=due,
                    note=notes.get(customer.pk, ""),
                )
                for customer, due, day in _spread(due_rows, days, fixed)
            )
    except IntegrityError:
        # Another request or the Friday job made it meanwhile.
        return WeeklySchedule.objects.get(manager=manager, week_start=week_start), False
    return schedule, True


def schedule_plan_revisit(*, visit, actor):
    """A visit's revisit date becomes a planned entry on that day of the manager's week:
    added to the week's schedule if it has one (moved there if the customer is planned on
    another day and not visited yet); a week without a schedule gets it when proposed.
    Returns the entry, or None."""
    if visit.revisit_on is None or visit.customer.manager_id != visit.manager_id:
        return None
    week_start, week_end = selectors.week_bounds(selectors.monday_of(visit.revisit_on))
    schedule = WeeklySchedule.objects.filter(
        manager_id=visit.manager_id, week_start=week_start
    ).first()
    days = workdays.working_days_between(week_start, week_end)
    day = _revisit_day(visit.revisit_on, days)
    if schedule is None or day is None:
        return None
    entry = schedule.entries.filter(customer_id=visit.customer_id).first()
    if entry is None:
        with transaction.atomic():
            entry = PlannedVisit.objects.create(
                schedule=schedule,
                customer=visit.customer,
                planned_date=day,
                note=_revisit_note(visit),
            )
            _record_change(schedule, actor, ScheduleChange.Action.ADD, visit.customer, new_date=day)
    elif entry.planned_date != day and not _visited(entry):
        old = entry.planned_date
        entry.planned_date = day
        entry.save(update_fields=["planned_date"])
        _record_change(
            schedule, actor, ScheduleChange.Action.MOVE, visit.customer, old_date=old, new_date=day
        )
    return entry


def _revisit_note(visit):
    return _("Revisit asked at the visit of %(day)s") % {
        "day": f"{timezone.localdate(visit.arrived_at):%Y-%m-%d}"
    }


def _visited(entry):
    """Whether the planned entry was already visited (its visit started)."""
    return Visit.objects.filter(planned_visit=entry).exists()


def _record_change(schedule, actor, action, customer=None, old_date=None, new_date=None):
    """After submission every change is kept; drafts change freely."""
    if schedule.status == WeeklySchedule.Status.SUBMITTED:
        ScheduleChange.objects.create(
            schedule=schedule,
            action=action,
            customer=customer,
            old_date=old_date,
            new_date=new_date,
            actor=actor,
        )


def _check_planned_date(schedule, planned_date):
    start, end = selectors.week_bounds(schedule.week_start)
    if not start <= planned_date <= end:
        raise ValidationError({"planned_date": _("Choose a day of the schedule's week.")})
    if not workdays.is_working_day(planned_date):
        raise ValidationError({"planned_date": _("This day is not a working day.")})


def schedule_add_visit(*, schedule, actor, customer, planned_date, note=""):
    _require(access.can_edit_schedule(actor, schedule))
    if customer.manager_id != schedule.manager_id:
        raise ValidationError({"customer": _("Plan visits to your own customers only.")})
    if customer.network_status != Customer.NetworkStatus.ACTIVE:
        raise ValidationError({"customer": _("This customer has exited the network.")})
    _check_planned_date(schedule, planned_date)
    due = None
    if customer.grade_id:
        rows = selectors.customers_with_last_visit(Customer.objects.filter(pk=customer.pk))
        due = next((selectors.due_date(row) for row in rows), None)
    note = (note or "").strip()
    check_length(PlannedVisit, "note", note)
    try:
        with transaction.atomic():
            entry = PlannedVisit.objects.create(
                schedule=schedule,
                customer=customer,
                planned_date=planned_date,
                due_date=due,
                note=note,
            )
            _record_change(
                schedule, actor, ScheduleChange.Action.ADD, customer, new_date=planned_date
            )
    except IntegrityError:
        raise ValidationError(
            {"customer": _("This customer is already in the week's schedule.")}
        ) from None
    return entry


def schedule_move_visit(*, entry, actor, planned_date):
    schedule = entry.schedule
    _require(access.can_edit_schedule(actor, schedule))
    # Only a visit the manager may still make is rescheduled: after a
    # reassignment the entry can only be removed (read as stored now).
    _require(access.is_current_manager(actor, Customer.objects.get(pk=entry.customer_id)))
    _check_planned_date(schedule, planned_date)
    if hasattr(entry, "visit") and entry.visit is not None:
        raise DomainError(_("This visit has already been made; it cannot be moved."))
    old_date = entry.planned_date
    if old_date == planned_date:
        return entry
    with transaction.atomic():
        entry.planned_date = planned_date
        entry.save(update_fields=["planned_date"])
        _record_change(
            schedule,
            actor,
            ScheduleChange.Action.MOVE,
            entry.customer,
            old_date=old_date,
            new_date=planned_date,
        )
    return entry


def schedule_remove_visit(*, entry, actor):
    schedule = entry.schedule
    _require(access.can_edit_schedule(actor, schedule))
    if Visit.objects.filter(planned_visit=entry).exists():
        raise DomainError(_("This visit has already been made; it cannot be removed."))
    with transaction.atomic():
        _record_change(
            schedule,
            actor,
            ScheduleChange.Action.REMOVE,
            entry.customer,
            old_date=entry.planned_date,
        )
        entry.delete()


def schedule_submit(*, schedule, actor):
    """Draft → submitted, once; the region's manager is told."""
    _require(access.can_edit_schedule(actor, schedule))
    with transaction.atomic():
        take(
            WeeklySchedule,
            schedule.pk,
            SCHEDULE_TRANSITIONS,
            "submit",
            actor=actor,
            submitted_at=timezone.now(),
        )
        schedule.refresh_from_db()
        # The submission's event row: after it every change is kept too.
        _record_change(schedule, actor, ScheduleChange.Action.SUBMIT)
        for supervisor in access.regional_managers_of(actor.region_id):
            notify(
                user=supervisor,
                key=f"schedule-submitted:{schedule.pk}",
                title=Message(
                    gettext_lazy("%(manager)s submitted the schedule of the week of %(week)s"),
                    **{"manager": actor, "week": f"{schedule.week_start:%Y-%m-%d}"},
                ),
                url=_url("visits:schedule_detail", schedule.pk),
            )
    return schedule


def schedule_comment(*, schedule, actor, text):
    _require(SCHEDULE_TRANSITIONS["comment"].who(actor, schedule))
    return comment_save(
        ScheduleComment(schedule=schedule, author=actor, text=text),
        tell=schedule.manager,
        key="schedule-comment",
        title=Message(
            gettext_lazy("%(author)s commented on your schedule of the week of %(week)s"),
            **{"author": actor, "week": f"{schedule.week_start:%Y-%m-%d}"},
        ),
        url=_url("visits:schedule_detail", schedule.pk),
    )


def schedules_propose_next_week(*, today=None):
    """Friday afternoon: propose next week's schedule for every active manager without one.

    The unique (manager, week) constraint and the notification key make a second
    run create and send nothing. Returns the number of schedules created.
    """
    today = today or timezone.localdate()
    week_start = selectors.monday_of(today) + datetime.timedelta(days=7)
    have = WeeklySchedule.objects.filter(week_start=week_start).values("manager_id")
    managers = User.objects.filter(role=User.Role.MANAGER, is_active=True).exclude(pk__in=have)
    created = 0
    for manager in managers.order_by("pk"):
        schedule, new = schedule_propose(manager=manager, week_start=week_start, by_job=True)
        if not new:
            continue
        created += 1
        notify(
            user=manager,
            key=f"schedule-proposed:{week_start:%Y-%m-%d}",
            title=Message(
                gettext_lazy("Your schedule for the week of %(week)s is ready to review"),
                **{"week": f"{week_start:%Y-%m-%d}"},
            ),
            body=Message(
                gettext_lazy("%(count)s visits proposed from your customers' grade intervals."),
                **{"count": schedule.entries.count()},
            ),
            url=_url("visits:schedule_detail", schedule.pk),
        )
    return created
