"""The home page: each role's summary."""

import pytest
from django.urls import reverse

from crm import services
from crm.notifications import notify
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
    # counts, last run, last imports, unread count, and saving the session.
    with django_assert_max_num_queries(13):
        page = client.get(reverse("home")).content.decode()
    assert 'data-testid="customer-total">3<' in page
    assert "最近一次重新分级" in page
    assert "待确认" in page
