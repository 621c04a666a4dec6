"""Writes of the reports app. Browser views, the API, the management command and
the Celery tasks all call these functions.

Each transition claims its step of ``reports.transitions``
(``core.transitions.claim``: the report row locked, who acts checked on it and
the state it starts from), so two clicks or two reviewers cannot both win: the
second gets a ``ConflictError``. Each writes a ``ReportEvent``.
Jobs are idempotent: the (manager, month) constraint and the notification
keys make a second run, or a run after a crash half-way, do nothing twice.
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import months, workdays
from core.errors import DomainError
from core.notifications import Message, notify
from core.transitions import claimer, record
from crm.models import User
from reports import figures, material
from reports.models import MonthlyReport, ReportComment, ReportEvent
from reports.transitions import TRANSITIONS

DUE_DAY = 5
REMIND_WORKING_DAYS = 2
SECTION_FIELDS = ("problems", "opinions", "forecast_text", "forecast_amount")


def due_date_for(month):
    """The 5th of the month after ``month``, or the next working day (节假日顺延)."""
    following = months.month_shift(month, 1)
    return workdays.next_working_day(following.replace(day=DUE_DAY))


def last_month(today=None):
    today = today or timezone.localdate()
    return months.month_shift(today.replace(day=1), -1)


def _event(report, actor, action, from_status="", to_status="", comment=""):
    return record(
        ReportEvent,
        report,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )


def _regional_managers(region_id):
    return list(
        User.objects.filter(
            role=User.Role.REGIONAL_MANAGER, region_id=region_id, is_active=True
        ).order_by("pk")
    )


def _month_label(report):
    return f"{report.month:%Y-%m}"


def _forecast_text(forecast):
    """The prefilled text of section d)."""
    lines = [
        _("Suggested purchase amount for %(month)s: %(amount)s (3-month moving average).")
        % {"month": forecast["for_month"], "amount": forecast["total"]["amount"]}
    ]
    for row in forecast["by_grade"]:
        lines.append(f"{row['grade']}: {row['amount']}")
    return "\n".join(lines)


def _forecast_check(month, manager_ids, computed):
    """Last month's forecast measured against this month's actual total."""
    previous = MonthlyReport.objects.filter(
        month=months.month_shift(month, -1), manager_id__in=manager_ids
    ).values_list("manager_id", "forecast_amount", "forecast")
    checks = {}
    for manager_id, amount, forecast in previous:
        if amount is None and forecast:
            amount = Decimal(forecast.get("total", {}).get("amount", "0"))
        if amount is None or manager_id not in computed:
            continue
        actual = Decimal(computed[manager_id][0]["total"]["amount"])
        checks[manager_id] = {
            "month": months.month_key(month),
            "forecast_amount": figures._money(amount),
            "actual_amount": figures._money(actual),
            "error_pct": figures.pct(actual, amount),
        }
    return checks


def _computed(month, managers):
    ids = [manager.pk for manager in managers]
    computed = figures.compute(month, ids)
    for manager_id, check in _forecast_check(month, ids, computed).items():
        computed[manager_id][0]["forecast_check"] = check
    return computed


def prepare_month(*, month, progress=None, manager_ids=None):
    """Prepare (or bring up to date) every active manager's report on ``month``.

    ``manager_ids`` limits the run to those managers, so several workers can
    share one month (the benchmark runs two).

    1. Compute a) and d) in bulk for managers without a report and for the
       reports still in draft or returned.
    2. Create each missing report with its event and the manager's
       notification in one transaction; a concurrent run losing the race on
       the (manager, month) constraint skips it.
    3. Refresh a) and the computed d) of drafts and returned reports whose
       figures changed (late sales), claiming each with a conditional UPDATE so
       a report submitted meanwhile is left alone. Submitted and approved
       reports are never touched.
    """
    month = month.replace(day=1)
    progress = progress or (lambda message: None)
    due_date = due_date_for(month)
    managers = User.objects.filter(role=User.Role.MANAGER, is_active=True, region__isnull=False)
    if manager_ids is not None:
        managers = managers.filter(pk__in=list(manager_ids))
    managers = list(managers.order_by("pk"))
    existing = {report.manager_id: report for report in MonthlyReport.objects.filter(month=month)}
    work = [m for m in managers if m.pk not in existing or existing[m.pk].is_editable]
    progress(
        _("%(month)s: %(managers)d managers, %(existing)d reports exist, computing %(work)d.")
        % {
            "month": months.month_key(month),
            "managers": len(managers),
            "existing": len(existing),
            "work": len(work),
        }
    )
    computed = _computed(month, work)
    new_managers = [m for m in work if m.pk not in existing]
    sources = material.opinion_sources(month, new_managers)
    now = timezone.now()
    created = refreshed = 0
    for manager in new_managers:
        figures_a, forecast = computed[manager.pk]
        manager_sources = sources.get(manager.pk, [])
        try:
            with transaction.atomic():
                report = MonthlyReport.objects.create(
                    manager=manager,
                    region_id=manager.region_id,
                    month=month,
                    due_date=due_date,
                    figures=figures_a,
                    figures_computed_at=now,
                    opinion_sources=manager_sources,
                    opinions=material.opinions_text(manager_sources),
                    forecast=forecast,
                    forecast_amount=Decimal(forecast["total"]["amount"]),
                    forecast_text=_forecast_text(forecast),
                )
                _event(report, None, ReportEvent.Action.CREATED, "", report.status)
                notify(
                    user=manager,
                    key=f"report-ready:{report.pk}",
                    title=Message(
                        gettext_lazy("Your monthly report on %(month)s is ready"),
                        **{"month": _month_label(report)},
                    ),
                    body=Message(
                        gettext_lazy("Please complete and submit it by %(due)s."),
                        **{"due": f"{due_date:%Y-%m-%d}"},
                    ),
                    url=report.get_absolute_url(),
                )
        except IntegrityError:
            continue
        created += 1
        if created % 50 == 0:
            progress(_("%(count)d reports created") % {"count": created})

    for manager_id, report in existing.items():
        if not report.is_editable or manager_id not in computed:
            continue
        figures_a, forecast = computed[manager_id]
        if report.figures == figures_a and report.forecast == forecast:
            continue
        with transaction.atomic():
            claimed = MonthlyReport.objects.filter(
                pk=report.pk, status__in=TRANSITIONS["refresh"].source
            ).update(figures=figures_a, forecast=forecast, figures_computed_at=now, updated_at=now)
            if claimed == 1:
                _event(report, None, ReportEvent.Action.REFRESHED, report.status, report.status)
                refreshed += 1
    summary = {
        "month": months.month_key(month),
        "managers": len(managers),
        "created": created,
        "refreshed": refreshed,
    }
    progress(
        _("%(month)s: %(created)d created, %(refreshed)d refreshed.")
        % {"month": summary["month"], "created": created, "refreshed": refreshed}
    )
    return summary


def _conflict(report, step):
    """The 409 of a step the report's state no longer allows."""
    if step.source != TRANSITIONS["approve"].source:
        if report.status == MonthlyReport.Status.APPROVED:
            return _("The report is approved and frozen; it cannot change.")
        return _("The report is %(status)s; only a draft or a returned report can change.") % {
            "status": report.get_status_display()
        }
    return _("The report is %(status)s; only a submitted report can be reviewed.") % {
        "status": report.get_status_display()
    }


