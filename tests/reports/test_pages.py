"""The browser pages: who sees what, the forms, the region and admin month pages."""

import pytest
from django.urls import reverse

from reports import services
from reports.models import MonthlyReport
from tests import factories
from tests.reports.conftest import SEPTEMBER, sale

pytestmark = pytest.mark.django_db


def detail(report):
    return reverse("reports:report_detail", args=[report.pk])


def test_the_manager_sees_and_edits_their_draft(login, report, manager):
    client = login(manager)
    page = client.get(detail(report)).content.decode()
    assert "1,000.00" in page or "1000.00" in page
    assert 'id="sections-form"' in page
    assert "report-chart-data" in page
    assert "chart.umd.min.js" in page
    assert "3-month moving average" in page

    response = client.post(
        reverse("reports:report_sections", args=[report.pk]),
        {
            "problems": "新品铺货不足",
            "opinions": "包装易破损",
            "forecast_amount": "1200",
            "forecast_text": "略增",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.problems == "新品铺货不足"
    assert report.status == MonthlyReport.Status.DRAFT

    client.post(
        reverse("reports:report_sections", args=[report.pk]),
        {
            "problems": "新品铺货不足",
            "opinions": "x",
            "forecast_amount": "",
            "forecast_text": "",
            "submit": "1",
        },
    )
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.SUBMITTED
    page = client.get(detail(report)).content.decode()
    assert 'id="sections-form"' not in page
    assert "新品铺货不足" in page


def test_submitting_without_b_shows_the_error(login, report, manager):
    client = login(manager)
    response = client.post(reverse("reports:report_submit", args=[report.pk]), follow=True)
    assert "Write section b)" in response.content.decode()
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.DRAFT


@pytest.mark.parametrize("persona", ["teammate", "outsider", "other_regional_manager"])
def test_foreign_reports_are_404(request, login, submitted, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(detail(submitted)).status_code == 404
    assert client.post(reverse("reports:report_approve", args=[submitted.pk])).status_code == 404
    assert client.get(reverse("reports:report_pdf", args=[submitted.pk])).status_code == 404


def test_the_reviewer_returns_with_comments_shown_beside_the_sections(
    login, submitted, regional_manager, manager
):
    client = login(regional_manager)
    page = client.get(detail(submitted)).content.decode()
    assert "Return with comments" in page
    response = client.post(
        reverse("reports:report_return", args=[submitted.pk]), {"b": "请分析原因", "general": ""}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == MonthlyReport.Status.RETURNED
    page = login(manager).get(detail(submitted)).content.decode()
    assert "请分析原因" in page
    assert 'data-testid="return-comment"' in page


def test_return_without_comment_is_a_form_error(login, submitted, regional_manager):
    response = login(regional_manager).post(reverse("reports:report_return", args=[submitted.pk]))
    assert response.status_code == 400
    assert "at least one comment" in response.content.decode()


def test_manager_cannot_approve_own_report_in_the_browser(login, submitted, manager):
    response = login(manager).post(reverse("reports:report_approve", args=[submitted.pk]))
    assert response.status_code == 403


def test_approving_moves_to_the_next_in_the_queue(login, submitted, teammate, regional_manager):
    services.prepare_month(month=SEPTEMBER)
    other = teammate.monthly_reports.get()
    services.report_update_sections(report=other, actor=teammate, data={"problems": "x"})
    services.report_submit(report=other, actor=teammate)
    client = login(regional_manager)
    page = client.get(detail(submitted)).content.decode()
    assert reverse("reports:report_detail", args=[other.pk]) in page  # "next in queue"
    response = client.post(reverse("reports:report_approve", args=[submitted.pk]))
    assert response.url == detail(other)
    response = client.post(reverse("reports:report_approve", args=[other.pk]))
    assert response.url == reverse("reports:region_month", args=["2026-09"])


def test_double_approval_in_the_browser_shows_a_message(login, approved, admin_user):
    response = login(admin_user).post(
        reverse("reports:report_approve", args=[approved.pk]), follow=True
    )
    assert "only a submitted report can be reviewed" in response.content.decode()


def test_refresh_button(login, report, manager):
    sale(factories.CustomerFactory(manager=manager), SEPTEMBER, "500")
    login(manager).post(reverse("reports:report_refresh", args=[report.pk]))
    report.refresh_from_db()
    assert report.figures["total"]["amount"] == "1500.00"


def test_list_pages(login, report, manager, regional_manager, admin_user, outsider):
    services.prepare_month(month=SEPTEMBER)
    page = login(manager).get(reverse("reports:report_list")).content.decode()
    assert detail(report) in page
    assert detail(outsider.monthly_reports.get()) not in page
    page = login(admin_user).get(reverse("reports:report_list") + "?status=draft").content.decode()
    assert detail(outsider.monthly_reports.get()) in page


def test_region_month_page(login, submitted, teammate, outsider, regional_manager):
    services.prepare_month(month=SEPTEMBER)
    response = login(regional_manager).get(reverse("reports:region_month", args=["2026-09"]))
    page = response.content.decode()
    assert page.count('data-testid="manager-row"') == 2  # manager and teammate, not outsider
    assert 'data-testid="start-review"' in page
    assert "2026-10-08" in page
    assert "1,000.00" in page or "1000.00" in page


def test_region_month_is_for_reviewers(login, manager):
    assert login(manager).get(reverse("reports:region_month", args=["2026-09"])).status_code == 403


def test_admin_month_page_across_regions(login, report, outsider, admin_user, regional_manager):
    services.prepare_month(month=SEPTEMBER)
    page = login(admin_user).get(reverse("reports:admin_month", args=["2026-09"])).content.decode()
    assert page.count('data-testid="region-row"') == 2
    assert (
        login(regional_manager).get(reverse("reports:admin_month", args=["2026-09"])).status_code
        == 403
    )


def test_bad_month_is_404(login, regional_manager):
    assert login(regional_manager).get("/reports/month/2026-13/").status_code == 404


def test_region_summary_pdf(login, approved, regional_manager):
    response = login(regional_manager).get(reverse("reports:region_month_pdf", args=["2026-09"]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("managers", [2, 10])
def test_region_month_query_budget(
    login, region, regional_manager, managers, django_assert_max_num_queries
):
    for index in range(managers):
        manager = factories.ManagerFactory(username=f"m{index}", region=region)
        sale(factories.CustomerFactory(manager=manager), SEPTEMBER, "100")
    services.prepare_month(month=SEPTEMBER)
    client = login(regional_manager)
    # session, user, managers, reports, plus what the base layout reads
    # (unread notifications, navigation): fixed whatever the region's size.
    with django_assert_max_num_queries(10):
        assert client.get(reverse("reports:region_month", args=["2026-09"])).status_code == 200


@pytest.mark.parametrize("extra", [1, 12])
def test_report_list_query_budget(login, manager, extra, django_assert_max_num_queries):
    for index in range(extra):
        services.prepare_month(
            month=SEPTEMBER.replace(month=1 + index % 12, year=2025 + index // 12)
        )
    client = login(manager)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("reports:report_list")).status_code == 200
