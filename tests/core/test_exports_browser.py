"""In the browser: a list's export buttons keep the filters on screen and download the
file; a big export's progress page links the file."""

import csv
import io
import os

import pytest
from django.urls import reverse

from tests import factories
from tests.browser_support import browser_page, login_as, seeded  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOTS_DIR")


def _shot(page, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_export_buttons_download_the_filtered_list(browser_page, live_server, seeded):  # noqa: F811
    page = browser_page
    manager = factories.ManagerFactory(username="exp-manager")
    factories.CustomerFactory(manager=manager, name="胜利超市")
    factories.CustomerFactory(manager=manager, name="和平便利店")
    login_as(page, live_server, manager)

    page.goto(f"{live_server.url}{reverse('customer_list')}?q=胜利")
    _shot(page, "customers-phone")
    page.set_viewport_size({"width": 1366, "height": 900})
    _shot(page, "customers-desktop")
    with page.expect_download() as download_info:
        page.click(".export-buttons a:has-text('CSV')")
    download = download_info.value
    assert download.suggested_filename.startswith("customers-")
    with open(download.path(), "rb") as handle:
        content = handle.read().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert [row[1] for row in rows[1:]] == ["胜利超市"]


def test_big_export_progress_page(browser_page, live_server, seeded, settings, tmp_path):  # noqa: F811
    settings.EXPORT_SYNC_ROWS = 1
    settings.MEDIA_ROOT = tmp_path
    page = browser_page
    manager = factories.ManagerFactory(username="exp-manager2")
    factories.CustomerFactory.create_batch(3, manager=manager)
    login_as(page, live_server, manager)
    page.goto(f"{live_server.url}{reverse('customer_list')}")
    page.click(".export-buttons a:has-text('XLSX')")
    page.wait_for_selector(".export-status[data-status=done]")
    _shot(page, "export-job-phone")
    page.set_viewport_size({"width": 1366, "height": 900})
    _shot(page, "export-job-desktop")
    with page.expect_download() as download_info:
        page.click("a:has-text('Download')")
    assert download_info.value.suggested_filename.endswith(".xlsx")