# The report locked, with its manager, once ``actor`` may take step ``name`` on it.
# On the row as stored now: a manager moved to another region since the page
# was read is reviewed by the new region's manager.
_claim = claimer(MonthlyReport.objects.select_related("manager"), TRANSITIONS, conflict=_conflict)


def report_refresh_figures(*, report, actor):
    """Recompute section a) and the computed forecast of a draft or returned report."""
    with transaction.atomic():
        current = _claim(report, "refresh", actor)
        figures_a, forecast = _computed(current.month, [current.manager])[current.manager_id]
        current.figures = figures_a
        current.forecast = forecast
        current.figures_computed_at = timezone.now()
        current.save(update_fields=["figures", "forecast", "figures_computed_at", "updated_at"])
        _event(current, actor, ReportEvent.Action.REFRESHED, current.status, current.status)
    return current


def report_update_sections(*, report, actor, data):
    """Save the manager's text of b), c) and d) (only the keys given)."""
    with transaction.atomic():
        current = _claim(report, "edit", actor)
        unknown = set(data) - set(SECTION_FIELDS)
        if unknown:
            raise DomainError(_("Unknown section: %(name)s") % {"name": ", ".join(sorted(unknown))})
        for name, value in data.items():
            setattr(current, name, value)
        current.full_clean(exclude=["manager", "region"])
        current.save(update_fields=[*data, "updated_at"])
    return current


def report_submit(*, report, actor):
    with transaction.atomic():
        current = _claim(report, "submit", actor)
        if not current.problems.strip():
            raise DomainError(
                _("Write section b) (problems, causes and countermeasures) before submitting."),
                field="problems",
            )
        old = current.status
        current.status = MonthlyReport.Status.SUBMITTED
        current.submitted_at = timezone.now()
        current.save(update_fields=["status", "submitted_at", "updated_at"])
        event = _event(current, actor, ReportEvent.Action.SUBMITTED, old, current.status)
        # Whoever reviews it now: the regional manager of the manager's current region.
        for reviewer in _regional_managers(actor.region_id):
            notify(
                user=reviewer,
                key=f"report-submitted:{current.pk}:{event.pk}",
                title=Message(
                    gettext_lazy("%(manager)s submitted the monthly report on %(month)s"),
                    **{"manager": current.manager, "month": _month_label(current)},
                ),
                url=current.get_absolute_url(),
            )
    return current


