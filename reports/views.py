"""Browser pages of the monthly reports."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from reports import access


@login_required
def report_detail(request, pk):
    report = access.report_for_user(request.user, pk)
    return render(request, "reports/report_detail.html", {"report": report})
