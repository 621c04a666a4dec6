"""The report and the regional summary as PDF (WeasyPrint through ``crm.pdf``).

``crm.pdf.render_pdf`` fetches only the product's own static and media files,
and the templates autoescape every text a user typed, so a report's text can
pull no file or network resource into the document. Charts are inline SVG.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from crm.errors import ConflictError
from crm.pdf import render_pdf
from reports import charts, figures


def report_filename(report):
    return f"report-{report.manager.username}-{figures.month_key(report.month)}.pdf"


def report_pdf(report):
    if report.status not in ("submitted", "approved"):
        raise ConflictError(_("Only a submitted or approved report can be downloaded as PDF."))
    data = charts.report_chart_data(report.figures)
    context = {
        "report": report,
        "figures": report.figures,
        "forecast": report.forecast,
        "trend_svg": charts.bar_chart_svg(data["trend"]),
        "grades_svg": charts.bar_chart_svg(data["grades"]),
        "printed_at": timezone.localtime(),
    }
    return render_pdf("reports/report_pdf.html", context)


def region_pdf(*, region, month, data):
    context = {
        "region": region,
        "month": month,
        "printed_at": timezone.localtime(),
        "managers_svg": charts.bar_chart_svg(charts.managers_chart_data(data["rows"])["managers"]),
        **data,
    }
    return render_pdf("reports/region_pdf.html", context)
