"""The user pages in real Chromium: an admin (no superuser) finds them in the bar,
creates a user with a generated password, the new user logs in with it, the admin
resets it to a typed one; the pages fit a phone (390 px) and a desktop (1366 px)."""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from crm.models import User
from tests import factories
from tests.browser_support import browser_page, login, seeded  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
SHOTS = "/tmp/shots/h16c/users-{name}.png"
DESKTOP = {"width": 1366, "height": 900}
TEMPORARY = "Lantern-orchard-2026"


def _fits_the_width(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_admin_creates_a_user_and_resets_the_password(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    region,
):
    page = browser_page
    factories.UserFactory(username="office_admin", role=User.Role.ADMIN, region=None)
    factories.RegionalManagerFactory(username="rm_east", region=region)

    page.set_viewport_size(DESKTOP)
    login(page, live_server, "office_admin", factories.PASSWORD)
    page.click("#main-nav .dropdown-toggle:has-text('Administration')")
    assert page.locator("#main-nav a.dropdown-item:has-text('Django admin')").count() == 0
    page.click("#main-nav a.dropdown-item:has-text('Users')")
    page.wait_for_selector("[data-testid=user-list]")
    assert _fits_the_width(page)
    page.screenshot(path=SHOTS.format(name="list-desktop"), full_page=True)

    page.click("text=New user")
    page.fill("input[name=username]", "mgr_chen")
    page.fill("input[name=last_name]", "陈")
    page.fill("input[name=first_name]", "静")
    page.fill("input[name=email]", "chen@example.com")
    page.select_option("select[name=role]", "manager")
    # No region for a manager: refused on its field, what was typed is kept.
    page.click("[data-testid=user-form] button[type=submit]")
    page.wait_for_selector(".invalid-feedback")
    assert "need a region" in page.inner_text("[data-testid=user-form]")
    assert page.input_value("input[name=username]") == "mgr_chen"
    page.screenshot(path=SHOTS.format(name="form-error-desktop"), full_page=True)
    page.select_option("select[name=region]", str(region.pk))
    page.click("[data-testid=user-form] button[type=submit]")

    page.wait_for_selector("[data-testid=generated-password]")
    generated = page.inner_text("[data-testid=password-value]").strip()
    assert len(generated) >= 12
    assert "mgr_chen" in page.inner_text("[data-testid=user-facts]")
    page.screenshot(path=SHOTS.format(name="created-desktop"), full_page=True)
    created = User.objects.get(username="mgr_chen")
    assert (created.role, created.region_id, created.get_full_name()) == (
        "manager",
        region.pk,
        "陈静",
    )

    # The page shows the password once: a reload no longer does.
    page.reload()
    assert page.locator("[data-testid=generated-password]").count() == 0

    # On the phone: reset the password to a typed one.
    page.set_viewport_size({"width": 390, "height": 844})
    assert _fits_the_width(page)
    page.screenshot(path=SHOTS.format(name="detail-phone"), full_page=True)
    page.click("a:has-text('Reset password')")
    page.fill("[data-testid=password-form] input[name=password]", TEMPORARY)
    assert _fits_the_width(page)
    page.click("[data-testid=password-form] button[type=submit]")
    page.wait_for_selector("text=was reset")
    assert page.locator("[data-testid=generated-password]").count() == 0
    page.screenshot(path=SHOTS.format(name="reset-phone"), full_page=True)

    created.refresh_from_db()
    assert created.check_password(TEMPORARY) and not created.check_password(generated)
    actions = set(
        AuditEvent.objects.filter(object_id=str(created.pk)).values_list("action", flat=True)
    )
    assert {"user_created", "password_reset"} <= actions

    # The new manager logs in with the temporary password.
    page.context.clear_cookies()
    login(page, live_server, "mgr_chen", TEMPORARY)
    assert reverse("login") not in page.url


def test_the_region_list_fits_a_phone(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    region,
    other_region,
):
    page = browser_page
    factories.UserFactory(username="office_admin", role=User.Role.ADMIN, region=None)
    factories.RegionalManagerFactory(username="rm_east", region=region)
    login(page, live_server, "office_admin", factories.PASSWORD)
    page.goto(f"{live_server.url}{reverse('region_list')}")
    page.wait_for_selector("[data-testid=region-list]")
    assert _fits_the_width(page)
    page.screenshot(path=SHOTS.format(name="regions-phone"), full_page=True)
    page.goto(f"{live_server.url}{reverse('user_list')}")
    assert _fits_the_width(page)
    page.screenshot(path=SHOTS.format(name="list-phone"), full_page=True)
