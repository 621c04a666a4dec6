"""Who may see and change which monthly report.

A manager sees their own reports, a regional manager those of their region,
an admin all. "Not yours" and "does not exist" both answer 404. Only the
report's manager edits and submits; only the manager's supervisor now - the
regional manager of the manager's *current* region - or an admin approves or
returns (403 for anyone else who may see the report). A manager moved to
another region takes their open reports to the new region's manager; the old
one keeps reading the reports made in their region but no longer decides them.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from reports.models import MonthlyReport


def report_scope(user, queryset=None):
    queryset = MonthlyReport.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_crm_admin:
        return queryset
    if user.is_regional_manager:
        # The region's reports, and those of the managers who are in the region now.
        return queryset.filter(Q(region_id=user.region_id) | Q(manager__region_id=user.region_id))
    if user.is_manager:
        return queryset.filter(manager_id=user.pk)
    return queryset.none()


def can_see(user, report):
    return report_scope(user, MonthlyReport.objects.filter(pk=report.pk)).exists()


def can_write(user, report):
    """Edit sections, refresh figures, submit: the report's own manager only."""
    return user.is_active and user.pk == report.manager_id


def can_review(user, report):
    """Approve or return: the manager's regional manager now, or an admin; never the author.

    The manager's current region, not the report's: the one who leads the
    manager now reviews their work.
    """
    if not user.is_active or user.pk == report.manager_id:
        return False
    if user.is_crm_admin:
        return True
    return user.is_regional_manager and user.region_id == report.manager.region_id


def can_see_region(user, region_id):
    if user.is_crm_admin:
        return True
    return user.is_regional_manager and user.region_id == region_id


def report_for_user(user, pk, *, queryset=None, write=False, review=False):
    """The report ``pk`` if ``user`` may see it, else 404; 403 if they may not act on it."""
    try:
        report = report_scope(user, queryset).get(pk=pk)
    except (MonthlyReport.DoesNotExist, ValueError, TypeError):
        raise Http404("No such report") from None
    if write and not can_write(user, report):
        raise PermissionDenied
    if review and not can_review(user, report):
        raise PermissionDenied
    return report
