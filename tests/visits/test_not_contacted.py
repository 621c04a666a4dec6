"""New customers: the manager is told at assignment; one not visited within 7 days is on
the regional manager's list with the reassign action."""

import pytest
from django.core import mail
from django.urls import reverse

from core.models import Notification
from crm import services
from crm.models import Customer
from tests import factories
from tests.visits.conftest import record
from visits.first_contact import not_contacted_list

pytestmark = pytest.mark.django_db


def _new_customer(actor, manager, code, travel, when):
    travel(when)
    return services.customer_create(
        actor=actor,
        data={
            "code": code,
            "name": f"新店{code}",
            "licence_number": f"L{code}",
            "region": manager.region,
            "manager": manager,
        },
    )


def test_the_manager_is_told_at_creation_and_at_reassignment(
    manager, teammate, regional_manager, travel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        customer = _new_customer(regional_manager, manager, "N1", travel, "2026-12-28 09:00")
    note = Notification.objects.get(user=manager)
    assert "新店N1" in note.title
    assert "2027-01-04" in note.body  # 7 days, across the year end
    assert note.url == customer.get_absolute_url()
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.customer_reassign(
            customer=customer, actor=regional_manager, manager=teammate, reason="调整片区"
        )
    assert Notification.objects.filter(user=teammate, title__contains="新店N1").count() == 1
    assert Notification.objects.filter(user=manager).count() == 1


def test_not_visited_in_7_days_is_listed_until_the_manager_visits(
    manager, teammate, outsider, regional_manager, travel
):
    late = _new_customer(regional_manager, manager, "LATE", travel, "2026-10-25 09:00")
    _new_customer(regional_manager, manager, "FRESH", travel, "2026-10-30 09:00")
    visited = _new_customer(regional_manager, teammate, "SEEN", travel, "2026-10-25 09:00")
    record(visited, teammate, late.assigned_at.replace(day=27))
    factories.CustomerFactory(manager=outsider, code="AWAY", assigned_at=late.assigned_at)
    travel("2026-11-01 10:00")  # 7 days and 1 hour after LATE, across a month end
    assert [c.code for c in not_contacted_list(user=regional_manager)] == ["LATE"]
    record(late, manager, late.assigned_at.replace(day=31))
    assert list(not_contacted_list(user=regional_manager)) == []


def test_a_visit_by_the_previous_manager_does_not_count(
    manager, teammate, regional_manager, travel
):
    customer = _new_customer(regional_manager, manager, "MOVED", travel, "2026-10-01 09:00")
    record(customer, manager, customer.assigned_at.replace(day=2))
    travel("2026-10-05 09:00")
    services.customer_reassign(
        customer=customer, actor=regional_manager, manager=teammate, reason="调整"
    )
    travel("2026-10-13 09:00")
    assert [c.code for c in not_contacted_list(user=regional_manager)] == ["MOVED"]


def test_exited_and_unassigned_customers_are_not_listed(manager, regional_manager, travel):
    customer = _new_customer(regional_manager, manager, "EXIT", travel, "2026-10-01 09:00")
    Customer.objects.filter(pk=customer.pk).update(
        network_status=Customer.NetworkStatus.EXITED, exit_reason="x"
    )
    factories.CustomerFactory(manager=None, code="NOBODY")
    travel("2026-10-20 09:00")
    assert list(not_contacted_list(user=regional_manager)) == []


def test_the_page_for_the_regional_manager_and_admin_only(
    manager,
    outsider,
    regional_manager,
    other_regional_manager,
    admin_user,
    login,
    english,
    travel,
):
    _new_customer(regional_manager, manager, "EASTLATE", travel, "2026-10-01 09:00")
    _new_customer(other_regional_manager, outsider, "WESTLATE", travel, "2026-10-01 09:00")
    travel("2026-10-20 09:00")
    url = reverse("visits:not_contacted")
    page = login(regional_manager).get(url).content.decode()
    assert "新店EASTLATE" in page and "新店WESTLATE" not in page
    east = Customer.objects.get(code="EASTLATE")
    assert reverse("customer_reassign", args=[east.pk]) in page
    assert "19 days without a visit" in page
    page = login(other_regional_manager).get(url).content.decode()
    assert "新店WESTLATE" in page and "新店EASTLATE" not in page
    page = login(admin_user).get(url).content.decode()
    assert "新店WESTLATE" in page and "新店EASTLATE" in page
    assert login(manager).get(url).status_code == 403
    # The reassign action itself stays the region's: another region's is 404.
    assert (
        login(other_regional_manager).get(reverse("customer_reassign", args=[east.pk])).status_code
        == 404
    )


def test_linked_from_the_home_work_queue_with_its_count(
    manager, regional_manager, login, english, travel
):
    _new_customer(regional_manager, manager, "Q1", travel, "2026-10-01 09:00")
    _new_customer(regional_manager, manager, "Q2", travel, "2026-10-01 09:00")
    travel("2026-10-20 09:00")
    home = login(regional_manager).get(reverse("home"))
    item = next(i for i in home.context["work_queue"] if i["key"] == "not_contacted")
    assert (item["count"], item["url"]) == (2, reverse("visits:not_contacted"))
    mine = login(manager).get(reverse("home"))
    assert all(i["key"] != "not_contacted" for i in mine.context["work_queue"])


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_costs_the_same_whatever_its_size(
    rows, manager, regional_manager, login, travel, django_assert_max_num_queries
):
    for n in range(rows):
        _new_customer(regional_manager, manager, f"B{n}", travel, "2026-10-01 09:00")
    travel("2026-10-20 09:00")
    client = login(regional_manager)
    # session, user, the reminder settings, count, the page's rows (with region, manager
    # and grade), the unread notifications' badge, the session's save (a savepoint and
    # its release around it)
    with django_assert_max_num_queries(9):
        answer = client.get(reverse("visits:not_contacted"))
    assert answer.status_code == 200


def test_the_managers_today_page_lists_new_customers_to_visit_by_their_day(
    manager, teammate, regional_manager, login, english, travel
):
    _new_customer(regional_manager, manager, "FIRST", travel, "2026-12-28 09:00")
    _new_customer(regional_manager, teammate, "OTHERS", travel, "2026-12-28 09:00")
    seen = _new_customer(regional_manager, manager, "SEEN", travel, "2026-12-28 09:00")
    record(seen, manager, seen.assigned_at.replace(hour=11))
    travel("2026-12-30 10:00")
    page = login(manager).get(reverse("visits:today")).content.decode()
    block = page.split('data-testid="first-visits"')[1].split("</ul>")[0]
    assert "新店FIRST" in block and "visit by" in block and "01-04" in block
    assert "新店OTHERS" not in block and "新店SEEN" not in block
