"""The manager's day on its own page."""

from django.shortcuts import render

from visits import selectors
from visits.views.common import manager_required


@manager_required
def today(request):
    """The manager's day on its own page (the home page includes the same partial)."""
    return render(
        request, "visits/today.html", {"today": selectors.manager_today(user=request.user)}
    )
