"""The workflow factories make real rows: through the services, signatures drawn.

Before, only helpers in each app's conftest (``make_visit``, ``make_complaint``,
the reports fixtures) could make these, and only inside their own folder.
"""

import pytest
from django.urls import reverse

from complaints.models import Complaint
from reports.models import MonthlyReport
from tests import factories
from visits.models import Visit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_signed_visit_is_locked_with_both_signatures(client, manager):
    customer = factories.CustomerFactory(manager=manager)
    visit = factories.VisitFactory(customer=customer, signed=True)
    assert visit.status == Visit.Status.LOCKED
    signatures = {s.role: s for s in visit.signatures.all()}
    assert set(signatures) == {"manager", "customer"}
    assert all(s.image and s.image_sha256 for s in signatures.values())
    client.force_login(manager)
    assert client.get(reverse("visits:visit_pdf", args=[visit.pk])).status_code == 200


def test_a_visit_at_a_stage_with_content(manager):
    visit = factories.VisitFactory(
        customer__manager=manager,
        stage="ended",
        price_checked=True,
        price_checked_note="低于指导价",
    )
    assert visit.status == Visit.Status.ENDED
    assert visit.manager == manager
    assert visit.price_checked_note == "低于指导价"
    assert not visit.signatures.exists()


def test_an_approved_complaint_has_the_customers_signature(client, manager, regional_manager):
    complaint = factories.ComplaintFactory(customer__manager=manager, stage="approved")
    assert complaint.status == Complaint.Status.APPROVED
    assert complaint.signatures.exists()
    # The region's regional manager approved it (the one there is, not a new one).
    assert complaint.events.filter(actor=regional_manager).exists()
    client.force_login(manager)
    assert client.get(reverse("complaints:detail", args=[complaint.pk])).status_code == 200


@pytest.mark.parametrize("status", ["draft", "submitted", "approved", "returned"])
def test_a_report_at_each_status(client, manager, regional_manager, status):
    factories.CustomerFactory(manager=manager)
    report = factories.ReportFactory(manager=manager, status=status)
    assert report.status == status
    assert MonthlyReport.objects.filter(manager=manager).count() == 1
    client.force_login(manager)
    assert client.get(reverse("reports:report_detail", args=[report.pk])).status_code == 200


def test_the_factories_do_not_build_unsaved_rows(manager):
    with pytest.raises(TypeError, match="through the services"):
        factories.VisitFactory.build(customer__manager=manager)
