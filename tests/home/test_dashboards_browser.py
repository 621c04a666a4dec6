"""The KPI charts in real Chromium, on a phone and a desktop: each chart's canvas is
drawn and its numbers are a table beside it."""

import datetime

import pytest

from tests import factories
from tests.browser_support import PHONE, browser_page, login_as, seeded  # noqa: F401
from tests.home.test_dashboards import _world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1366, "height": 900}
SHOTS = "/tmp/kpi-{role}-{size}.png"


def _more_data(manager, teammate):
    for n, amount in enumerate([180000, 210000, 195000, 240000, 230000, 260000]):
        for person in (manager, teammate):
            customer = factories.CustomerFactory(manager=person, code=f"{person.username[:2]}S{n}")
            for month in range(1, 12):
                factories.SalesRecordFactory(
                    customer=customer,
                    month=datetime.date(2026, month, 1),
                    amount=amount / 6 + month * 900,
                )


def _check(page, live_server, user, role):
    for name, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/")
        page.wait_for_selector("[data-testid=kpi-dashboard]")
        canvases = page.locator("canvas[data-kpi-chart]")
        assert canvases.count() >= 3
        # Chart.js drew into every canvas (it sizes the canvas to its box).
        for index in range(canvases.count()):
            box = canvases.nth(index).bounding_box()
            assert box and box["width"] > 100 and box["height"] > 100
        # The numbers are reachable: a table per chart, or the figures table.
        assert page.locator("[data-kpi-table], [data-testid=kpi-table]").count() >= 1
        page.locator("details summary").first.click()
        assert page.locator("details[open] table").first.is_visible()
        page.screenshot(path=SHOTS.format(role=role, size=name), full_page=True)
        # The figures fit the screen (the table scrolls inside its card).
        right = page.locator("[data-testid=kpi-dashboard]").bounding_box()
        assert right["x"] + right["width"] <= size["width"] + 1, name


def test_charts_and_tables_on_each_home(  # noqa: PLR0913
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
    teammate,
    regional_manager,
    admin_user,
):
    _world(manager, 3)
    _world(teammate, 2)
    _more_data(manager, teammate)
    for user, role in ((manager, "manager"), (regional_manager, "regional"), (admin_user, "admin")):
        login_as(browser_page, live_server, user)
        _check(browser_page, live_server, user, role)
