"""Sales import and list, regrading, grading scheme, calendar, notifications, language."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import CalendarDay
from core.notifications import notify
from crm.models import Grade, GradeChange, RegradingRun, SalesRecord
from tests import factories

pytestmark = pytest.mark.django_db


def csv_upload(text, name="sales.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


class TestSalesImport:
    def test_one_bad_row_shows_the_row_and_imports_nothing(self, login, manager, customer):
        upload = csv_upload(
            "客户编码,月份,购进数量,购进金额\nC00001,2026-09,10,2000\nNOPE,2026-09,10,2000\n"
        )
        response = login(manager).post(reverse("sales_import"), {"file": upload})
        page = response.content.decode()
        assert response.status_code == 200
        assert "未导入任何数据：1 行有错误。" in page
        assert '<td class="text-nowrap">3</td>' in page
        assert "未知的客户编码 NOPE" in page
        assert SalesRecord.objects.count() == 0

    def test_a_teammates_customer_is_refused(self, login, manager, teammate):
        theirs = factories.CustomerFactory(manager=teammate, code="THEIRS")
        upload = csv_upload("客户编码,月份,购进数量,购进金额\nTHEIRS,2026-09,1,1\n")
        page = login(manager).post(reverse("sales_import"), {"file": upload}).content.decode()
        assert "未知的客户编码 THEIRS" in page
        assert not SalesRecord.objects.filter(customer=theirs).exists()

    def test_a_good_file_is_imported(self, login, manager, customer):
        upload = csv_upload(
            "客户编码,月份,购进数量,购进金额,销售数量,销售金额\n"
            "C00001,2026-08,10,2000,9,2100\n"
            "C00001,2026-09,12,2400,,\n"
        )
        client = login(manager)
        response = client.post(reverse("sales_import"), {"file": upload}, follow=True)
        page = response.content.decode()
        assert "已导入 sales.csv 中的 2 行" in page
        assert SalesRecord.objects.filter(customer=customer).count() == 2
        assert SalesRecord.objects.get(month=datetime.date(2026, 8, 1)).sales_amount == Decimal(
            "2100.00"
        )

    def test_the_template_imports_as_it_is(self, login, manager, customer):
        client = login(manager)
        template = client.get(reverse("sales_import_template"))
        assert template["Content-Type"].startswith("text/csv")
        text = template.content.decode("utf-8-sig")
        assert text.splitlines()[0] == "客户编码,月份,购进数量,购进金额,销售数量,销售金额"
        assert "C00001" in text
        upload = SimpleUploadedFile("template.csv", template.content, content_type="text/csv")
        client.post(reverse("sales_import"), {"file": upload})
        assert SalesRecord.objects.filter(customer=customer).count() == 1

    def test_sales_list_is_scoped_and_filtered(self, login, manager, teammate, customer):
        factories.SalesRecordFactory(customer=customer, month=datetime.date(2026, 8, 1))
        factories.SalesRecordFactory(customer=customer, month=datetime.date(2026, 9, 1))
        factories.SalesRecordFactory(
            customer=factories.CustomerFactory(manager=teammate, code="MATE1")
        )
        client = login(manager)
        page = client.get(reverse("sales_list")).content.decode()
        assert page.count("2026-0") == 2
        assert "MATE1" not in page
        page = client.get(reverse("sales_list"), {"month": "2026-08"}).content.decode()
        assert "2026-08" in page
        assert "2026-09" not in page


def buy(customer, total, last=datetime.date(2026, 10, 1)):
    """Spread ``total`` purchases over the 12 months up to ``last``."""
    index = last.year * 12 + last.month - 1
    for offset in range(12):
        month = index - offset
        factories.SalesRecordFactory(
            customer=customer,
            month=datetime.date(month // 12, month % 12 + 1, 1),
            amount=Decimal(total) / 12,
        )


class TestRegrading:
    @time_machine.travel("2026-11-22 09:00 +08:00")
    def test_propose_then_apply_only_the_selected(self, login, admin_user, manager):
        rising = factories.CustomerFactory(
            manager=manager, code="RISE", grade=factories.grade("B2")
        )
        falling = factories.CustomerFactory(
            manager=manager, code="FALL", grade=factories.grade("A1")
        )
        buy(rising, "240000")
        buy(falling, "30000")
        client = login(admin_user)

        response = client.post(reverse("regrading_list"))
        run = RegradingRun.objects.get()
        assert response["Location"] == run.get_absolute_url()
        page = client.get(run.get_absolute_url()).content.decode()
        assert "RISE" in page
        assert "FALL" in page
        assert "240,000.00" in page

        chosen = run.proposals.get(customer=rising)
        response = client.post(
            run.get_absolute_url(), {"action": "apply_selected", "proposal": [chosen.pk]}
        )
        assert response.status_code == 302
        rising.refresh_from_db()
        falling.refresh_from_db()
        assert rising.grade.code == "A2"
        assert falling.grade.code == "A1"
        run.refresh_from_db()
        assert run.status == RegradingRun.Status.APPLIED

        history = client.get(rising.get_absolute_url()).content.decode()
        assert "重新分级" in history
        assert "2025-11 – 2026-10" in history
        assert GradeChange.objects.filter(
            customer=rising, source=GradeChange.Source.REGRADING, changed_by=admin_user
        ).exists()

    def test_applying_nothing_selected_is_refused(self, login, admin_user, manager):
        factories.CustomerFactory(manager=manager, grade=factories.grade("A1"))
        client = login(admin_user)
        client.post(reverse("regrading_list"))
        run = RegradingRun.objects.get()
        response = client.post(run.get_absolute_url(), {"action": "apply_selected"}, follow=True)
        assert "请至少选择一条要应用的建议。" in response.content.decode()
        run.refresh_from_db()
        assert run.status == RegradingRun.Status.PROPOSED

    def test_a_second_apply_says_it_is_done(self, login, admin_user, manager):
        factories.CustomerFactory(manager=manager, grade=factories.grade("A1"))
        client = login(admin_user)
        client.post(reverse("regrading_list"))
        run = RegradingRun.objects.get()
        client.post(run.get_absolute_url(), {"action": "apply_all"})
        response = client.post(run.get_absolute_url(), {"action": "discard"}, follow=True)
        # The conflict names the state the first apply left the run in.
        assert "该重新分级批次当前状态为“已应用”" in response.content.decode()

    def test_regional_manager_cannot_start_a_run(self, login, regional_manager):
        assert login(regional_manager).post(reverse("regrading_list")).status_code == 403
        assert not RegradingRun.objects.exists()


class TestGrades:
    def test_admin_creates_a_grade(self, login, admin_user):
        data = {
            "code": "VIP",
            "name": "钻石客户",
            "rank": 0,
            "min_annual_amount": "1000000",
            "max_annual_amount": "",
            "visit_interval_days": 7,
            "promotion_allowed": "on",
            "description": "",
        }
        response = login(admin_user).post(reverse("grade_create"), data)
        assert response.status_code == 302
        assert Grade.objects.get(code="VIP").promotion_allowed

    def test_max_below_min_is_a_field_error(self, login, admin_user):
        grade = factories.grade("B1")
        data = {
            "code": "B1",
            "name": grade.name,
            "rank": grade.rank,
            "min_annual_amount": "50000",
            "max_annual_amount": "100",
            "visit_interval_days": 14,
        }
        response = login(admin_user).post(reverse("grade_edit", args=[grade.pk]), data)
        assert response.status_code == 200
        assert "上限必须大于下限。" in response.content.decode()
        grade.refresh_from_db()
        assert grade.max_annual_amount != Decimal("100")


class TestCalendar:
    def test_add_edit_and_remove_a_day(self, login, admin_user):
        client = login(admin_user)
        response = client.post(
            reverse("calendar"), {"date": "2030-10-01", "kind": "holiday", "name": "国庆节"}
        )
        assert response.status_code == 302
        day = CalendarDay.objects.get(date=datetime.date(2030, 10, 1))
        page = client.get(reverse("calendar"), {"year": 2030}).content.decode()
        assert "国庆节" in page
        client.post(
            reverse("calendar_day_edit", args=[day.pk]),
            {"date": "2030-10-01", "kind": "holiday", "name": "国庆"},
        )
        day.refresh_from_db()
        assert day.name == "国庆"
        client.post(reverse("calendar_day_delete", args=[day.pk]))
        assert not CalendarDay.objects.filter(pk=day.pk).exists()

    def test_import_a_year_from_the_official_calendar(self, login, admin_user):
        CalendarDay.objects.filter(date__year=2025).delete()
        response = login(admin_user).post(reverse("calendar_import"), {"year": 2025}, follow=True)
        assert CalendarDay.objects.filter(date__year=2025).exists()
        assert "官方日历" in response.content.decode()

    def test_delete_is_post_only_and_admin_only(self, login, admin_user, manager):
        day = CalendarDay.objects.create(date=datetime.date(2031, 1, 1), kind="holiday")
        url = reverse("calendar_day_delete", args=[day.pk])
        assert login(admin_user).get(url).status_code == 405
        assert login(manager).post(url).status_code == 403
        assert CalendarDay.objects.filter(pk=day.pk).exists()


class TestNotifications:
    def test_list_and_mark_read(self, login, manager, teammate):
        mine = notify(user=manager, key="k1", title="请回访和平便利店")
        notify(user=teammate, key="k1", title="同事的通知")
        client = login(manager)
        page = client.get(reverse("notification_list")).content.decode()
        assert "请回访和平便利店" in page
        assert "同事的通知" not in page
        client.post(reverse("notification_mark_read"), {"notification": mine.pk})
        mine.refresh_from_db()
        assert mine.read_at is not None

    def test_mark_all_read_touches_only_mine(self, login, manager, teammate):
        notify(user=manager, key="a", title="一")
        notify(user=manager, key="b", title="二")
        theirs = notify(user=teammate, key="a", title="三")
        login(manager).post(reverse("notification_mark_read"))
        assert not manager.notifications.filter(read_at__isnull=True).exists()
        theirs.refresh_from_db()
        assert theirs.read_at is None


class TestLanguage:
    def test_chinese_by_default(self, login, manager):
        page = login(manager).get(reverse("customer_list")).content.decode()
        assert "我的客户" in page
        assert "入网状态" in page

    def test_english_from_the_browser(self, login, manager):
        page = (
            login(manager).get(reverse("customer_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        )
        assert "My customers" in page
        assert "Network status" in page
        assert "我的客户" not in page

    def test_english_from_the_language_switch(self, login, manager):
        client = login(manager)
        response = client.post(
            reverse("set_language"), {"language": "en", "next": reverse("customer_list")}
        )
        assert response.status_code == 302
        assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
        page = client.get(reverse("customer_list")).content.decode()
        assert "My customers" in page
        assert "Customer type" in page

    def test_login_page_in_both_languages(self, client):
        assert "登录" in client.get(reverse("login")).content.decode()
        english = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Log in" in english
