"""Pages of weekly schedules: my week, a schedule, the region's schedules."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core import workdays
from core.templatetags.crm_format import short_date
from core.transitions import allowed
from core.web import apply, flash, form_errors_to_messages
from crm.access import (
    manager_required,
    sees_all,
    supervisor_required,
    works_customers,
)
from crm.models import Customer, Region
from visits import access, forms, selectors
from visits.models import (
    PlannedVisit,
    ScheduleComment,
)
from visits.services import schedules
from visits.transitions import SCHEDULE_TRANSITIONS
from visits.views.common import _week_days, _week_param


@login_required
def my_week(request):
    """A manager's plan for a week (客户访问日程表); others go to the region's page."""
    user = request.user
    week_start = _week_param(request)
    if not works_customers(user):
        url = reverse("visits:region_schedules")
        return redirect(f"{url}?week={week_start:%Y-%m-%d}")
    schedule = (
        selectors.schedule_detail_queryset().filter(manager=user, week_start=week_start).first()
    )
    return _render_schedule(request, schedule, week_start, owner=user)


@login_required
def schedule_detail(request, pk):
    schedule = selectors.schedule_detail(user=request.user, pk=pk)
    return _render_schedule(request, schedule, schedule.week_start, owner=schedule.manager)


def _render_schedule(request, schedule, week_start, *, owner, add_form=None):
    user = request.user
    days = _week_days(week_start)
    working = [d["date"] for d in days if d["working"]]
    today = timezone.localdate()
    # What the user may do with the schedule: the table's answer, as in the API.
    steps = allowed(SCHEDULE_TRANSITIONS, user, schedule) if schedule is not None else {}
    can_edit = "plan" in steps
    if schedule is not None:
        by_day = {d["date"]: d for d in days}
        for entry in schedule.entries.all():
            by_day[entry.planned_date]["entries"].append(entry)
    shown = [d for d in days if not d["weekend"] or d["working"] or d["entries"]]
    current = _current_day(request, shown, today)
    context = {
        "schedule": schedule,
        "owner": owner,
        "week_start": week_start,
        "week_end": week_start + datetime.timedelta(days=6),
        "previous_week": week_start - datetime.timedelta(days=7),
        "next_week": week_start + datetime.timedelta(days=7),
        "days": shown,
        "current": current,
        "today": today,
        "can_edit": can_edit,
        "can_propose": works_customers(user) and owner.pk == user.pk and schedule is None,
        "is_own": owner.pk == user.pk,
        "can_comment": "comment" in steps,
        "steps": steps,
        "comment_form": forms.CommentForm(),
        "move_form": forms.ScheduleMoveForm(days=working),
        "working_days": working,
    }
    if can_edit:
        context["add_form"] = add_form or forms.ScheduleAddForm(user=user, days=working)
    return render(request, "visits/schedule.html", context)


@require_POST
@manager_required
def schedule_propose(request):
    week_start = _week_param(request)
    result = flash(
        request,
        lambda: schedules.schedule_propose(manager=request.user, week_start=week_start),
    )
    if result:
        schedule, created = result
        if created:
            for level, text in _proposal_summary(schedule):
                messages.add_message(request, level, text)
        else:
            messages.info(
                request,
                _("The week of %(day)s already has a schedule: nothing new was proposed.")
                % {"day": short_date(week_start)},
            )
    return redirect(f"{reverse('visits:schedule')}?week={week_start:%Y-%m-%d}")


def _proposal_summary(schedule):
    """What "propose" did, in words: how many visits on how many days, and why the
    manager's other customers were left out (not due yet, no grade, exited). One query
    for the reasons, whatever the number of customers."""
    planned = schedule.entries.count()
    week_end = selectors.week_bounds(schedule.week_start)[1]
    days = workdays.working_days_between(schedule.week_start, week_end)
    active = Q(network_status=Customer.NetworkStatus.ACTIVE)
    left = (
        Customer.objects.filter(manager_id=schedule.manager_id)
        .exclude(pk__in=schedule.entries.values("customer_id"))
        .aggregate(
            not_due=Count("pk", filter=active & Q(grade__isnull=False)),
            ungraded=Count("pk", filter=active & Q(grade__isnull=True)),
            exited=Count("pk", filter=~active),
        )
    )
    summary = []
    if not days:
        summary.append(
            (messages.WARNING, _("This week has no working day: no visit was proposed."))
        )
    else:
        summary.append(
            (
                messages.SUCCESS if planned else messages.INFO,
                ngettext(
                    "%(count)s visit proposed over %(days)s working days, the most overdue first.",
                    "%(count)s visits proposed over %(days)s working days, the most overdue first.",
                    planned,
                )
                % {"count": planned, "days": len(days)},
            )
        )
    reasons = []
    if left["not_due"]:
        reasons.append(
            ngettext(
                "%(count)s customer is not due by %(day)s (their grade's interval)",
                "%(count)s customers are not due by %(day)s (their grade's interval)",
                left["not_due"],
            )
            % {"count": left["not_due"], "day": short_date(week_end)}
        )
    if left["ungraded"]:
        reasons.append(
            ngettext(
                "%(count)s customer has no grade, so no visit interval: grade them to plan them",
                "%(count)s customers have no grade, so no visit interval: grade them to plan them",
                left["ungraded"],
            )
            % {"count": left["ungraded"]}
        )
    if left["exited"]:
        reasons.append(
            ngettext(
                "%(count)s customer has exited the network",
                "%(count)s customers have exited the network",
                left["exited"],
            )
            % {"count": left["exited"]}
        )
    if reasons:
        summary.append(
            (messages.INFO, _("Left out: %(reasons)s.") % {"reasons": "; ".join(reasons)})
        )
    return summary


def _current_day(request, days, today):
    """The day the page shows (one at a time): ``?day=`` if it is one of the week's
    shown days, else today if it is, else the first day with visits, else the first."""
    raw = request.GET.get("day", "")
    for day in days:
        if f"{day['date']:%Y-%m-%d}" == raw:
            return day
    for day in days:
        if day["date"] == today:
            return day
    return next((d for d in days if d["entries"]), days[0] if days else None)


def _schedule_url(schedule, day=None):
    """The week's page, back on ``day`` (the day the change was made from) at its card."""
    url = f"{reverse('visits:schedule')}?week={schedule.week_start:%Y-%m-%d}"
    if day is not None:
        url += f"&day={day:%Y-%m-%d}#week-day"
    return url


