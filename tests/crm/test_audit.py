"""The audit trail: what gets recorded, who may read it, and that it cannot change."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent
from crm import services
from crm.models import Grade
from tests import factories

pytestmark = pytest.mark.django_db


def test_logins_and_failed_logins_are_recorded_with_the_address(client, manager):
    manager.set_password("right-pass-2026")
    manager.save()

    client.post(reverse("login"), {"username": manager.username, "password": "nope"})
    client.post(
        reverse("login"),
        {"username": manager.username, "password": "right-pass-2026"},
        REMOTE_ADDR="10.1.2.3",
    )

    failed, success = AuditEvent.objects.order_by("id")
    assert (failed.action, failed.actor, failed.username) == ("login_failed", manager, "manager")
    assert (success.action, success.actor, success.ip_address) == ("login", manager, "10.1.2.3")


def test_grade_and_manager_changes_are_recorded_with_the_actor(admin_user, customer, teammate):
    new_grade = Grade.objects.get(code="A1")

    services.customer_change_grade(
        customer=customer, actor=admin_user, grade=new_grade, reason="年度评定"
    )
    services.customer_reassign(customer=customer, actor=admin_user, manager=teammate, reason="调岗")

    actions = list(
        AuditEvent.objects.filter(object_id=str(customer.pk))
        .order_by("id")
        .values_list("action", "actor", "object_type")
    )
    assert actions == [
        ("grade_change", admin_user.pk, "crm.Customer"),
        ("assignment", admin_user.pk, "crm.Customer"),
    ]
    assert "年度评定" in AuditEvent.objects.get(action="grade_change").summary


def test_audit_rows_refuse_update_and_delete_through_the_orm(admin_user):
    event = AuditEvent.objects.create(action="export", actor=admin_user, summary="客户清单")

    event.summary = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="changed")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).summary == "客户清单"


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_refuses_update_and_delete_of_audit_rows(admin_user):
    event = AuditEvent.objects.create(action="export", actor=admin_user, summary="客户清单")

    for sql in (
        "UPDATE crm_auditevent SET summary = 'changed' WHERE id = %s",
        "DELETE FROM crm_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])

    assert AuditEvent.objects.get(pk=event.pk).summary == "客户清单"


def test_only_admins_browse_the_audit_trail(client, admin_user, manager, regional_manager):
    AuditEvent.objects.create(
        action="export", actor=manager, username="manager", summary="客户清单 C00042"
    )

    for person in (manager, regional_manager):
        client.force_login(person)
        assert client.get(reverse("audit_list")).status_code == 403

    client.force_login(admin_user)
    response = client.get(reverse("audit_list"), {"action": "export"})
    assert response.status_code == 200
    assert "客户清单 C00042" in response.content.decode()
    assert (
        "客户清单 C00042"
        not in client.get(reverse("audit_list"), {"action": "login"}).content.decode()
    )


def test_audit_list_costs_the_same_queries_for_more_rows(client, admin_user):
    client.force_login(admin_user)
    for _i in range(3):
        AuditEvent.objects.create(action="export", actor=admin_user, summary="x")
    client.get(reverse("audit_list"))  # warm caches (session, content types)

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("audit_list"))
    for _i in range(30):
        AuditEvent.objects.create(action="export", actor=factories.ManagerFactory(), summary="y")
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("audit_list"))

    assert len(large.captured_queries) == len(small.captured_queries)
