"""A manager cannot set what is not theirs to set, and session writes need the CSRF token.

Assignment, region, grade, network status, workflow status and signatures
each have their own action with its own check and history; posting them with
an ordinary edit changes nothing (or is refused).
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from complaints.models import Complaint
from crm.forms import ContactFormSet, CustomerForm
from crm.models import Customer
from reports.models import MonthlyReport
from tests import factories
from visits.models import Signature, Visit

pytestmark = pytest.mark.django_db


def _forbidden_customer_fields(teammate, other_region):
    return {
        "manager": teammate.pk,
        "manager_id": teammate.pk,
        "region": other_region.pk,
        "region_id": other_region.pk,
        "grade": "D",
        "grade_id": factories.grade("D").pk,
        "network_status": "exited",
        "exited_on": "2026-10-01",
        "assigned_at": "2020-01-01T00:00:00Z",
    }


def _assert_customer_unchanged(customer, before):
    customer.refresh_from_db()
    assert (customer.manager_id, customer.region_id, customer.grade_id) == before[:3]
    assert customer.network_status == before[3] == Customer.NetworkStatus.ACTIVE


def test_customer_api_edit(api_login, world, manager, teammate, other_region):
    customer = world["customer"]
    before = (customer.manager_id, customer.region_id, customer.grade_id, customer.network_status)
    payload = {"address": "新地址 8 号", **_forbidden_customer_fields(teammate, other_region)}
    response = api_login(manager).patch(f"/api/customers/{customer.pk}/", payload, format="json")
    # Unknown fields are ignored by the serializer; the allowed one is saved.
    assert response.status_code == 200, response.content
    _assert_customer_unchanged(customer, before)
    assert customer.address == "新地址 8 号"


def test_customer_browser_edit(client, world, manager, teammate, other_region):
    customer = world["customer"]
    before = (customer.manager_id, customer.region_id, customer.grade_id, customer.network_status)
    form = CustomerForm(instance=customer, user=manager)
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    formset = ContactFormSet(instance=customer, prefix="contacts")
    management = formset.management_form
    data.update({f"contacts-{k}": management[k].value() for k in management.fields})
    data.update(address="新地址 9 号", **_forbidden_customer_fields(teammate, other_region))
    client.force_login(manager)
    response = client.post(reverse("customer_edit", args=[customer.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    _assert_customer_unchanged(customer, before)
    assert customer.address == "新地址 9 号"


def _api_then_page(api, client, user, patch, post):
    """``user`` sends ``patch`` (path, body) to the API, then ``post`` (url, data) as the form."""
    response = api.patch(*patch, format="json")
    assert response.status_code == 200, response.content
    client.force_login(user)
    client.post(*post)


def test_visit_update_api_and_browser(api_login, client, manager, teammate, customer, settings):
    from tests.visits.conftest import data_url, make_visit

    visit = make_visit(manager, customer, stage="in_progress")
    other = factories.CustomerFactory(manager=teammate)
    forbidden = {
        "status": "locked",
        "manager": teammate.pk,
        "customer": other.pk,
        "signatures": [{"role": "customer", "image": data_url()}],
        "locked_at": "2026-10-09T10:00:00Z",
    }
    form = {k: v for k, v in forbidden.items() if k != "signatures"}
    _api_then_page(
        api_login(manager),
        client,
        manager,
        (f"/api/visits/records/{visit.pk}/", {"findings": "货架整洁", **forbidden}),
        (reverse("visits:visit_edit", args=[visit.pk]), {"findings": "货架整洁 2", **form}),
    )
    visit.refresh_from_db()
    assert visit.findings == "货架整洁 2"
    assert visit.status == Visit.Status.IN_PROGRESS
    assert (visit.manager_id, visit.customer_id) == (manager.pk, customer.pk)
    assert not Signature.objects.filter(visit=visit).exists()


def test_complaint_open_and_steps(api_login, manager, teammate, customer, regional_manager):
    client = api_login(manager)
    response = client.post(
        "/api/complaints/",
        {
            "customer": customer.pk,
            "product": "中华(硬)",
            "problem": "受潮",
            "reported_on": "2026-10-09",
            "status": "approved",
            "decided_by": regional_manager.pk,
            "created_by": teammate.pk,
            "inspection_signature": 1,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get(pk=response.json()["id"])
    assert complaint.status == Complaint.Status.OPEN
    assert complaint.created_by == manager and complaint.decided_by is None
    assert complaint.inspection_signature is None
    # A manager cannot take the regional manager's decision either.
    response = client.post(f"/api/complaints/{complaint.pk}/approve/", {}, format="json")
    assert response.status_code == 403
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.OPEN


def test_report_sections(api_login, client, world, manager, regional_manager, teammate):
    report = world["report"]
    forbidden = {
        "status": "approved",
        "approved_by": regional_manager.pk,
        "manager": teammate.pk,
        "region": 999,
        "figures": {"total": 1},
    }
    sections = {"problems": "铺货不足 2", "opinions": "", "forecast_text": ""}
    _api_then_page(
        api_login(manager),
        client,
        manager,
        (f"/api/reports/{report.pk}/", {"problems": "铺货不足", **forbidden}),
        (reverse("reports:report_sections", args=[report.pk]), {**sections, **forbidden}),
    )
    report.refresh_from_db()
    assert report.problems == "铺货不足 2"
    assert report.status == MonthlyReport.Status.DRAFT
    assert report.approved_by is None
    assert (report.manager_id, report.region_id) == (manager.pk, manager.region_id)


# CSRF -----------------------------------------------------------------------------------


def test_session_api_write_needs_the_csrf_token(world, manager):
    client = APIClient(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(manager)
    customer = world["customer"]
    url = f"/api/customers/{customer.pk}/"
    response = client.patch(url, {"address": "无令牌"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    customer.refresh_from_db()
    assert customer.address != "无令牌"

    # With the token from the cookie, as the browser's JavaScript sends it, it goes through.
    client.get(reverse("customer_detail", args=[customer.pk]))
    token = client.cookies["csrftoken"].value
    response = client.patch(url, {"address": "有令牌"}, format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


def test_token_api_write_needs_no_csrf_token(world, manager):
    from accounts.services import token_create

    client = APIClient(enforce_csrf_checks=True)
    _token, key = token_create(user=manager)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.patch(
        f"/api/customers/{world['customer'].pk}/", {"address": "令牌"}, format="json"
    )
    assert response.status_code == 200
