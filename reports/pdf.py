"""The report and the regional summary as PDF (WeasyPrint through ``core.pdf``).

``core.pdf.render_pdf`` fetches only the product's own static and media files,
and the templates autoescape every text a user typed, so a report's text can
pull no file or network resource into the document. Charts are inline SVG.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from core import months
from core.errors import ConflictError
from core.pdf import Document, render_pdf
from crm import report_notes
from reports import charts


def report_filename(report):
    return f"report-{report.manager.username}-{months.month_key(report.month)}.pdf"


def report_document(report):
    """The report as a ``core.pdf.Document``, the same from the page and the API."""
    return Document(
        content=report_pdf(report),
        filename=report_filename(report),
        obj=report,
        summary=str(report),
    )


def region_document(*, region, month, data):
    """The region's month as a ``core.pdf.Document``."""
    key = months.month_key(month)
    return Document(
        content=region_pdf(region=region, month=month, data=data),
        filename=f"region-{region.code}-{key}.pdf",
        obj=region,
        summary=f"{region} {key}",
    )


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
        "notes": report_notes.for_report(report),
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
