"""The scheduled jobs: preparation, due dates, reminders and overdue flags."""

import datetime
from io import StringIO
from unittest import mock

import pytest
import time_machine
from django.core.management import call_command

from core.models import Notification
from crm.models import User
from reports import services, tasks
from reports.models import MonthlyReport, ReportEvent
from tests import factories
from tests.reports.conftest import SEPTEMBER, sale

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize(
    ("month", "due"),
    [
        (D(2025, 12, 1), D(2026, 1, 5)),
        (D(2026, 1, 1), D(2026, 2, 5)),
        (D(2026, 2, 1), D(2026, 3, 5)),
        (D(2026, 3, 1), D(2026, 4, 7)),  # Qingming 4–6 April
        (D(2026, 4, 1), D(2026, 5, 6)),  # Labour Day 1–5 May
        (D(2026, 5, 1), D(2026, 6, 5)),
        (D(2026, 6, 1), D(2026, 7, 6)),  # the 5th is a Sunday
        (D(2026, 7, 1), D(2026, 8, 5)),
        (D(2026, 8, 1), D(2026, 9, 7)),  # Saturday
        (D(2026, 9, 1), D(2026, 10, 8)),  # National Day 1–7 October
        (D(2026, 10, 1), D(2026, 11, 5)),
        (D(2026, 11, 1), D(2026, 12, 7)),  # Saturday
    ],
)
def test_due_date_is_the_5th_or_the_next_working_day(month, due):
    assert services.due_date_for(month) == due


def _ready_notifications(user):
    return Notification.objects.filter(user=user, key__startswith="report-ready:").count()


def test_prepare_twice_gives_one_report_and_one_notification_per_manager(
    manager, teammate, outsider, regional_manager, customer
):
    sale(customer, SEPTEMBER, "1000")
    first = services.prepare_month(month=SEPTEMBER)
    second = services.prepare_month(month=SEPTEMBER)
    assert first["created"] == 3
    assert second["created"] == 0
    assert MonthlyReport.objects.filter(month=SEPTEMBER).count() == 3
    assert not MonthlyReport.objects.filter(manager=regional_manager).exists()
    for user in (manager, teammate, outsider):
        assert _ready_notifications(user) == 1
    report = manager.monthly_reports.get()
    assert report.due_date == D(2026, 10, 8)
    assert report.status == MonthlyReport.Status.DRAFT
    assert report.figures["total"]["amount"] == "1000.00"
    assert report.forecast_amount is not None
    assert report.events.filter(action=ReportEvent.Action.CREATED).count() == 1


def test_inactive_managers_get_no_report(manager):
    factories.ManagerFactory(username="left", region=manager.region, is_active=False)
    services.prepare_month(month=SEPTEMBER)
    assert list(MonthlyReport.objects.values_list("manager__username", flat=True)) == ["manager"]


def test_a_crash_half_way_then_a_rerun_gives_exactly_one_each(manager, teammate, outsider):
    real_notify = services.notify
    calls = {"count": 0}

    def failing_notify(**kwargs):
        calls["count"] += 1
        if calls["count"] == 2:
            raise RuntimeError("worker killed")
        return real_notify(**kwargs)

    with mock.patch.object(services, "notify", failing_notify), pytest.raises(RuntimeError):
        services.prepare_month(month=SEPTEMBER)
    # The report whose notification failed was rolled back with it.
    assert MonthlyReport.objects.count() == 1
    services.prepare_month(month=SEPTEMBER)
    services.prepare_month(month=SEPTEMBER)
    assert MonthlyReport.objects.count() == 3
    for user in (manager, teammate, outsider):
        assert user.monthly_reports.count() == 1
        assert _ready_notifications(user) == 1


def test_a_manager_added_mid_month_gets_a_report_on_the_next_run(manager):
    services.prepare_month(month=SEPTEMBER)
    newcomer = factories.ManagerFactory(username="newcomer", region=manager.region)
    assert not newcomer.monthly_reports.exists()
    result = services.prepare_month(month=SEPTEMBER)
    assert result["created"] == 1
    assert newcomer.monthly_reports.count() == 1
    assert manager.monthly_reports.count() == 1


def test_late_sales_refresh_a_draft_at_the_next_run(report, customer, manager):
    report.problems = "已写的内容"
    report.save()
    sale(factories.CustomerFactory(manager=manager), SEPTEMBER, "500")
    result = services.prepare_month(month=SEPTEMBER)
    report.refresh_from_db()
    assert result["refreshed"] == 1
    assert report.figures["total"]["amount"] == "1500.00"
    assert report.problems == "已写的内容"
    assert report.events.filter(action=ReportEvent.Action.REFRESHED).count() == 1
    # Nothing changed since: no second refresh.
    assert services.prepare_month(month=SEPTEMBER)["refreshed"] == 0


