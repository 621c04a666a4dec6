"""A rejected complaint is corrected (product, batch, quantity) before it is inspected
and submitted again; the timeline says what changed. Service, page, API and browser."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from complaints import services
from complaints.models import Complaint, ComplaintEvent
from core.errors import ConflictError
from tests.browser_support import browser_page, login_as, seeded  # noqa: F401
from tests.complaints.conftest import inspection_fields, make_complaint

S = Complaint.Status


def _rejected(manager, customer, regional_manager):
    complaint = make_complaint(manager, customer, regional_manager, stage="submitted")
    return services.complaint_reject(
        complaint=complaint, actor=regional_manager, reason="请补充批次号"
    )


@pytest.mark.django_db
class TestService:
    def test_corrected_then_inspected_and_submitted_again(
        self, manager, customer, regional_manager
    ):
        complaint = _rejected(manager, customer, regional_manager)
        complaint = services.complaint_correct(
            complaint=complaint,
            actor=manager,
            product="中华(软)",
            batch_number="B20261101",
            quantity=Decimal("3"),
        )
        complaint.refresh_from_db()
        assert (complaint.product, complaint.batch_number, complaint.quantity) == (
            "中华(软)",
            "B20261101",
            Decimal("3.00"),
        )
        assert complaint.status == S.REJECTED
        event = complaint.events.order_by("-pk").first()
        assert event.action == ComplaintEvent.Action.CORRECTED
        assert event.actor == manager
        assert event.comment == (
            "Product: 中华(硬) → 中华(软); Batch number: — → B20261101; Quantity: 2.00 → 3"
        )
        complaint = services.complaint_inspect(
            complaint=complaint, actor=manager, **inspection_fields()
        )
        complaint = services.complaint_submit(complaint=complaint, actor=manager)
        assert complaint.status == S.SUBMITTED

    def test_nothing_changed_is_a_field_less_error(self, manager, customer, regional_manager):
        complaint = _rejected(manager, customer, regional_manager)
        with pytest.raises(ValidationError, match="Nothing was changed"):
            services.complaint_correct(
                complaint=complaint,
                actor=manager,
                product=complaint.product,
                batch_number="",
                quantity=complaint.quantity,
            )
        assert not complaint.events.filter(action=ComplaintEvent.Action.CORRECTED).exists()

    def test_only_a_rejected_complaint_by_its_manager(
        self, manager, teammate, customer, regional_manager
    ):
        submitted = make_complaint(manager, customer, regional_manager, stage="submitted")
        with pytest.raises(ConflictError):
            services.complaint_correct(
                complaint=submitted, actor=manager, product="x", batch_number="", quantity=None
            )
        rejected = _rejected(manager, customer, regional_manager)
        for someone in (teammate, regional_manager):
            with pytest.raises(PermissionDenied):
                services.complaint_correct(
                    complaint=rejected, actor=someone, product="x", batch_number="", quantity=None
                )


@pytest.mark.django_db
class TestPageAndApi:
    def test_the_page_offers_the_correction_and_the_timeline_shows_it(
        self, client, manager, customer, regional_manager
    ):
        complaint = _rejected(manager, customer, regional_manager)
        client.force_login(manager)
        page = client.get(complaint.get_absolute_url()).text
        assert 'id="action-correct"' in page
        url = reverse("complaints:action", args=[complaint.pk, "correct"])
        response = client.post(url, {"product": "中华(硬)", "batch_number": "", "quantity": "2"})
        assert response.status_code == 400  # nothing changed
        assert "Nothing was changed" in response.text
        response = client.post(url, {"product": "中华(硬)", "batch_number": "B7", "quantity": "2"})
        assert response.status_code == 302
        page = client.get(complaint.get_absolute_url()).text
        assert "Corrected after the rejection" in page
        assert "Batch number: — → B7" in page
        # The regional manager sees the correction, and may not make one.
        client.force_login(regional_manager)
        assert 'id="action-correct"' not in client.get(complaint.get_absolute_url()).text
        assert client.post(url, {"batch_number": "B8"}).status_code == 403

    def test_someone_elses_complaint_is_404(
        self, client, outsider, manager, customer, regional_manager
    ):
        complaint = _rejected(manager, customer, regional_manager)
        client.force_login(outsider)
        url = reverse("complaints:action", args=[complaint.pk, "correct"])
        assert client.post(url, {"batch_number": "B7"}).status_code == 404

    def test_api(self, api_login, manager, customer, regional_manager):
        complaint = _rejected(manager, customer, regional_manager)
        api = api_login(manager)
        before = api.get(f"/api/complaints/{complaint.pk}/").json()
        assert "correct" in before["steps"]
        response = api.post(
            f"/api/complaints/{complaint.pk}/correct/",
            {"product": "中华(软)", "batch_number": "B7", "quantity": "3"},
            format="json",
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["product"], body["batch_number"]) == ("中华(软)", "B7")
        assert body["events"][-1]["action"] == "corrected"
        bad = api.post(
            f"/api/complaints/{complaint.pk}/correct/", {"quantity": "-1"}, format="json"
        )
        assert bad.status_code == 400
        assert "quantity" in bad.json()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_manager_corrects_a_rejected_complaint_on_a_phone(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
    customer,
    regional_manager,
):
    complaint = _rejected(manager, customer, regional_manager)
    page = browser_page
    login_as(page, live_server, manager)
    page.goto(f"{live_server.url}{complaint.get_absolute_url()}")
    form = page.locator("#action-correct")
    form.locator("[name=batch_number]").fill("B20261101")
    form.locator("[name=quantity]").fill("3")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#timeline [data-event=corrected]")
    entry = page.locator("#timeline [data-event=corrected]").inner_text()
    assert "Batch number: — → B20261101" in entry and "Quantity: 2.00 → 3" in entry
    # Then inspected again and resubmitted, as the rejection asked.
    assert page.locator("#action-inspect").is_visible()
