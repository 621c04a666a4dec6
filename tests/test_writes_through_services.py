"""Every write goes through a service: the API's grade, region and calendar
writes and the Django admin's saves call the services the pages call, and no
admin form sets a workflow status."""

import datetime
import functools
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from complaints.models import Complaint
from core.models import AuditEvent, CalendarDay
from crm import services
from crm.models import Assignment, Customer, Grade, Region
from tests import factories
from visits.models import UnlicensedReport, Visit, WeeklySchedule
from visits.services import schedules, unlicensed

pytestmark = pytest.mark.django_db


@pytest.fixture
def spy(monkeypatch):
    """``spy("grade_create")``: the real crm service, with its calls counted."""

    def _spy(name):
        real = getattr(services, name)
        calls = []

        @functools.wraps(real)
        def wrapper(**kwargs):
            calls.append(kwargs)
            return real(**kwargs)

        monkeypatch.setattr(services, name, wrapper)
        return calls

    return _spy


GRADE = {
    "code": "Z9",
    "name": "测试级",
    "rank": 99,
    "min_annual_amount": "0.00",
    "max_annual_amount": "100.00",
    "visit_interval_days": 30,
    "promotion_allowed": False,
    "description": "",
}


# The API ---------------------------------------------------------------------------


def test_api_grade_writes_call_the_grade_services(api_login, admin_user, spy):
    created, updated, deleted = spy("grade_create"), spy("grade_update"), spy("grade_delete")
    api = api_login(admin_user)

    response = api.post("/api/grades/", GRADE, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    response = api.patch(f"/api/grades/{pk}/", {"name": "改名"}, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "改名"
    assert api.delete(f"/api/grades/{pk}/").status_code == 204

    assert [len(created), len(updated), len(deleted)] == [1, 1, 1]
    assert created[0]["actor"] == admin_user
    row = AuditEvent.objects.get(action="delete", object_type="crm.Grade")
    assert (row.actor, row.data["fields"]["code"]) == (admin_user, "Z9")


def test_api_grade_gets_the_services_field_message(api_login, admin_user):
    api = api_login(admin_user)
    grade = Grade.objects.create(**{**GRADE, "max_annual_amount": 100})

    response = api.patch(f"/api/grades/{grade.pk}/", {"max_annual_amount": "0.00"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "max_annual_amount": ["The maximum must be greater than the minimum."]
    }
    grade.refresh_from_db()
    assert grade.max_annual_amount == 100


def test_api_grade_still_given_to_customers_is_a_409(api_login, admin_user, customer):
    response = api_login(admin_user).delete(f"/api/grades/{customer.grade_id}/")

    assert response.status_code == 409
    assert response.json() == {"detail": "Customers still have this grade; regrade them first."}
    assert not AuditEvent.objects.filter(action="delete").exists()


def test_api_region_writes_call_the_region_services(api_login, admin_user, spy):
    created, updated, deleted = spy("region_create"), spy("region_update"), spy("region_delete")
    api = api_login(admin_user)

    response = api.post("/api/regions/", {"code": "NORTH", "name": "城北区域"}, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    response = api.put(f"/api/regions/{pk}/", {"code": "NORTH", "name": "北区"}, format="json")
    assert response.status_code == 200
    assert Region.objects.get(pk=pk).name == "北区"
    assert api.delete(f"/api/regions/{pk}/").status_code == 204

    assert [len(created), len(updated), len(deleted)] == [1, 1, 1]
    row = AuditEvent.objects.get(action="delete", object_type="crm.Region")
    assert (row.actor, row.data["fields"]["name"]) == (admin_user, "北区")


def test_api_region_bad_input_gets_field_messages(api_login, admin_user, region):
    api = api_login(admin_user)

    response = api.post("/api/regions/", {"code": region.code, "name": ""}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"code", "name"}
    assert Region.objects.count() == 1


def test_a_manager_cannot_write_regions(api_login, manager, region):
    api = api_login(manager)

    assert api.post("/api/regions/", {"code": "N", "name": "北"}, format="json").status_code == 403
    assert api.delete(f"/api/regions/{region.pk}/").status_code == 403
    assert Region.objects.filter(pk=region.pk).exists()


def test_api_calendar_writes_call_the_calendar_services(api_login, admin_user, spy):
    created, updated, deleted = (
        spy("calendar_day_create"),
        spy("calendar_day_update"),
        spy("calendar_day_delete"),
    )
    api = api_login(admin_user)

    day = {"date": "2026-12-25", "kind": CalendarDay.Kind.HOLIDAY, "name": "测试"}
    response = api.post("/api/calendar/", day, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    response = api.patch(f"/api/calendar/{pk}/", {"name": "改"}, format="json")
    assert response.status_code == 200
    assert api.delete(f"/api/calendar/{pk}/").status_code == 204

    assert [len(created), len(updated), len(deleted)] == [1, 1, 1]
    row = AuditEvent.objects.get(action="delete", object_type="core.CalendarDay")
    assert (row.actor, row.data["fields"]["name"]) == (admin_user, "改")


def test_api_calendar_bad_input_gets_field_messages(api_login, admin_user):
    CalendarDay.objects.create(date=datetime.date(2026, 12, 25), kind=CalendarDay.Kind.HOLIDAY)
    days = CalendarDay.objects.count()
    api = api_login(admin_user)

    response = api.post("/api/calendar/", {"date": "2026-12-25", "kind": "weekend"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"date", "kind"}
    assert CalendarDay.objects.count() == days


# The Django admin ------------------------------------------------------------------


class _FormValues(HTMLParser):
    """The values a browser would post back from the page's change form."""

    def __init__(self):
        super().__init__()
        self.values = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if attrs.get("type") == "checkbox" else ""
            self.values[name] = attrs.get("value") or default
        elif tag == "select" and name:
            # Only selected options are posted (a multiple select may have none).
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def _change_page(client, obj):
    meta = obj._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    response = client.get(url)
    assert response.status_code == 200
    parser = _FormValues()
    parser.feed(response.content.decode())
    return url, parser.values


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize(
    "make, changed",
    [
        (lambda m, c: factories.VisitFactory(customer=c, stage="in_progress"), "locked"),
        (lambda m, c: factories.VisitFactory(customer=c, stage="ended"), "locked"),
        (lambda m, c: factories.ComplaintFactory(customer=c, stage="open"), "closed"),
        (
            lambda m, c: schedules.schedule_propose(
                manager=m, week_start=datetime.date(2026, 12, 7)
            )[0],
            WeeklySchedule.Status.SUBMITTED,
        ),
        (
            lambda m, c: unlicensed.unlicensed_report(
                actor=m, address="人民路 9 号", description="无证"
            ),
            UnlicensedReport.Status.CLOSED,
        ),
        (lambda m, c: c, Customer.NetworkStatus.EXITED),
    ],
    ids=["visit-in-progress", "visit-ended", "complaint", "schedule", "unlicensed", "customer"],
)
def test_admin_forms_cannot_set_a_workflow_status(admin_client, manager, customer, make, changed):
    obj = make(manager, customer)
    status_field = "network_status" if isinstance(obj, Customer) else "status"
    before = getattr(obj, status_field)
    url, values = _change_page(admin_client, obj)

    assert status_field not in values  # shown as text, not as a field of the form
    admin_client.post(url, {**values, status_field: changed})

    obj.refresh_from_db()
    assert getattr(obj, status_field) == before


def test_an_in_progress_visit_is_not_edited_in_the_admin(admin_client, customer):
    visit = factories.VisitFactory(customer=customer, stage="in_progress", findings="原样")
    url, values = _change_page(admin_client, visit)

    assert "findings" not in values
    response = admin_client.post(url, {**values, "findings": "改过"})

    assert response.status_code == 403
    visit.refresh_from_db()
    assert (visit.findings, visit.status) == ("原样", Visit.Status.IN_PROGRESS)


def test_a_complaint_is_not_edited_in_the_admin(admin_client, customer):
    complaint = factories.ComplaintFactory(customer=customer, stage="open")
    url, values = _change_page(admin_client, complaint)

    assert admin_client.post(url, {**values, "status": "closed"}).status_code == 403
    assert Complaint.objects.get(pk=complaint.pk).status == complaint.status


def test_customer_manager_grade_and_code_are_read_only_in_the_admin(
    admin_client, manager, customer, teammate
):
    url, values = _change_page(admin_client, customer)
    for field in ("manager", "region", "grade", "code", "network_status", "exited_on"):
        assert field not in values, field

    response = admin_client.post(
        url,
        {
            **values,
            "manager": teammate.pk,
            "grade": factories.grade("A1").pk,
            "code": "HACKED",
            "name": "新店名",
        },
    )

    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.name == "新店名"  # the profile is saved (through customer_update)
    assert (customer.manager, customer.grade.code, customer.code) == (manager, "B2", "C00001")
    assert not Assignment.objects.filter(customer=customer, to_manager=teammate).exists()


def test_customer_admin_save_goes_through_customer_update(admin_client, customer, spy):
    calls = spy("customer_update")
    url, values = _change_page(admin_client, customer)

    assert admin_client.post(url, {**values, "address": "解放路 2 号"}).status_code == 302

    assert [call["data"] for call in calls] == [{"address": "解放路 2 号"}]
    assert calls[0]["actor"].username == "crmadmin"


def test_grade_region_and_calendar_admin_saves_and_deletes_call_the_services(
    admin_client, admin_user, spy
):
    calls = {
        name: spy(name)
        for name in (
            "grade_create",
            "grade_update",
            "grade_delete",
            "region_create",
            "region_update",
            "region_delete",
            "calendar_day_create",
            "calendar_day_delete",
        )
    }
    form = {**GRADE, "max_annual_amount": "100", "min_annual_amount": "0"}
    assert admin_client.post(reverse("admin:crm_grade_add"), form).status_code == 302
    grade = Grade.objects.get(code="Z9")
    url, values = _change_page(admin_client, grade)
    assert admin_client.post(url, {**values, "name": "改名"}).status_code == 302
    assert Grade.objects.get(pk=grade.pk).name == "改名"
    delete = reverse("admin:crm_grade_delete", args=[grade.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302

    region_add = reverse("admin:crm_region_add")
    assert admin_client.post(region_add, {"code": "NORTH", "name": "北"}).status_code == 302
    region = Region.objects.get(code="NORTH")
    url, values = _change_page(admin_client, region)
    assert admin_client.post(url, {**values, "name": "城北"}).status_code == 302
    changelist = reverse("admin:crm_region_changelist")
    bulk = {"action": "delete_selected", "_selected_action": [region.pk], "post": "yes"}
    assert admin_client.post(changelist, bulk).status_code == 302

    day_add = reverse("admin:core_calendarday_add")
    day = {"date": "2026-12-25", "kind": CalendarDay.Kind.HOLIDAY, "name": "测试"}
    assert admin_client.post(day_add, day).status_code == 302
    pk = CalendarDay.objects.get(date=datetime.date(2026, 12, 25)).pk
    delete = reverse("admin:core_calendarday_delete", args=[pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302

    assert {name: len(made) for name, made in calls.items()} == dict.fromkeys(calls, 1)
    deleted = set(AuditEvent.objects.filter(action="delete").values_list("object_type", flat=True))
    assert deleted == {"crm.Grade", "crm.Region", "core.CalendarDay"}
    assert not Region.objects.filter(code="NORTH").exists()


def test_user_admin_saves_call_the_user_services(admin_client, manager, spy):
    created, updated = spy("user_create"), spy("user_update")
    url, values = _change_page(admin_client, manager)

    assert admin_client.post(url, {**values, "phone": "13911112222"}).status_code == 302
    response = admin_client.post(
        reverse("admin:crm_user_add"),
        {
            "username": "newbie",
            "usable_password": "true",
            "password1": "Tangerine-Kite-42",
            "password2": "Tangerine-Kite-42",
            "role": "manager",
            "region": manager.region_id,
        },
    )

    assert response.status_code == 302
    assert [call["data"] for call in updated] == [{"phone": "13911112222"}]
    assert [call["data"]["username"] for call in created] == ["newbie"]
    manager.refresh_from_db()
    assert manager.phone == "13911112222"


def test_complaint_deadlines_saved_in_the_admin_are_stamped_by_the_service(
    admin_client, admin_user
):
    from complaints.models import ComplaintSettings

    row = ComplaintSettings.load()
    url, values = _change_page(admin_client, row)

    assert admin_client.post(url, {**values, "inspection_days": "4"}).status_code == 302

    row = ComplaintSettings.objects.get()
    assert (row.inspection_days, row.updated_by) == (4, admin_user)
