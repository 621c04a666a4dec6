"""The reminders in a real browser: the manager's care moments on the phone, the regional
manager reassigning a customer not contacted, the admin setting a group robot."""

import datetime
import os

import pytest
from django.utils import timezone

from crm.models import Customer, RegionRobot
from tests import factories
from tests.browser_support import PHONE, browser_page, login_as, seeded  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
SHOTS = os.environ.get("SCREENSHOTS_DIR", "")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_care_moments_on_the_managers_phone(browser_page, live_server, seeded, manager):  # noqa: F811
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=2)
    factories.CustomerFactory(
        manager=manager, name="和平便利店", operator_birthday=soon.replace(year=1978)
    )
    factories.CustomerFactory(
        manager=manager, name="长青烟酒商行", company_anniversary=today.replace(year=2006)
    )
    page = browser_page
    page.set_viewport_size(PHONE)
    login_as(page, live_server, manager)
    page.goto(f"{live_server.url}/visits/today/")
    moments = page.get_by_test_id("care-moments")
    assert "和平便利店" in moments.inner_text()
    assert "长青烟酒商行" in moments.inner_text() and "20" in moments.inner_text()
    _shot(page, "today_care_phone")


def test_the_regional_manager_reassigns_a_customer_not_contacted(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
    teammate,
    regional_manager,
):
    customer = factories.CustomerFactory(manager=manager, name="新开便利店", code="NEW01")
    Customer.objects.filter(pk=customer.pk).update(
        assigned_at=timezone.now() - datetime.timedelta(days=9)
    )
    page = browser_page
    for size, name in ((PHONE, "not_contacted_phone"), (DESKTOP, "not_contacted_desktop")):
        page.set_viewport_size(size)
        login_as(page, live_server, regional_manager)
        page.goto(f"{live_server.url}/")
        page.locator("a[href='/visits/not-contacted/']").first.click()
        assert "新开便利店" in page.get_by_test_id("not-contacted").inner_text()
        _shot(page, name)
    page.get_by_test_id(f"reassign-{customer.pk}").click()
    page.select_option("select[name=manager]", str(teammate.pk))
    page.fill("[name=reason]", "七天未拜访")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    customer.refresh_from_db()
    assert customer.manager == teammate
    page.goto(f"{live_server.url}/visits/not-contacted/")
    assert "新开便利店" not in page.get_by_test_id("not-contacted").inner_text()


def test_the_admin_sets_a_group_robot(browser_page, live_server, seeded, region, admin_user):  # noqa: F811
    page = browser_page
    page.set_viewport_size(DESKTOP)
    login_as(page, live_server, admin_user)
    page.goto(f"{live_server.url}/reminders/robots/")
    page.locator(f"a[href='/reminders/robots/{region.pk}/']").click()
    page.select_option("select[name=kind]", "dingtalk")
    page.fill("[name=webhook_url]", "http://10.1.2.3/robot/send")
    page.locator("main form button.btn-primary").click()
    assert page.locator(".invalid-feedback").count() == 1
    assert RegionRobot.objects.count() == 0
    _shot(page, "robot_form_refused_desktop")
    page.fill("[name=webhook_url]", "https://oapi.dingtalk.com/robot/send?access_token=tok")
    page.fill("[name=secret]", "SEC123")
    page.locator("main form button.btn-primary").click()
    page.wait_for_url("**/reminders/robots/")
    assert RegionRobot.objects.get(region=region).secret == "SEC123"
    assert "tok" not in page.inner_text("table")
    _shot(page, "robots_desktop")
    page.goto(f"{live_server.url}/reminders/settings/")
    _shot(page, "reminder_settings_desktop")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/reminders/robots/")
    _shot(page, "robots_phone")
    page.goto(f"{live_server.url}/reminders/robots/{region.pk}/")
    _shot(page, "robot_form_phone")
