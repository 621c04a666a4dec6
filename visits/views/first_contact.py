"""New customers not contacted within the limit: the regional manager's list to reassign."""

from django.shortcuts import render
from django.utils import timezone

from core.web import paginate
from crm.access import sees_all, supervisor_required
from crm.models import ReminderSettings
from visits.first_contact import not_contacted_list
from visits.views.common import ROWS_PER_PAGE


@supervisor_required
def not_contacted(request):
    now = timezone.now()
    days = ReminderSettings.load().contact_days
    rows = not_contacted_list(user=request.user, now=now, days=days)
    page = paginate(request, rows, ROWS_PER_PAGE)
    for customer in page.object_list:
        customer.waiting_days = (now - customer.assigned_at).days
    return render(
        request,
        "visits/not_contacted.html",
        {
            "page": page,
            "days": days,
            "show_region": sees_all(request.user),
        },
    )
