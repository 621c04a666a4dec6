"""One PDF answer for a page and the API: the same file name, disposition and audit row.

``core.web.pdf_response`` answers every document; each app's ``pdf`` module
names its file once (``core.pdf.Document``). The visit PDF was
``visit-<id>-<date>.pdf`` on the page and ``visit-<id>.pdf`` from the API.
"""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _visit(manager):
    visit = factories.VisitFactory(customer=factories.CustomerFactory(manager=manager), signed=True)
    return (
        visit,
        reverse("visits:visit_pdf", args=[visit.pk]),
        f"/api/visits/records/{visit.pk}/pdf/",
        f"visit-{visit.pk}-20261009.pdf",
        "attachment",
    )


def _complaint(manager):
    complaint = factories.ComplaintFactory(
        customer=factories.CustomerFactory(manager=manager), stage="closed"
    )
    return (
        complaint,
        reverse("complaints:pdf", args=[complaint.pk]),
        f"/api/complaints/{complaint.pk}/pdf/",
        f"{complaint.number}.pdf",
        "inline",
    )


def _report(manager):
    report = factories.ReportFactory(manager=manager, status="approved")
    return (
        report,
        reverse("reports:report_pdf", args=[report.pk]),
        f"/api/reports/{report.pk}/pdf/",
        f"report-{manager.username}-2026-09.pdf",
        "attachment",
    )


@pytest.mark.parametrize(
    "make", [_visit, _complaint, _report], ids=["visit", "complaint", "report"]
)
def test_page_and_api_give_the_same_file(make, manager, login, api_login):
    document, page_url, api_url, filename, disposition = make(manager)
    page = login(manager).get(page_url)
    api = api_login(manager).get(api_url)
    assert page.status_code == api.status_code == 200
    assert page["Content-Type"] == api["Content-Type"] == "application/pdf"
    assert page.content.startswith(b"%PDF") and api.content.startswith(b"%PDF")
    expected = f'{disposition}; filename="{filename}"'
    assert page["Content-Disposition"] == api["Content-Disposition"] == expected
    # Each download is in the audit trail once, whichever asked.
    downloads = AuditEvent.objects.filter(action="pdf", object_id=str(document.pk))
    assert downloads.count() == 2