def _posted_day(request):
    """The day a form was sent from (its hidden ``day``), or None."""
    try:
        return datetime.date.fromisoformat(request.POST.get("day", ""))
    except ValueError:
        return None


@require_POST
@login_required
def schedule_add(request, pk):
    schedule = access.schedule_for_user(request.user, pk, change=True)
    days = workdays.working_days_between(*selectors.week_bounds(schedule.week_start))
    form = forms.ScheduleAddForm(request.POST, user=request.user, days=days)
    if form.is_valid():
        entry = apply(
            form,
            lambda: schedules.schedule_add_visit(
                schedule=schedule,
                actor=request.user,
                customer=form.cleaned_data["customer"],
                planned_date=form.cleaned_data["planned_date"],
            ),
        )
        if entry is not None:
            messages.success(
                request,
                _("%(customer)s added on %(date)s.")
                % {"customer": entry.customer, "date": f"{entry.planned_date:%m-%d}"},
            )
            return redirect(_schedule_url(schedule, entry.planned_date))
    form_errors_to_messages(request, form)
    return redirect(_schedule_url(schedule, _posted_day(request)))


def _entry_for_change(user, pk):
    try:
        entry = PlannedVisit.objects.select_related("schedule", "customer").get(
            pk=pk, schedule__in=access.schedule_scope(user)
        )
    except (PlannedVisit.DoesNotExist, ValueError, TypeError):
        raise Http404("No such planned visit") from None
    if not access.can_edit_schedule(user, entry.schedule):
        raise PermissionDenied
    return entry


