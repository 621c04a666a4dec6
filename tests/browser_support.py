"""Real Chromium for browser tests (Playwright with Debian's chromium).

Use in a test module::

    from tests.browser_support import browser_page, login, seeded  # noqa: F401

    @pytest.mark.browser
    @pytest.mark.django_db(transaction=True)
    def test_something(browser_page, live_server, seeded, manager):
        login(browser_page, live_server, "manager", PASSWORD)

``live_server`` needs a transactional database, which an earlier transactional
test may have flushed: ``seeded`` puts back the grading scheme and the official
calendar that the migrations seed (it only fills what is empty). It is used
instead of ``serialized_rollback``, which fails with duplicate content types
when a transactional test without it ran before.
"""

import asyncio
import contextlib
import importlib
import os
from types import SimpleNamespace

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def seeded(transactional_db):
    """The grades and calendar days of migration crm 0002, if a flush removed them."""
    from core.models import CalendarDay
    from crm.models import Grade

    # The migration names the models as they were then (the calendar was crm's).
    models = {("crm", "Grade"): Grade, ("crm", "CalendarDay"): CalendarDay}
    today = SimpleNamespace(get_model=lambda app_label, name: models[(app_label, name)])
    importlib.import_module("crm.migrations.0002_seed_grades_and_calendar").seed(today, None)


@contextlib.contextmanager
def _playwright_loop(loop):
    """Playwright's event loop marked as running in this thread, while the block runs.

    The sync API runs its loop in a greenlet, so to this thread the loop looks
    running from start to stop. Django refuses ORM calls where a loop runs
    (SynchronousOnlyOperation), and the browser stays up for the whole run:
    between browser tests the mark is taken off, so the other tests meet
    Django's check as they would without a browser.
    """
    asyncio.events._set_running_loop(loop)
    try:
        yield
    finally:
        asyncio.events._set_running_loop(None)


@pytest.fixture(scope="session")
def chromium():
    """One Chromium for the whole run: (browser, its loop). Started by the first browser test.

    Each test gets a fresh context of it (``browser_page``): no cookie,
    storage or cache is shared between tests, only the browser process.
    """
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    playwright = sync_playwright().start()
    loop = asyncio.events._get_running_loop()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except BaseException:
        playwright.stop()
        raise
    asyncio.events._set_running_loop(None)
    yield browser, loop
    with _playwright_loop(loop):
        browser.close()
        playwright.stop()


@pytest.fixture
def browser_page(request, chromium):
    """A page of a fresh context of the run's Chromium at phone size (390×844), English UI.

    Dialogs (``data-confirm``) are accepted. The live server's ORM calls run in
    the test's thread under Playwright's event loop, hence DJANGO_ALLOW_ASYNC_UNSAFE.
    The service worker runs only in tests marked ``service_worker`` (the offline
    ones): in the others its background fetches, answered after a test switches
    users, would set cookies under the next login form.
    """
    workers = "allow" if request.node.get_closest_marker("service_worker") else "block"
    browser, loop = chromium
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with _playwright_loop(loop):
            context = browser.new_context(
                viewport=PHONE,
                locale="en-US",
                has_touch=False,
                device_scale_factor=1,
                service_workers=workers,
            )
            page = context.new_page()
            page.on("dialog", lambda dialog: dialog.accept())
            page.set_default_timeout(15000)
            try:
                yield page
            finally:
                context.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def login(page, live_server, username, password):
    """Log in through the login form; returns after the redirect away from it."""
    from django.urls import reverse

    login_path = reverse("login")
    page.goto(f"{live_server.url}{login_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url(lambda url: login_path not in url)


def login_as(page, live_server, user):
    """Start a fresh session as ``user`` (a persona with the factories' password)."""
    from tests import factories

    # Leave the page first: a request it still sends (a poll, a keep-alive save)
    # would come back without a session and set a new CSRF cookie under the
    # login form being filled in.
    page.goto("about:blank")
    page.context.clear_cookies()
    login(page, live_server, user.username, factories.PASSWORD)


def draw(page, selector):
    """Draw a stroke with the mouse inside the element (a signature canvas)."""
    element = page.locator(selector)
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + w * 0.15, y + h * 0.7)
    page.mouse.down()
    for fx, fy in ((0.3, 0.25), (0.45, 0.75), (0.6, 0.3), (0.85, 0.6)):
        page.mouse.move(x + w * fx, y + h * fy, steps=8)
    page.mouse.up()


def image_loaded(page, selector, timeout=10_000):
    """Whether the <img> at ``selector`` finished loading a real picture, waiting
    for it as a user's browser would (a fresh page's images load after it shows)."""
    try:
        page.wait_for_function(
            "selector => { const img = document.querySelector(selector);"
            " return !!img && img.complete && img.naturalWidth > 0; }",
            arg=selector,
            timeout=timeout,
        )
    except Exception:  # noqa: BLE001 - playwright's TimeoutError: not loaded
        return False
    return True
