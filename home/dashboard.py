"""What waits for the user on the home page: one counted query per kind of work."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.access import COMPLAINTS, complaint_scope
from complaints.models import Complaint
from crm.access import works_customers
from reports.access import REPORTS, report_scope
from reports.models import MonthlyReport
from visits.access import VIOLATIONS, violation_scope
from visits.first_contact import not_contacted_list
from visits.models import PriceViolation

CS = Complaint.Status
MANAGER_STEPS = [CS.OPEN, CS.INSPECTED, CS.REJECTED, CS.APPROVED, CS.EXCHANGED]


def work_queue(user):
    """[{label, count, url, tone}] of what the user should act on, by role."""
    items = []
    today = timezone.localdate()
    # The derived statuses are the models' queryset methods, so each count is
    # the rows its link lists and the daily jobs remind about.
    complaints = complaint_scope(user).aggregate(
        mine=Count("id", filter=Q(status__in=MANAGER_STEPS)),
        to_decide=Count(
            "id", filter=_within(COMPLAINTS.decidable(user, Complaint.objects.awaiting_decision()))
        ),
        overdue=Count("id", filter=_within(Complaint.objects.overdue(today))),
    )
    complaint_list = reverse("complaints:list")
    if works_customers(user):
        items.append(
            _item(
                "complaints_to_handle",
                _("Complaints to handle"),
                complaints["mine"],
                complaint_list,
            )
        )
    else:
        items.append(
            _item(
                "complaints_to_decide",
                _("Complaints awaiting decision"),
                complaints["to_decide"],
                f"{complaint_list}?to_decide=true",
            )
        )
    items.append(
        _item(
            "complaints_overdue",
            _("Overdue complaints"),
            complaints["overdue"],
            f"{complaint_list}?overdue=true",
            tone="danger",
        )
    )
    reports = report_scope(user).aggregate(
        to_write=Count("id", filter=_within(MonthlyReport.objects.open())),
        # Only the reports the user decides: a manager who moved region takes
        # their submitted report to the new region's manager.
        to_review=Count(
            "id", filter=_within(REPORTS.decidable(user, MonthlyReport.objects.awaiting_review()))
        ),
        overdue=Count("id", filter=_within(MonthlyReport.objects.overdue(today))),
    )
    if works_customers(user):
        items.append(
            _item(
                "reports_to_write",
                _("Reports to write"),
                reports["to_write"],
                reverse("reports:report_list"),
            )
        )
    else:
        items.append(
            _item(
                "reports_to_review",
                _("Reports to review"),
                reports["to_review"],
                reverse("reports:month"),
            )
        )
        open_violations = VIOLATIONS.decidable(
            user, violation_scope(user).filter(status=PriceViolation.Status.OPEN)
        ).count()
        items.append(
            _item(
                "violations_to_decide",
                _("Price violations to decide"),
                open_violations,
                reverse("visits:violation_list"),
                tone="warning",
            )
        )
        items.append(
            _item(
                "not_contacted",
                _("New customers not contacted"),
                not_contacted_list(user=user).count(),
                reverse("visits:not_contacted"),
                tone="warning",
            )
        )
    items.append(
        _item(
            "reports_overdue",
            _("Overdue reports"),
            reports["overdue"],
            f"{reverse('reports:report_list')}?status=overdue",
            "danger",
        )
    )
    return items


def _within(queryset):
    """A queryset method's rows as a condition, so one aggregate counts several."""
    return Q(pk__in=queryset.values("pk"))


def _item(key, label, count, url, tone="primary"):
    return {
        "key": key,
        "label": label,
        "count": count or 0,
        "url": url,
        "tone": tone if count else "secondary",
    }


def current_report(user):
    """The manager's latest report (last month's, normally), or None."""
    if not works_customers(user):
        return None
    return MonthlyReport.objects.filter(manager=user).order_by("-month").first()
