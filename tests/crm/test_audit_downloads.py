"""Every PDF download is in the audit trail: who, what, from where."""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from tests import factories
from tests.world import module_world

pytestmark = pytest.mark.django_db

# Every test here reads the world: built once for the module.
world = module_world


@pytest.mark.parametrize(
    ("url_name", "key", "label"),
    [
        ("visits:visit_pdf", "visit", "visits.Visit"),
        ("visits-record-pdf", "visit", "visits.Visit"),
        ("complaints:pdf", "complaint", "complaints.Complaint"),
        ("complaint-pdf", "complaint", "complaints.Complaint"),
        ("reports:report_pdf", "report", "reports.MonthlyReport"),
        ("report-pdf", "report", "reports.MonthlyReport"),
    ],
)
def test_pdf_download_is_recorded(client, world, manager, regional_manager, url_name, key, label):
    obj = world[key]
    if key == "report":
        # Only an approved report is printed.
        obj = factories.take_report(obj, "approved", reviewer=regional_manager)
    client.force_login(manager)
    response = client.get(reverse(url_name, args=[obj.pk]), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    event = AuditEvent.objects.get(action="pdf")
    assert (event.actor, event.object_type, event.object_id) == (manager, label, str(obj.pk))
    assert event.ip_address == "10.1.2.3"


def test_region_month_pdf_is_recorded(client, world, regional_manager):
    client.force_login(regional_manager)
    response = client.get(reverse("reports:region_month_pdf", args=["2026-09"]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="pdf")
    assert event.actor == regional_manager
    assert event.object_type == "crm.Region" and event.object_id == str(regional_manager.region_id)
    assert "2026-09" in event.summary


def test_refused_download_records_nothing(client, world, outsider):
    client.force_login(outsider)
    assert client.get(reverse("visits:visit_pdf", args=[world["visit"].pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="pdf").exists()
