"""Nothing the users' records consist of is deleted, from any route; audit rows stay.

Configuration (regions, grades, calendar days) can still be deleted by an
admin, and each deletion leaves an audit row with what was deleted.
"""

import datetime

import pytest
from django.contrib import admin
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core import audit
from core.models import AuditEvent, CalendarDay, Notification
from crm.models import Grade, Region, SalesImport
from tests import factories
from visits.models import UnlicensedReport, WeeklySchedule, WorkLog
from visits.services import schedules, unlicensed, work_logs

pytestmark = pytest.mark.django_db

# Models an admin may delete in the Django admin: configuration, not records.
CONFIGURATION = {
    "crm.Region",
    "crm.Grade",
    "core.CalendarDay",
    # A region's group robot (its removal is audited, like a region's).
    "crm.RegionRobot",
    # Django's and the libraries' own: permission groups, lockout entries
    # (deleting one unlocks a user), API tokens (deleting one revokes it).
    "auth.Group",
    "axes.AccessAttempt",
}
CONFIGURATION_PREFIXES = ("knox.", "authtoken.", "accounts.")


def _admin_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_no_user_record_is_deletable_in_the_admin(admin_user):
    request = _admin_request(admin_user)
    deletable = set()
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        if label in CONFIGURATION or label.startswith(CONFIGURATION_PREFIXES):
            continue
        if model_admin.has_delete_permission(request) or "delete_selected" in (
            model_admin.get_actions(request)
        ):
            deletable.add(label)
        for inline in model_admin.get_inline_instances(request):
            if inline.has_delete_permission(request) and inline.can_delete:
                deletable.add(f"{label} > {inline.model._meta.label}")
    assert deletable == set()


@pytest.fixture
def records(manager, regional_manager, customer, settings, tmp_path):
    """One of each record the outside tester deleted through the admin."""
    settings.MEDIA_ROOT = tmp_path
    schedule, _ = schedules.schedule_propose(
        manager=manager, week_start=datetime.date(2026, 10, 12)
    )
    schedules.schedule_submit(schedule=schedule, actor=manager)
    schedules.schedule_comment(schedule=schedule, actor=regional_manager, text="好")
    report = unlicensed.unlicensed_report(
        actor=manager, address="人民路 9 号", description="无证经营"
    )
    log = work_logs.work_log_write(
        actor=manager, kind=WorkLog.Kind.DAILY, day=datetime.date(2026, 10, 9), content="拜访"
    )
    work_logs.work_log_comment(log=log, actor=regional_manager, text="很好")
    batch = SalesImport.objects.create(file_name="2026-09.csv", row_count=1, imported_by=manager)
    sales = factories.SalesRecordFactory(customer=customer, batch=batch)
    return [schedule, report, log, sales, batch]