def report_approve(*, report, actor, comment=""):
    with transaction.atomic():
        current = _claim(report, "approve", actor)
        current.status = MonthlyReport.Status.APPROVED
        current.approved_by = actor
        current.approved_at = timezone.now()
        current.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
        _event(
            current,
            actor,
            ReportEvent.Action.APPROVED,
            MonthlyReport.Status.SUBMITTED,
            current.status,
            comment,
        )
        notify(
            user=current.manager,
            key=f"report-approved:{current.pk}",
            title=Message(
                gettext_lazy("Your monthly report on %(month)s was approved"),
                **{"month": _month_label(current)},
            ),
            url=current.get_absolute_url(),
        )
    return current


def report_return(*, report, actor, comments, comment=""):
    """Return a submitted report with comments, by section (``{"b": "..."}``) and/or general."""
    sections = {value for value, _label in ReportComment.Section.choices}
    comments = {key: (text or "").strip() for key, text in (comments or {}).items()}
    if set(comments) - sections:
        raise DomainError(_("Unknown section."), field="comments")
    comment = (comment or "").strip()
    if comment:
        comments["general"] = (comments.get("general", "") + "\n" + comment).strip()
    comments = {key: text for key, text in comments.items() if text}
    if not comments:
        raise DomainError(_("Say what should change: write at least one comment."), field="comment")
    with transaction.atomic():
        current = _claim(report, "return", actor)
        current.status = MonthlyReport.Status.RETURNED
        current.save(update_fields=["status", "updated_at"])
        event = _event(
            current,
            actor,
            ReportEvent.Action.RETURNED,
            MonthlyReport.Status.SUBMITTED,
            current.status,
            "\n".join(f"{key}: {text}" for key, text in comments.items()),
        )
        ReportComment.objects.bulk_create(
            ReportComment(report=current, event=event, section=key, text=text, author=actor)
            for key, text in comments.items()
        )
        notify(
            user=current.manager,
            key=f"report-returned:{current.pk}:{event.pk}",
            title=Message(
                gettext_lazy("Your monthly report on %(month)s was returned"),
                **{"month": _month_label(current)},
            ),
            body="\n".join(comments.values()),
            url=current.get_absolute_url(),
        )
    return current


def reports_mark_overdue(*, today=None):
    """Flag each overdue report (``MonthlyReport.objects.overdue``: a draft, or a
    report returned to the manager, past its due date) and tell the regional manager.

    Each report is claimed with a conditional UPDATE of ``overdue_at``; the
    event and the notifications commit with the claim, so a second run (or a
    run after a crash) flags and notifies each report once. The flag stays
    when the report is submitted: it was late.
    """
    today = today or timezone.localdate()
    marked = 0
    candidates = (
        MonthlyReport.objects.overdue(today)
        .filter(overdue_at__isnull=True)
        .select_related("manager")
    )
    for report in candidates:
        with transaction.atomic():
            claimed = (
                MonthlyReport.objects.overdue(today)
                .filter(pk=report.pk, overdue_at__isnull=True)
                .update(overdue_at=timezone.now())
            )
            if claimed != 1:
                continue
            _event(report, None, ReportEvent.Action.OVERDUE, report.status, report.status)
            for reviewer in _regional_managers(report.region_id):
                notify(
                    user=reviewer,
                    key=f"report-overdue:{report.pk}",
                    title=Message(
                        gettext_lazy("%(manager)s's monthly report on %(month)s is overdue"),
                        **{"manager": report.manager, "month": _month_label(report)},
                    ),
                    body=Message(
                        gettext_lazy("It was due on %(due)s."), due=f"{report.due_date:%Y-%m-%d}"
                    ),
                    url=report.get_absolute_url(),
                )
            marked += 1
    return marked


def reports_daily(*, today=None):
    """09:00 job: on working days remind and flag; on days off do nothing."""
    today = today or timezone.localdate()
    if not workdays.is_working_day(today):
        return {"working_day": False, "reminded": 0, "overdue": 0}
    horizon = workdays.add_working_days(today, REMIND_WORKING_DAYS)
    reminded = 0
    due_soon = (
        MonthlyReport.objects.open()
        .filter(due_date__gte=today, due_date__lte=horizon)
        .select_related("manager")
    )
    for report in due_soon:
        sent = notify(
            user=report.manager,
            key=f"report-due:{report.pk}:{today:%Y-%m-%d}",
            title=Message(
                gettext_lazy("Your monthly report on %(month)s is due on %(due)s"),
                **{"month": _month_label(report), "due": f"{report.due_date:%Y-%m-%d}"},
            ),
            url=report.get_absolute_url(),
        )
        reminded += sent is not None
    return {"working_day": True, "reminded": reminded, "overdue": reports_mark_overdue(today=today)}
