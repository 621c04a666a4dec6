"""One meaning of "overdue report", the same on every surface.

A report is overdue when it is still the manager's to write (a draft, or
returned by the reviewer) and its due date has passed. September 2026 is due
on 5 October, in the National Day holiday, so on Thursday 8 October; on
Friday the 9th it is late. The badge, the lists' ``?status=overdue`` (page
and API), the home page's counts and the daily job name the same reports.
"""

import re

import pytest
import time_machine
from django.urls import reverse

from core.models import Notification
from reports import selectors, services
from reports.models import MonthlyReport
from tests.reports.conftest import SEPTEMBER, sale

pytestmark = pytest.mark.django_db

DAY_AFTER_DUE = "2026-10-09 09:00 +08:00"


@pytest.fixture
def late_world(manager, teammate, outsider, customer, regional_manager):
    """On 9 October: the manager's report was returned and not handed in again
    (the finding), the teammate's waits for review (submitted on time), and the
    outsider's (another region) is a draft nobody wrote."""
    from tests import factories

    sale(factories.CustomerFactory(manager=teammate), SEPTEMBER, "500")
    sale(factories.CustomerFactory(manager=outsider), SEPTEMBER, "700")
    with time_machine.travel("2026-10-02 10:00 +08:00", tick=False):
        services.prepare_month(month=SEPTEMBER)
        for person in (manager, teammate):
            report = person.monthly_reports.get(month=SEPTEMBER)
            services.report_update_sections(
                report=report, actor=person, data={"problems": "库存偏高，已调整订货。"}
            )
            services.report_submit(report=report, actor=person)
    with time_machine.travel("2026-10-07 15:00 +08:00", tick=False):
        services.report_return(
            report=manager.monthly_reports.get(month=SEPTEMBER),
            actor=regional_manager,
            comments={"b": "请补充原因分析。"},
        )
    return {
        "returned": manager.monthly_reports.get(month=SEPTEMBER),
        "submitted": teammate.monthly_reports.get(month=SEPTEMBER),
        "draft": outsider.monthly_reports.get(month=SEPTEMBER),
    }


def _listed(page):
    return {int(pk) for pk in re.findall(r'href="/reports/(\d+)/"', page)}


def test_a_returned_report_past_its_due_date_is_overdue(late_world):
    returned, submitted, draft = (late_world[k] for k in ("returned", "submitted", "draft"))
    with time_machine.travel("2026-10-08 18:00 +08:00", tick=False):
        assert not MonthlyReport.objects.overdue().exists()
        assert not returned.is_overdue
    with time_machine.travel(DAY_AFTER_DUE, tick=False):
        assert set(MonthlyReport.objects.overdue()) == {returned, draft}
        assert returned.is_overdue and returned.display_status == "overdue"
        assert draft.is_overdue
        # Waiting on the reviewer is not the manager's lateness.
        assert not submitted.is_overdue and submitted.display_status == "submitted"


def test_the_badge_on_the_list_and_the_detail_page(login, manager, late_world):
    returned = late_world["returned"]
    with time_machine.travel(DAY_AFTER_DUE, tick=False):
        client = login(manager)
        listing = client.get(reverse("reports:report_list")).content.decode()
        detail = client.get(returned.get_absolute_url()).content.decode()
    assert 'data-status="overdue"' in listing
    assert 'data-status="overdue"' in detail
    assert "Overdue" in detail


def test_status_overdue_on_the_page_lists_the_returned_report(
    login, manager, regional_manager, admin_user, late_world
):
    returned, draft = late_world["returned"], late_world["draft"]
    with time_machine.travel(DAY_AFTER_DUE, tick=False):
        url = reverse("reports:report_list") + "?status=overdue"
        seen = {
            user.username: _listed(login(user).get(url).content.decode())
            for user in (manager, regional_manager, admin_user)
        }
    assert seen == {
        "manager": {returned.pk},
        "regional": {returned.pk},
        "crmadmin": {returned.pk, draft.pk},
    }


def test_status_overdue_on_the_api_lists_the_returned_report(
    api_login, regional_manager, admin_user, late_world
):
    returned, draft = late_world["returned"], late_world["draft"]
    with time_machine.travel(DAY_AFTER_DUE, tick=False):
        regional = api_login(regional_manager).get("/api/reports/?status=overdue").json()
        everyone = api_login(admin_user).get("/api/reports/?status=overdue").json()
    assert [(row["id"], row["overdue"]) for row in regional["results"]] == [(returned.pk, True)]
    assert {row["id"] for row in everyone["results"]} == {returned.pk, draft.pk}