def test_late_sales_never_change_an_approved_report(approved, manager):
    sale(factories.CustomerFactory(manager=manager), SEPTEMBER, "500")
    services.prepare_month(month=SEPTEMBER)
    approved.refresh_from_db()
    assert approved.figures["total"]["amount"] == "1000.00"


def test_late_sales_do_not_change_a_submitted_report(submitted, manager):
    sale(factories.CustomerFactory(manager=manager), SEPTEMBER, "500")
    services.prepare_month(month=SEPTEMBER)
    submitted.refresh_from_db()
    assert submitted.figures["total"]["amount"] == "1000.00"


def test_refresh_on_request(report, manager):
    sale(factories.CustomerFactory(manager=manager), SEPTEMBER, "500")
    report = services.report_refresh_figures(report=report, actor=manager)
    assert report.figures["total"]["amount"] == "1500.00"


def test_last_months_forecast_is_measured_against_the_actual(manager, customer):
    sale(customer, D(2026, 8, 1), "900")
    services.prepare_month(month=D(2026, 8, 1))
    august = manager.monthly_reports.get()
    august.forecast_amount = 1000
    august.save()
    sale(customer, SEPTEMBER, "1100")
    services.prepare_month(month=SEPTEMBER)
    check = manager.monthly_reports.get(month=SEPTEMBER).figures["forecast_check"]
    assert check == {
        "month": "2026-09",
        "forecast_amount": "1000.00",
        "actual_amount": "1100.00",
        "error_pct": 10.0,
    }


def test_the_monthly_task_prepares_last_month(manager):
    with time_machine.travel("2026-10-01 01:00 +08:00"):
        tasks.prepare_monthly_reports.delay()
    assert manager.monthly_reports.get().month == SEPTEMBER


def test_the_command_prints_progress(manager):
    out = StringIO()
    call_command("prepare_monthly_reports", "--month", "2026-09", stdout=out)
    assert "2026-09" in out.getvalue()
    assert manager.monthly_reports.get().month == SEPTEMBER
    call_command("prepare_monthly_reports", "--month", "2026-09", stdout=out)
    assert manager.monthly_reports.count() == 1


class TestDailyJob:
    def test_reminds_within_two_working_days_once_a_day(self, report, manager):
        # Due Thu 2026-10-08, after the National Day holidays (1–7 October):
        # 29 September + 2 working days is 8 October, so that day reminds;
        # 28 September + 2 working days is only 30 September.
        with time_machine.travel("2026-09-29 09:00 +08:00"):
            assert services.reports_daily()["reminded"] == 1
            assert services.reports_daily()["reminded"] == 0
        with time_machine.travel("2026-09-28 09:00 +08:00"):
            assert services.reports_daily()["reminded"] == 0
        with time_machine.travel("2026-10-08 09:00 +08:00"):
            assert services.reports_daily()["reminded"] == 1
        keys = Notification.objects.filter(user=manager, key__startswith="report-due:")
        assert keys.count() == 2

    def test_does_nothing_on_a_holiday(self, report):
        with time_machine.travel("2026-10-06 09:00 +08:00"):
            assert services.reports_daily() == {"working_day": False, "reminded": 0, "overdue": 0}

    def test_marks_overdue_the_day_after_and_tells_the_regional_manager_once(
        self, report, regional_manager, other_regional_manager
    ):
        with time_machine.travel("2026-10-08 09:00 +08:00"):
            assert services.reports_daily()["overdue"] == 0
        with time_machine.travel("2026-10-09 09:00 +08:00"):
            assert tasks.send_daily_report_reminders.delay().get()["overdue"] == 1
            assert services.reports_daily()["overdue"] == 0
        report.refresh_from_db()
        assert report.overdue_at is not None
        assert report.is_overdue
        assert report.display_status == "overdue"
        assert (
            Notification.objects.filter(
                user=regional_manager, key__startswith="report-overdue:"
            ).count()
            == 1
        )
        assert not Notification.objects.filter(user=other_regional_manager).exists()
        assert report.events.filter(action=ReportEvent.Action.OVERDUE).count() == 1

    def test_submitted_reports_are_not_overdue(self, submitted):
        with time_machine.travel("2026-10-09 09:00 +08:00"):
            assert services.reports_daily()["overdue"] == 0

    def test_command_runs_the_daily_job(self, report):
        out = StringIO()
        call_command(
            "prepare_monthly_reports",
            "--month",
            "2026-09",
            "--remind",
            "--date",
            "2026-10-09",
            stdout=out,
        )
        assert "marked overdue: 1" in out.getvalue()


def test_regional_managers_are_not_prepared_for(regional_manager):
    services.prepare_month(month=SEPTEMBER)
    assert not MonthlyReport.objects.exists()
    assert User.objects.filter(role=User.Role.REGIONAL_MANAGER).count() == 1
