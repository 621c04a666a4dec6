"""The customer pages: list filters and query budget, create and edit with contacts,
supervisor actions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm.models import Assignment, Contact, Customer, GradeChange
from tests import factories

pytestmark = pytest.mark.django_db


def contacts_management(total=1, initial=0):
    return {
        "contacts-TOTAL_FORMS": str(total),
        "contacts-INITIAL_FORMS": str(initial),
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
    }


class TestList:
    def test_query_count_does_not_grow_with_rows(
        self, login, admin_user, manager, django_assert_max_num_queries
    ):
        client = login(admin_user)
        url = reverse("customer_list")
        factories.CustomerFactory.create_batch(3, manager=manager)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        factories.CustomerFactory.create_batch(27, manager=manager)
        # Session, user, count, unread notifications, the page of customers
        # (with region, manager and grade joined), the filter's choices
        # (regions, managers, grades), and saving the session (savepoint,
        # update, release); on PostgreSQL the planner's row estimate first.
        with django_assert_max_num_queries(12):
            response = client.get(url)
        assert response.content.decode().count('class="badge grade-badge') == 30
        with CaptureQueriesContext(connection) as many:
            client.get(url)
        assert len(many.captured_queries) == len(few.captured_queries)

    def test_search_by_licence_number(self, login, manager):
        factories.CustomerFactory(manager=manager, name="要找的店", licence_number="LIC-FIND-ME")
        factories.CustomerFactory(manager=manager, name="别的店", licence_number="LIC-OTHER")
        page = login(manager).get(reverse("customer_list"), {"q": "find-me"}).content.decode()
        assert "要找的店" in page
        assert "别的店" not in page

    def test_grade_filter_takes_several_grades(self, login, manager):
        factories.CustomerFactory(manager=manager, name="甲店", grade=factories.grade("A1"))
        factories.CustomerFactory(manager=manager, name="乙店", grade=factories.grade("B1"))
        factories.CustomerFactory(manager=manager, name="丙店", grade=factories.grade("D"))
        page = login(manager).get(reverse("customer_list") + "?grade=A1&grade=B1").content.decode()
        assert "甲店" in page
        assert "乙店" in page
        assert "丙店" not in page

    def test_pages_of_fifty_keep_the_filters(self, login, manager):
        factories.CustomerFactory.create_batch(51, manager=manager, grade=factories.grade("C"))
        factories.CustomerFactory(manager=manager, name="不在筛选内", grade=factories.grade("D"))
        client = login(manager)
        first = client.get(reverse("customer_list"), {"grade": "C", "ordering": "code"})
        page = first.content.decode()
        assert page.count('class="badge grade-badge') == 50
        assert "第 1–50 条，共 51 条" in page
        assert "?grade=C&amp;ordering=code&amp;page=2" in page
        second = client.get(reverse("customer_list"), {"grade": "C", "ordering": "code", "page": 2})
        assert second.content.decode().count('class="badge grade-badge') == 1

    def test_sorting_by_name_descending(self, login, manager):
        factories.CustomerFactory(manager=manager, name="AAA店")
        factories.CustomerFactory(manager=manager, name="ZZZ店")
        page = login(manager).get(reverse("customer_list"), {"ordering": "-name"}).content.decode()
        assert page.index("ZZZ店") < page.index("AAA店")


class TestDetail:
    def test_shows_profile_contacts_histories_and_sales(
        self, login, regional_manager, customer, django_assert_max_num_queries
    ):
        factories.ContactFactory(customer=customer, name="王老板", phone="13811112222")
        factories.SalesRecordFactory(customer=customer, amount="12345.60")
        Assignment.objects.create(
            customer=customer, from_manager=None, to_manager=customer.manager, reason="开业分配"
        )
        GradeChange.objects.create(
            customer=customer,
            old_grade=factories.grade("C"),
            new_grade=factories.grade("B2"),
            source=GradeChange.Source.MANUAL,
            reason="销量提升",
            changed_by=regional_manager,
        )
        client = login(regional_manager)
        # Session, user, the customer (with region, manager, grade), contacts,
        # grade changes, assignments, sales, unread count, the user's region
        # in the menu, the panels other apps register (latest visits, complaints,
        # the satisfaction answer, the location history), and saving the session
        # (savepoint, update, release).
        with django_assert_max_num_queries(16):
            response = client.get(customer.get_absolute_url())
        page = response.content.decode()
        for text in ("王老板", "13811112222", "开业分配", "销量提升", "人工调整", "12,345.60"):
            assert text in page, text


class TestCreate:
    def post_data(self, **overrides):
        data = {
            "code": "N0001",
            "name": "新开便利店",
            "licence_number": "LIC-NEW-1",
            "customer_type": "retailer",
            **contacts_management(total=2),
            "contacts-0-name": "李店主",
            "contacts-0-role": "店主",
            "contacts-0-phone": "13900001111",
            "contacts-1-name": "",
        }
        data.update(overrides)
        return data

    def test_regional_manager_creates_in_own_region_with_contacts(
        self, login, regional_manager, manager, other_region
    ):
        data = self.post_data(
            manager=manager.pk, grade=factories.grade("B1").pk, region=other_region.pk
        )
        response = login(regional_manager).post(reverse("customer_create"), data)
        customer = Customer.objects.get(code="N0001")
        assert response.status_code == 302
        assert response["Location"] == customer.get_absolute_url()
        # The posted region is ignored: a regional manager's customers are in their region.
        assert customer.region == regional_manager.region
        assert customer.manager == manager
        assert customer.grade.code == "B1"
        assert [c.name for c in customer.contacts.all()] == ["李店主"]
        assert customer.assignments.count() == 1
        page = login(regional_manager).get(response["Location"]).content.decode()
        assert "已新建客户" in page

    def test_invalid_post_shows_chinese_errors_and_saves_nothing(self, login, admin_user):
        data = self.post_data(name="", **{"contacts-0-phone": "call me"})
        response = login(admin_user).post(reverse("customer_create"), data)
        assert response.status_code == 200
        page = response.content.decode()
        assert "此字段为必填项。" in page
        assert "请输入有效的电话号码。" in page
        assert not Customer.objects.exists()
        assert not Contact.objects.exists()

    def test_duplicate_licence_number_is_a_field_error(self, login, admin_user, customer):
        data = self.post_data(licence_number=customer.licence_number, region=customer.region.pk)
        response = login(admin_user).post(reverse("customer_create"), data)
        assert response.status_code == 200
        assert "许可证号" in response.content.decode()
        assert Customer.objects.count() == 1


class TestEdit:
    def test_manager_edits_profile_and_contacts(self, login, manager, customer):
        kept = factories.ContactFactory(customer=customer, name="老联系人")
        dropped = factories.ContactFactory(customer=customer, name="要删除的")
        data = {
            "name": "和平便利店（新址）",
            "licence_number": customer.licence_number,
            "customer_type": "retailer",
            "credit_standing": "良好",
            **contacts_management(total=3, initial=2),
            "contacts-0-id": kept.pk,
            "contacts-0-name": "老联系人",
            "contacts-0-phone": "13700000000",
            "contacts-1-id": dropped.pk,
            "contacts-1-name": "要删除的",
            "contacts-1-DELETE": "on",
            "contacts-2-name": "新联系人",
        }
        response = login(manager).post(reverse("customer_edit", args=[customer.pk]), data)
        assert response.status_code == 302
        customer.refresh_from_db()
        assert customer.name == "和平便利店（新址）"
        assert customer.credit_standing == "良好"
        assert sorted(c.name for c in customer.contacts.all()) == ["新联系人", "老联系人"]
        assert customer.contacts.get(pk=kept.pk).phone == "13700000000"

    def test_manager_cannot_set_manager_region_grade_or_status(
        self, login, manager, teammate, other_region, customer
    ):
        data = {
            "name": customer.name,
            "licence_number": customer.licence_number,
            "customer_type": "retailer",
            "manager": teammate.pk,
            "region": other_region.pk,
            "grade": factories.grade("A1").pk,
            "network_status": "exited",
            **contacts_management(total=0),
        }
        response = login(manager).post(reverse("customer_edit", args=[customer.pk]), data)
        assert response.status_code == 302
        customer.refresh_from_db()
        assert customer.manager == manager
        assert customer.region.code == "EAST"
        assert customer.grade.code == "B2"
        assert customer.network_status == Customer.NetworkStatus.ACTIVE

    def test_invalid_edit_changes_nothing(self, login, manager, customer):
        factories.ContactFactory(customer=customer, name="原联系人")
        data = {
            "name": "改了名字",
            "licence_number": customer.licence_number,
            "customer_type": "key_account",  # needs a key-account class
            **contacts_management(total=0),
        }
        response = login(manager).post(reverse("customer_edit", args=[customer.pk]), data)
        assert response.status_code == 200
        assert "大客户必须选择大客户类别。" in response.content.decode()
        customer.refresh_from_db()
        assert customer.name == "和平便利店"
        assert customer.contacts.count() == 1


class TestSupervisorActions:
    def test_regional_manager_reassigns_with_a_reason(
        self, login, regional_manager, teammate, customer
    ):
        url = reverse("customer_reassign", args=[customer.pk])
        response = login(regional_manager).post(
            url, {"manager": teammate.pk, "reason": "七天未联系"}
        )
        assert response.status_code == 302
        customer.refresh_from_db()
        assert customer.manager == teammate
        page = login(regional_manager).get(customer.get_absolute_url()).content.decode()
        assert "七天未联系" in page

    def test_reason_is_required(self, login, regional_manager, teammate, customer):
        url = reverse("customer_reassign", args=[customer.pk])
        response = login(regional_manager).post(url, {"manager": teammate.pk, "reason": ""})
        assert response.status_code == 200
        assert "此字段为必填项。" in response.content.decode()
        customer.refresh_from_db()
        assert customer.manager.username == "manager"

    def test_regional_manager_cannot_pick_a_manager_of_another_region(
        self, login, regional_manager, outsider, customer
    ):
        url = reverse("customer_reassign", args=[customer.pk])
        response = login(regional_manager).post(url, {"manager": outsider.pk, "reason": "试试"})
        assert response.status_code == 200
        customer.refresh_from_db()
        assert customer.manager.username == "manager"

    def test_same_grade_is_a_form_error_not_a_500(self, login, admin_user, customer):
        url = reverse("customer_change_grade", args=[customer.pk])
        response = login(admin_user).post(url, {"grade": customer.grade.pk, "reason": "复核"})
        assert response.status_code == 200
        assert "该客户已经是这个等级。" in response.content.decode()

    def test_change_grade_lands_in_the_history(self, login, regional_manager, customer):
        url = reverse("customer_change_grade", args=[customer.pk])
        response = login(regional_manager).post(
            url, {"grade": factories.grade("C").pk, "reason": "违反价格规定降级"}
        )
        assert response.status_code == 302
        page = login(regional_manager).get(customer.get_absolute_url()).content.decode()
        assert "违反价格规定降级" in page

    def test_exit_then_rejoin(self, login, admin_user, customer):
        client = login(admin_user)
        exit_url = reverse("customer_exit_network", args=[customer.pk])
        response = client.post(exit_url, {"exited_on": "2026-10-01", "reason": "停业"})
        assert response.status_code == 302
        customer.refresh_from_db()
        assert customer.network_status == Customer.NetworkStatus.EXITED
        assert customer.exit_reason == "停业"
        # A second exit is refused with a message, not an error page.
        again = client.post(exit_url, {"exited_on": "2026-10-02", "reason": "再次"})
        assert "该客户已经退网。" in again.content.decode()
        rejoin_url = reverse("customer_rejoin_network", args=[customer.pk])
        assert client.post(rejoin_url, {"joined_on": "2026-11-01"}).status_code == 302
        customer.refresh_from_db()
        assert customer.network_status == Customer.NetworkStatus.ACTIVE


def test_customer_page_lists_the_customers_visits_and_complaints(login, manager, customer):
    from complaints import services as complaint_services
    from visits.services import visits as visit_services

    visit = visit_services.visit_start(
        actor=manager, customer=customer, special_reason="客户反映断货"
    )
    complaint = complaint_services.complaint_open(
        actor=manager,
        customer=customer,
        problem="条盒破损",
        reported_on=customer.created_at.date(),
        product="中华(硬)",
    )

    page = login(manager).get(reverse("customer_detail", args=[customer.pk])).content.decode()

    assert visit.get_absolute_url() in page
    assert complaint.number in page
