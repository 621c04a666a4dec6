"""The monthly report's round in real Chromium: written, returned, resubmitted, approved, PDF."""

import pytest

from reports import services
from reports.models import MonthlyReport
from tests.browser_support import browser_page, login_as, seeded  # noqa: F401
from tests.reports.conftest import SEPTEMBER, sale

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _write_and_submit(page, report, problems):
    """On the report's page: write section b), submit; the report is then submitted."""
    page.fill("textarea[name=problems]", problems)
    page.click("button[name=submit]")
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.SUBMITTED


def test_report_is_written_returned_resubmitted_approved_and_downloaded(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
    regional_manager,
    customer,
):
    sale(customer, SEPTEMBER, "1000")
    services.prepare_month(month=SEPTEMBER)
    report = MonthlyReport.objects.get(manager=manager, month=SEPTEMBER)
    url = f"{live_server.url}{report.get_absolute_url()}"
    page = browser_page

    # The manager writes section b) and submits.
    login_as(page, live_server, manager)
    page.goto(url)
    _write_and_submit(page, report, "C类客户进货下降，原因是周边新开超市；对策：加强走访。")

    # The regional manager returns it with a comment on b).
    login_as(page, live_server, regional_manager)
    page.goto(url)
    page.fill("[name=b]", "请写明加强走访的时间安排")
    page.get_by_role("button", name="Return with comments").click()
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.RETURNED

    # The manager sees the comment beside section b), corrects and resubmits.
    login_as(page, live_server, manager)
    page.goto(url)
    assert page.locator("#section-b").get_by_text("请写明加强走访的时间安排").is_visible()
    _write_and_submit(page, report, "C类客户进货下降；对策：11月每周二、四重点走访。")

    # The regional manager approves; the PDF downloads.
    login_as(page, live_server, regional_manager)
    page.goto(url)
    page.get_by_role("button", name="Approve").click()
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.APPROVED
    assert report.approved_by == regional_manager
    page.goto(url)
    pdf_href = page.get_attribute("[data-testid=pdf-link]", "href")
    response = page.request.get(f"{live_server.url}{pdf_href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
