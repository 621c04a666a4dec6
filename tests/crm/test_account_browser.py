"""The account page in real Chromium, at phone and desktop size: the user menu
leads to it, it fits the screen, and a token is revoked with its button."""

import pytest

from accounts.models import ApiToken
from accounts.services import token_create
from tests import factories
from tests.browser_support import browser_page, login, seeded  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
SCREENSHOTS = "/tmp/account-{size}.png"
DESKTOP = {"width": 1366, "height": 900}


def _fits_the_width(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_manager_opens_the_account_page_and_revokes_a_token(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
):
    page = browser_page
    token_create(user=manager, device="华为 Mate 60 手机")
    token_create(user=manager, device="Office laptop (report script)")

    login(page, live_server, manager.username, factories.PASSWORD)
    page.click("button.navbar-toggler")
    # A click on the menu while the navigation is still sliding open is lost.
    page.wait_for_selector("#main-nav.collapse.show")
    page.click("#main-nav .dropdown-toggle >> nth=-1")
    page.click("text=My account")
    page.wait_for_selector("[data-testid=token-list]")
    assert page.locator("[data-testid=token]").count() == 2
    assert _fits_the_width(page)
    page.screenshot(path=SCREENSHOTS.format(size="phone"), full_page=True)

    page.set_viewport_size(DESKTOP)
    assert _fits_the_width(page)
    page.screenshot(path=SCREENSHOTS.format(size="desktop"), full_page=True)

    page.locator("[data-testid=token]", has_text="Office laptop").locator("button").click()
    page.wait_for_selector("text=was revoked")
    assert page.locator("[data-testid=token]").count() == 1
    assert list(ApiToken.objects.values_list("device", flat=True)) == ["华为 Mate 60 手机"]