def test_admin_refuses_to_delete_records(client, admin_user, records, time_machine):
    client.force_login(admin_user)
    for obj in records:
        meta = obj._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[obj.pk])
        assert client.get(url).status_code == 403, meta.label
        assert client.post(url, {"post": "yes"}).status_code == 403, meta.label
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        client.post(
            changelist,
            {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
        )
        assert type(obj).objects.filter(pk=obj.pk).exists(), meta.label
    schedule = records[0]
    assert WeeklySchedule.objects.get(pk=schedule.pk).comments.count() == 1
    assert UnlicensedReport.objects.filter(pk=records[1].pk).exists()
    assert not AuditEvent.objects.filter(action="delete").exists()


@pytest.fixture
def time_machine():
    import time_machine as tm

    with tm.travel(datetime.datetime(2026, 10, 9, 10, tzinfo=datetime.UTC), tick=False):
        yield


def _api_routes_that_delete():
    """(route, view class) of every /api/ route that answers DELETE."""
    found = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("api/"):
                view = pattern.callback
                cls = getattr(view, "cls", None)
                if cls is None:
                    continue
                actions = getattr(view, "actions", None)
                if actions is not None:
                    deletes = "delete" in actions
                else:
                    deletes = hasattr(cls, "delete") and "delete" in cls.http_method_names
                if deletes:
                    found.add((route, cls.__name__))

    walk(get_resolver().url_patterns, "")
    return {cls for _route, cls in found}


def test_only_configuration_is_deleted_through_the_api():
    # Tokens are revoked (knox's logout views are POST); records have no DELETE.
    assert _api_routes_that_delete() <= {"GradeViewSet", "RegionViewSet", "CalendarViewSet"}


@pytest.mark.parametrize(
    "url",
    [
        "/api/customers/{customer}/",
        "/api/sales/{sales}/",
        "/api/users/{manager}/",
    ],
)
def test_api_delete_of_a_record_is_not_allowed(api_login, admin_user, manager, customer, url):
    sales = factories.SalesRecordFactory(customer=customer)
    target = url.format(customer=customer.pk, sales=sales.pk, manager=manager.pk)
    response = api_login(admin_user).delete(target)
    assert response.status_code == 405
    assert customer.__class__.objects.filter(pk=customer.pk).exists()
    assert sales.__class__.objects.filter(pk=sales.pk).exists()


def test_configuration_deletes_leave_an_audit_row(api_login, client, admin_user):
    day = CalendarDay.objects.create(
        date=datetime.date(2026, 11, 20), kind=CalendarDay.Kind.HOLIDAY, name="测试假日"
    )
    region = Region.objects.create(code="NORTH", name="城北区域")
    grade = Grade.objects.create(
        code="Z9", name="测试", rank=99, min_annual_amount=0, visit_interval_days=30
    )
    api = api_login(admin_user)
    assert api.delete(f"/api/calendar/{day.pk}/").status_code == 204
    assert api.delete(f"/api/regions/{region.pk}/").status_code == 204
    assert api.delete(f"/api/grades/{grade.pk}/").status_code == 204
    events = {e.object_type: e for e in AuditEvent.objects.filter(action="delete")}
    assert set(events) == {"core.CalendarDay", "crm.Region", "crm.Grade"}
    assert events["core.CalendarDay"].actor == admin_user
    assert events["core.CalendarDay"].data["fields"]["name"] == "测试假日"
    assert events["crm.Region"].data["fields"]["code"] == "NORTH"


def test_calendar_day_deleted_in_the_browser_and_the_admin_is_audited(client, admin_user):
    first = CalendarDay.objects.create(
        date=datetime.date(2026, 11, 20), kind=CalendarDay.Kind.HOLIDAY, name="一"
    )
    second = CalendarDay.objects.create(
        date=datetime.date(2026, 11, 27), kind=CalendarDay.Kind.HOLIDAY, name="二"
    )
    client.force_login(admin_user)
    assert client.post(reverse("calendar_day_delete", args=[first.pk])).status_code == 302
    url = reverse("admin:core_calendarday_delete", args=[second.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not CalendarDay.objects.filter(pk__in=[first.pk, second.pk]).exists()
    summaries = set(
        AuditEvent.objects.filter(action="delete", object_type="core.CalendarDay").values_list(
            "object_id", flat=True
        )
    )
    assert summaries == {str(first.pk), str(second.pk)}


def test_a_refused_configuration_delete_leaves_no_audit_row(api_login, admin_user, region):
    factories.ManagerFactory(region=region)
    response = api_login(admin_user).delete(f"/api/regions/{region.pk}/")
    assert response.status_code == 409
    assert Region.objects.filter(pk=region.pk).exists()
    assert not AuditEvent.objects.filter(action="delete").exists()


def test_notifications_are_listed_read_only_and_filter_by_email_status(client, admin_user):
    Notification.objects.create(
        user=admin_user, key="k", title="未发出", email_status=Notification.EmailStatus.FAILED
    )
    client.force_login(admin_user)
    url = reverse("admin:core_notification_changelist")
    page = client.get(url, {"email_status": "failed"})
    assert page.status_code == 200
    assert "未发出" in page.text


# The database itself ---------------------------------------------------------------------


def _sql_refused(sql):
    with (
        pytest.raises((DatabaseError, IntegrityError), match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)


def test_the_database_refuses_to_change_or_delete_audit_rows(admin_user):
    event = audit.record("login", actor=admin_user, summary="admin")
    _sql_refused(f"UPDATE crm_auditevent SET summary = 'x' WHERE id = {event.pk}")
    _sql_refused(f"DELETE FROM crm_auditevent WHERE id = {event.pk}")
    _sql_refused("DELETE FROM crm_auditevent")
    assert AuditEvent.objects.get(pk=event.pk).summary == "admin"


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_refuses_truncate_of_the_audit_table(admin_user):
    event = audit.record("login", actor=admin_user, summary="admin")
    with connection.cursor() as cursor:
        # Without this the row's deferred foreign-key check, still pending in
        # the test's transaction, makes PostgreSQL refuse TRUNCATE first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    _sql_refused("TRUNCATE crm_auditevent")
    _sql_refused("TRUNCATE crm_auditevent CASCADE")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_still_end_with_an_empty_database(admin_user):
    # The flush after this test must get past the triggers (tests/conftest.py).
    audit.record("login", actor=admin_user, summary="admin")
    assert AuditEvent.objects.count() == 1


def test_a_contact_taken_off_a_customer_stays_in_the_audit_trail(api_login, manager, customer):
    kept = factories.ContactFactory(customer=customer, name="老板")
    gone = factories.ContactFactory(customer=customer, name="前店员", phone="13800000009")
    response = api_login(manager).patch(
        f"/api/customers/{customer.pk}/",
        {"contacts": [{"id": kept.pk, "name": "老板"}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert [c["name"] for c in response.json()["contacts"]] == ["老板"]
    event = AuditEvent.objects.get(action="delete")
    assert (event.object_type, event.object_id) == ("crm.Contact", str(gone.pk))
    assert event.actor == manager
    assert event.data["fields"]["phone"] == "13800000009"
