"""Who may see and change which monthly report: a declaration on ``crm.access``.

A manager sees their own reports, a regional manager those of their region,
an admin all. "Not yours" and "does not exist" both answer 404. Only the
report's manager edits and submits; only the manager's supervisor now - the
regional manager of the manager's *current* region - or an admin approves or
returns (403 for anyone else who may see the report). A manager moved to
another region takes their open reports to the new region's manager; the old
one keeps reading the reports made in their region but no longer decides them.
"""

from django.core.exceptions import PermissionDenied

from crm.access import AUTHOR, Access
from reports.models import MonthlyReport

# The region's reports, and those of the managers who are in the region now;
# the manager's current region decides (the one who leads the manager now).
REPORTS = Access(
    MonthlyReport,
    customer=None,
    region=("region_id", "manager__region_id"),
    author="manager_id",
    changed_by=AUTHOR,
    decided_in="manager__region_id",
)


def report_scope(user, queryset=None):
    return REPORTS.scope(user, queryset)


def can_write(user, report):
    """Edit sections, refresh figures, submit: the report's own manager only."""
    return REPORTS.may_change(user, report)


def can_review(user, report):
    """Approve or return: the manager's supervisor now; never the author."""
    return user.pk != report.manager_id and REPORTS.may_decide(user, report)


def report_for_user(user, pk, *, queryset=None, write=False, review=False):
    """The report ``pk`` if ``user`` may see it, else 404; 403 if they may not act on it."""
    report = REPORTS.get(user, pk, queryset=queryset, change=write)
    if review and not can_review(user, report):
        raise PermissionDenied
    return report
