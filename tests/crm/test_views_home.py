"""The home page: each role's summary."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.notifications import notify
from crm import services
from tests import factories

pytestmark = pytest.mark.django_db


def test_manager_sees_own_customers_by_grade_and_notifications(login, manager, teammate):
    factories.CustomerFactory(manager=manager, grade=factories.grade("A1"))
    factories.CustomerFactory(manager=manager, grade=factories.grade("A1"))
    factories.CustomerFactory(manager=teammate, grade=factories.grade("A1"))
    notify(user=manager, key="x", title="请回访和平便利店")
    page = login(manager).get(reverse("home")).content.decode()
    assert "我的客户（按等级）" in page
    assert 'data-testid="customer-total">2<' in page
    assert '?grade=A1">2</a>' in page
    assert "请回访和平便利店" in page


def test_regional_manager_sees_customers_by_manager(
    login, regional_manager, manager, teammate, outsider
):
    factories.CustomerFactory.create_batch(2, manager=manager)
    factories.CustomerFactory(manager=teammate)
    factories.CustomerFactory(manager=outsider)
    page = login(regional_manager).get(reverse("home")).content.decode()
    assert "各客户经理的客户数" in page
    assert 'data-testid="customer-total">3<' in page
    assert f'?manager={manager.pk}">2</a>' in page
    assert f'?manager={teammate.pk}">1</a>' in page
    assert f"?manager={outsider.pk}" not in page


def test_admin_sees_totals_last_run_and_imports(
    login, admin_user, manager, django_assert_max_num_queries
):
    factories.CustomerFactory.create_batch(3, manager=manager)
    services.regrading_propose(actor=admin_user)
    client = login(admin_user)
    # Session, user, grade counts, grades, exited count, notifications, user
    # counts, last run, last imports, unread count, the work queue (complaints,
    # reports, price violations, new customers not contacted), and saving the
    # session (up to 19); the KPI dashboard (up to 20, each query named in
    # tests/home/test_dashboards.py, which also checks it does not grow with the data).
    with django_assert_max_num_queries(39):
        page = client.get(reverse("home")).content.decode()
    assert 'data-testid="customer-total">3<' in page
    assert "最近一次重新分级" in page
    assert "待确认" in page


def test_work_queue_counts_what_waits_for_each_role(
    login, manager, regional_manager, other_regional_manager, customer
):
    from complaints import services as complaint_services

    complaint_services.complaint_open(
        actor=manager,
        customer=customer,
        problem="条盒破损",
        reported_on=timezone.localdate() - datetime.timedelta(days=7),
        product="中华(硬)",
    )

    def queue(user):
        page = login(user).get(reverse("home"))
        return {item["key"]: item["count"] for item in page.context["work_queue"]}

    assert queue(manager)["complaints_to_handle"] == 1
    # Inspection was due within a working day: it is late, for the region only.
    assert queue(regional_manager)["complaints_overdue"] == 1
    assert queue(other_regional_manager)["complaints_overdue"] == 0
