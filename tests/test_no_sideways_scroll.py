"""Every page of the browser, as every role, on a 390 px phone: none scrolls sideways.

The pages come from the URL conf as the access walk takes them
(tests/test_access_walk.py ``build_urls``), their objects from the walk's world
(tests/world.py): a new page is walked as soon as it has a route. Each role
opens every page it gets (200, HTML) in real Chromium at 390 × 844 and the walk
fails where ``document.scrollingElement.scrollWidth`` is wider than the
screen, naming the widest thing that sticks out, where a table squeezes a
column to a few characters a line, or where template syntax shows on screen
(lists are stacked cards on a phone, other
tables scroll in their box). Files (PDFs, exports, photos, signatures) are no
pages and are left out by name.
"""

import re
import time

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.browser_support import PHONE, browser_page, seeded  # noqa: F401
from tests.core.test_layout_browser import SQUEEZED_CELLS_JS
from tests.test_access_walk import PUBLIC, build_urls

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["manager", "regional_manager", "admin", "service_centre"]

# Routes that answer a file, not a page (by their URL name).
FILES = re.compile(r"(pdf|export|photo|signature|image|download|template|csv|xlsx)", re.I)

# What sticks out past the right edge of the screen, deepest first.
STICKING_OUT_JS = """() => {
  const width = window.innerWidth;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 1 && !el.closest('.table-responsive, .overflow-auto')) {
      const name = typeof el.className === 'string' && el.className.trim()
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      out.push(el.tagName.toLowerCase() + name + ' (' + Math.round(r.right) + ')');
    }
  }
  return out.slice(-3);
}"""


def _users(world, manager, regional_manager):
    from django.contrib.auth import get_user_model

    User = get_user_model()

    return {
        "manager": manager,
        "regional_manager": regional_manager,
        "admin": User.objects.get(username="walkadmin"),
        "service_centre": User.objects.get(username="walk_service_desk"),
    }


def _pages_of(user, urls):
    """The walked URLs that answer ``user`` with a page (200, HTML)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    pages = []
    for route, name, url, _key in urls:
        if route.startswith("api/") or name in PUBLIC or FILES.search(name):
            continue
        response = client.get(url)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            pages.append(url)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value, pages


def test_no_page_scrolls_sideways_on_a_phone(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    world,
    manager,
    regional_manager,
):
    started = time.monotonic()
    page = browser_page
    page.set_viewport_size(PHONE)
    urls = build_urls(world)
    failures = []
    walked = {}
    for role, user in _users(world, manager, regional_manager).items():
        session, pages = _pages_of(user, urls)
        page.context.clear_cookies()
        page.context.add_cookies(
            [
                {
                    "name": django_settings.SESSION_COOKIE_NAME,
                    "value": session,
                    "url": live_server.url,
                },
                {"name": "django_language", "value": "zh-hans", "url": live_server.url},
            ]
        )
        walked[role] = len(pages)
        for url in pages:
            response = page.goto(f"{live_server.url}{url}")
            if response.status != 200:
                failures.append(f"{role} {url}: {response.status} in the browser")
                continue
            extra = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
            if extra > 0:
                culprits = ", ".join(page.evaluate(STICKING_OUT_JS))
                failures.append(f"{role} {url}: {extra} px sideways ({culprits})")
            # Template syntax on screen: a comment or tag the template engine did not take.
            text = page.evaluate("() => document.body.innerText")
            leaked = [mark for mark in ("{#", "#}", "{%", "%}", "{{", "}}") if mark in text]
            if leaked:
                failures.append(f"{role} {url}: template syntax on the page {leaked}")
            squeezed = page.evaluate(SQUEEZED_CELLS_JS)
            if squeezed:
                failures.append(f"{role} {url}: squeezed table cells {squeezed[:3]}")
    total = sum(walked.values())
    print(
        f"\n390 px walk: {total} pages × roles ("
        + ", ".join(f"{role} {count}" for role, count in walked.items())
        + f") in {time.monotonic() - started:.0f} s"
    )
    # Every role has pages of its own to walk, not just the home page.
    assert all(count >= 10 for count in walked.values()), walked
    assert not failures, "\n".join(failures)


def test_the_walk_sees_a_page_that_scrolls_sideways(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
):
    """The measure itself: a page wider than the phone is caught."""
    page = browser_page
    page.set_viewport_size(PHONE)
    page.set_content(
        '<!doctype html><html><body><img width="698" height="10" alt=""></body></html>'
    )
    assert page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth") > 0
    assert page.evaluate(STICKING_OUT_JS)
