"""Monthly reports as an export (core.exports): the page's ReportFilter over the
user's scope; registered in ``ReportsConfig.ready``."""

from django.utils.translation import gettext_lazy as _

from core.exports import AMOUNT, DATE, DATETIME, Column, Export, register
from reports import selectors
from reports.models import MonthlyReport


def _reports(user, params, request):
    return selectors.report_list(user=user, filters=params, request=request)


REPORTS = register(
    Export(
        name="reports",
        title=_("Monthly reports"),
        page="reports:report_list",
        filtered=_reports,
        columns=[
            Column(_("Month"), "month", DATE),
            Column(_("Region"), "region.name"),
            Column(_("Customer manager"), "manager"),
            Column(_("Status"), "status", choices=MonthlyReport.Status.choices),
            Column(_("Due date"), "due_date", DATE),
            Column(_("Submitted at"), "submitted_at", DATETIME),
            Column(_("Approved by"), "approved_by"),
            Column(_("Approved at"), "approved_at", DATETIME),
            Column(_("Forecast amount"), "forecast_amount", AMOUNT),
        ],
    )
)
