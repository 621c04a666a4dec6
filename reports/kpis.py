"""The reports app's figure: monthly reports handed in on time (registered in
``crm.kpis`` from ``ReportsConfig.ready()``)."""

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from crm import kpis
from reports.models import MonthlyReport

_GROUP = {"manager": "manager_id", "region": "manager__region_id"}
WINDOW_DAYS = 365


def on_time(by, ids, today):
    """Reports due in the last 12 months (due date after a year ago, up to
    ``today``), and how many were on time: not ``MonthlyReport.objects.late()``
    (flagged, or submitted after the due date) and not overdue now. One query.

    A manager counts in the region they are in now (reports stay theirs).
    """
    field = _GROUP[by]
    since = today - datetime.timedelta(days=WINDOW_DAYS)
    late = MonthlyReport.objects.late() | MonthlyReport.objects.overdue(today)
    rows = (
        MonthlyReport.objects.filter(
            due_date__gt=since, due_date__lte=today, **{f"{field}__in": ids}
        )
        .order_by()
        .values(field)
        .annotate(total=Count("id"), late=Count("id", filter=Q(pk__in=late.values("pk"))))
    )
    return {row[field]: kpis.Ratio(row["total"] - row["late"], row["total"]) for row in rows}


def register():
    kpis.register(
        kpis.Kpi(
            "reports_on_time",
            _("Monthly reports on time"),
            on_time,
            order=40,
            description=_("Reports due in the last 12 months handed in by their due date."),
        )
    )
