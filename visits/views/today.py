"""The manager's day on its own page."""

from django.shortcuts import render

from crm.access import manager_required
from visits import selectors


@manager_required
def today(request):
    """The manager's day on its own page (the home page includes the same partial)."""
    today = selectors.manager_today(
        user=request.user, show_all_overdue=request.GET.get("overdue") == "all"
    )
    return render(request, "visits/today.html", {"today": today})
