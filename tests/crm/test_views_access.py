"""Who may open which page: every persona against every page it may not see."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

ADMIN_PAGES = ["grade_list", "grade_create", "calendar"]
# The regional manager confirms their region's downgrades (tests/crm/test_regrading_regional.py).
SUPERVISOR_PAGES = ["regrading_list"]
EVERYONE_PAGES = [
    "home",
    "customer_list",
    "sales_list",
    "sales_import",
    "sales_import_template",
    "notification_list",
]


@pytest.mark.parametrize("name", ADMIN_PAGES + EVERYONE_PAGES + ["customer_create"])
def test_anonymous_is_sent_to_login(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")


def test_anonymous_customer_detail_is_sent_to_login(client, customer):
    response = client.get(customer.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["manager", "regional_manager", "admin_user"])
@pytest.mark.parametrize("name", EVERYONE_PAGES)
def test_every_role_opens_the_common_pages(request, login, persona, name):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("persona", ["manager", "regional_manager"])
@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_pages_are_403_for_others(request, login, persona, name):
    client = login(request.getfixturevalue(persona))
    response = client.get(reverse(name))
    assert response.status_code == 403
    assert "无权操作" in response.content.decode()


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_opens_admin_pages(login, admin_user, name):
    assert login(admin_user).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", SUPERVISOR_PAGES)
def test_supervisor_pages_are_403_for_managers_only(
    login, manager, regional_manager, admin_user, name
):
    response = login(manager).get(reverse(name))
    assert response.status_code == 403
    assert "无权操作" in response.content.decode()
    assert login(regional_manager).get(reverse(name)).status_code == 200
    assert login(admin_user).get(reverse(name)).status_code == 200


def test_grade_edit_is_admin_only(login, manager, admin_user):
    grade = factories.grade("A1")
    url = reverse("grade_edit", args=[grade.pk])
    assert login(manager).get(url).status_code == 403
    assert login(admin_user).get(url).status_code == 200


class TestCustomerList:
    SHOPS = {"manager": "自己的店", "teammate": "同事的店", "outsider": "外区的店"}

    @pytest.mark.parametrize(
        ("persona", "seen", "heading"),
        [
            ("manager", {"manager"}, "我的客户"),
            ("regional_manager", {"manager", "teammate"}, "区域客户"),
            ("admin_user", {"manager", "teammate", "outsider"}, ""),
        ],
    )
    def test_each_role_sees_its_customers_only(self, request, login, persona, seen, heading):
        for owner, name in self.SHOPS.items():
            factories.CustomerFactory(manager=request.getfixturevalue(owner), name=name)
        user = request.getfixturevalue(persona)
        page = login(user).get(reverse("customer_list")).content.decode()
        assert {owner for owner, name in self.SHOPS.items() if name in page} == seen
        assert heading in page


class TestCustomerDetail:
    @pytest.mark.parametrize("persona", ["teammate", "outsider", "other_regional_manager"])
    def test_someone_elses_customer_is_404(self, request, login, customer, persona):
        client = login(request.getfixturevalue(persona))
        for name in (
            "customer_detail",
            "customer_edit",
            "customer_reassign",
            "customer_change_grade",
            "customer_exit_network",
            "customer_rejoin_network",
        ):
            assert client.get(reverse(name, args=[customer.pk])).status_code == 404, name

    @pytest.mark.parametrize("persona", ["manager", "regional_manager", "admin_user"])
    def test_who_may_see_it_sees_it(self, request, login, customer, persona):
        response = login(request.getfixturevalue(persona)).get(customer.get_absolute_url())
        assert response.status_code == 200
        assert "和平便利店" in response.content.decode()

    def test_unknown_customer_is_404(self, login, admin_user):
        assert login(admin_user).get(reverse("customer_detail", args=[999999])).status_code == 404

    def test_manager_may_edit_but_not_supervise(self, login, manager, customer):
        client = login(manager)
        page = client.get(customer.get_absolute_url()).content.decode()
        assert reverse("customer_edit", args=[customer.pk]) in page
        assert reverse("customer_reassign", args=[customer.pk]) not in page
        for name in ("customer_reassign", "customer_change_grade", "customer_exit_network"):
            assert client.get(reverse(name, args=[customer.pk])).status_code == 403, name

    def test_regional_manager_sees_supervisor_actions(self, login, regional_manager, customer):
        page = login(regional_manager).get(customer.get_absolute_url()).content.decode()
        for name in ("customer_reassign", "customer_change_grade", "customer_exit_network"):
            assert reverse(name, args=[customer.pk]) in page

    def test_manager_cannot_create_customers(self, login, manager):
        assert login(manager).get(reverse("customer_create")).status_code == 403


class TestNavigation:
    def test_manager_menu(self, login, manager):
        page = login(manager).get(reverse("home")).content.decode()
        assert "我的客户" in page
        assert "销售导入" in page
        assert reverse("grade_list") not in page
        assert reverse("admin:index") not in page

    def test_admin_menu(self, login, admin_user):
        page = login(admin_user).get(reverse("home")).content.decode()
        for label in ("客户档案", "分级方案", "重新分级", "销售导入", "工作日历", "后台管理"):
            assert label in page, label

    def test_unread_notifications_are_counted(self, login, manager):
        from core.notifications import notify

        notify(user=manager, key="a", title="第一条")
        notify(user=manager, key="b", title="第二条")
        page = login(manager).get(reverse("home")).content.decode()
        assert 'data-testid="unread-count">2<' in page
