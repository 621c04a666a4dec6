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
    return factories.VisitFactory(customer=factories.CustomerFactory(manager=manager), signed=True)


def _complaint(manager):
    customer = factories.CustomerFactory(manager=manager)
    return factories.ComplaintFactory(customer=customer, stage="closed")


def _report(manager):
    return factories.ReportFactory(manager=manager, status="approved")


# Each document: how it is made, its page route and API path, its disposition; then its file name.
DOCUMENTS = {
    "visit": (_visit, "visits:visit_pdf", "/api/visits/records/{pk}/pdf/", "attachment"),
    "complaint": (_complaint, "complaints:pdf", "/api/complaints/{pk}/pdf/", "inline"),
    "report": (_report, "reports:report_pdf", "/api/reports/{pk}/pdf/", "attachment"),
}
FILE_NAMES = {
    "visit": lambda visit: f"visit-{visit.pk}-20261009.pdf",
    "complaint": lambda complaint: f"{complaint.number}.pdf",
    "report": lambda report: f"report-{report.manager.username}-2026-09.pdf",
}


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_page_and_api_give_the_same_file(kind, manager, login, api_login):
    make, page_route, api_path, disposition = DOCUMENTS[kind]
    document = make(manager)
    page = login(manager).get(reverse(page_route, args=[document.pk]))
    api = api_login(manager).get(api_path.format(pk=document.pk))
    filename = FILE_NAMES[kind](document)
    assert page.status_code == api.status_code == 200
    assert page["Content-Type"] == api["Content-Type"] == "application/pdf"
    assert page.content.startswith(b"%PDF") and api.content.startswith(b"%PDF")
    expected = f'{disposition}; filename="{filename}"'
    assert page["Content-Disposition"] == api["Content-Disposition"] == expected
    # Each download is in the audit trail once, whichever asked.
    downloads = AuditEvent.objects.filter(action="pdf", object_id=str(document.pk))
    assert downloads.count() == 2