@require_POST
@login_required
def schedule_move(request, pk):
    entry = _entry_for_change(request.user, pk)
    # Back on the day the entry was moved from: the manager goes on with that day.
    from_day = entry.planned_date
    days = workdays.working_days_between(*selectors.week_bounds(entry.schedule.week_start))
    form = forms.ScheduleMoveForm(request.POST, days=days)
    if form.is_valid():
        new_date = form.cleaned_data["planned_date"]
        flash(
            request,
            lambda: schedules.schedule_move_visit(
                entry=entry, actor=request.user, planned_date=new_date
            ),
            _("%(customer)s moved to %(date)s.")
            % {"customer": entry.customer, "date": f"{new_date:%m-%d}"},
        )
    else:
        form_errors_to_messages(request, form)
    return redirect(_schedule_url(entry.schedule, from_day))


@require_POST
@login_required
def schedule_remove(request, pk):
    entry = _entry_for_change(request.user, pk)
    schedule = entry.schedule
    day = entry.planned_date
    flash(
        request,
        lambda: schedules.schedule_remove_visit(entry=entry, actor=request.user),
        _("%(customer)s removed from the week.") % {"customer": entry.customer},
    )
    return redirect(_schedule_url(schedule, day))


@require_POST
@login_required
def schedule_submit(request, pk):
    schedule = access.schedule_for_user(request.user, pk, change=True)
    flash(
        request,
        lambda: schedules.schedule_submit(schedule=schedule, actor=request.user),
        _("Schedule submitted to the regional manager."),
    )
    return redirect(_schedule_url(schedule, _posted_day(request)))


@require_POST
@login_required
def schedule_comment(request, pk):
    schedule = access.schedule_for_user(request.user, pk, comment=True)
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        flash(
            request,
            lambda: schedules.schedule_comment(
                schedule=schedule, actor=request.user, text=form.cleaned_data["text"]
            ),
            _("Comment sent."),
        )
    else:
        form_errors_to_messages(request, form)
    back = request.POST.get("next")
    if back == "region":
        url = reverse("visits:region_schedules")
        return redirect(f"{url}?week={schedule.week_start:%Y-%m-%d}")
    return redirect(schedule)


@supervisor_required
def region_schedules(request):
    """Every manager's schedule of the region for a week, with coverage by grade."""
    user = request.user
    week_start = _week_param(request)
    region = None
    regions = []
    if sees_all(user):
        regions = list(Region.objects.order_by("code"))
        region_id = request.GET.get("region")
        region = next((r for r in regions if str(r.pk) == region_id), None)
        if region is None and regions:
            region = regions[0]
    rows = selectors.region_schedules(user=user, week_start=week_start, region=region)
    schedule_ids = [row.schedule.pk for row in rows if row.schedule]
    comments = {}
    if schedule_ids:
        for comment in (
            ScheduleComment.objects.filter(schedule_id__in=schedule_ids)
            .select_related("author")
            .order_by("created_at", "id")
        ):
            comments.setdefault(comment.schedule_id, []).append(comment)
    for row in rows:
        row.comments = comments.get(row.schedule.pk, []) if row.schedule else []
        row.total_due = sum(c.due for c in row.coverage)
        row.total_planned_due = sum(c.planned_due for c in row.coverage)
    return render(
        request,
        "visits/region_schedules.html",
        {
            "rows": rows,
            "week_start": week_start,
            "week_end": week_start + datetime.timedelta(days=6),
            "previous_week": week_start - datetime.timedelta(days=7),
            "next_week": week_start + datetime.timedelta(days=7),
            "regions": regions,
            "region": region,
            "comment_form": forms.CommentForm(),
        },
    )