def test_the_home_page_counts_the_rows_its_link_lists(
    login, manager, teammate, regional_manager, admin_user, late_world
):
    with time_machine.travel(DAY_AFTER_DUE, tick=False):
        for user, expected in ((manager, 1), (teammate, 0), (regional_manager, 1), (admin_user, 2)):
            client = login(user)
            items = {i["key"]: i for i in client.get(reverse("home")).context["work_queue"]}
            item = items["reports_overdue"]
            assert item["count"] == expected, user.username
            assert item["url"].endswith("?status=overdue")
            assert len(_listed(client.get(item["url"]).content.decode())) == expected
        # The manager's own report on the home page carries the same badge.
        home = login(manager).get(reverse("home")).content.decode()
        assert 'data-report-status="overdue"' in home


def test_the_month_pages_count_the_returned_report_as_overdue(
    login, regional_manager, admin_user, late_world
):
    with time_machine.travel(DAY_AFTER_DUE, tick=False):
        region = login(regional_manager).get(reverse("reports:region_month", args=["2026-09"]))
        overview = login(admin_user).get(reverse("reports:admin_month", args=["2026-09"]))
    assert region.context["counts"]["overdue"] == 1
    regions = overview.context["regions"]
    per_region = {row["region"].code: row["counts"]["overdue"] for row in regions}
    assert per_region == {"EAST": 1, "WEST": 1}


def test_the_daily_job_flags_the_returned_report_and_tells_the_regional_manager(
    regional_manager, other_regional_manager, late_world
):
    returned, submitted, draft = (late_world[k] for k in ("returned", "submitted", "draft"))
    with time_machine.travel(DAY_AFTER_DUE, tick=False):
        assert services.reports_daily()["overdue"] == 2
        assert services.reports_daily()["overdue"] == 0
        flagged = set(MonthlyReport.objects.filter(overdue_at__isnull=False))
        listed = set(selectors.report_list(user=regional_manager, filters={"status": "overdue"}).qs)
    assert flagged == {returned, draft}
    assert listed == {returned}
    told = Notification.objects.filter(key__startswith="report-overdue:")
    assert {(n.user, n.url) for n in told} == {
        (regional_manager, returned.get_absolute_url()),
        (other_regional_manager, draft.get_absolute_url()),
    }
    assert not told.filter(url=submitted.get_absolute_url()).exists()


def test_submitted_late_is_no_longer_overdue_but_stays_marked_late(
    login, manager, regional_manager, late_world
):
    returned = late_world["returned"]
    with time_machine.travel(DAY_AFTER_DUE, tick=False):
        services.reports_daily()
    with time_machine.travel("2026-10-09 14:00 +08:00", tick=False):
        services.report_submit(report=returned, actor=manager)
        returned.refresh_from_db()
        assert not returned.is_overdue and returned.was_late
        assert not MonthlyReport.objects.overdue().filter(pk=returned.pk).exists()
        assert MonthlyReport.objects.late().filter(pk=returned.pk).exists()
        detail = login(manager).get(returned.get_absolute_url()).content.decode()
        counts = {
            i["key"]: i["count"] for i in login(manager).get(reverse("home")).context["work_queue"]
        }
    assert 'data-status="submitted"' in detail and "data-late" in detail
    assert counts["reports_overdue"] == 0


def test_handed_in_after_the_due_date_before_the_job_ran_is_late(
    manager, customer, regional_manager
):
    """Submitted on the day off after the due date, before any job flagged it."""
    sale(customer, SEPTEMBER, "1000")
    with time_machine.travel("2026-10-02 10:00 +08:00", tick=False):
        services.prepare_month(month=SEPTEMBER)
    report = manager.monthly_reports.get(month=SEPTEMBER)
    with time_machine.travel("2026-10-10 20:00 +08:00", tick=False):
        services.report_update_sections(report=report, actor=manager, data={"problems": "迟交。"})
        services.report_submit(report=report, actor=manager)
    report.refresh_from_db()
    assert report.overdue_at is None
    assert report.was_late
    assert list(MonthlyReport.objects.late()) == [report]
