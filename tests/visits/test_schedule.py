import datetime

import pytest
from django.core import mail

from core import workdays
from core.models import Notification
from crm.models import Customer
from tests import factories
from tests.visits.conftest import completed_visit
from visits.models import ScheduleChange, WeeklySchedule
from visits.services import schedules

pytestmark = pytest.mark.django_db

D = datetime.date
HOLIDAY_WEEK = D(2026, 10, 5)  # National Day: 10-05..07 off, 10-08..09 work, Sat 10-10 make-up


def test_calendar_seed_for_the_national_day_week():
    # The proposal below depends on the seeded official calendar.
    assert workdays.working_days_between(D(2026, 10, 5), D(2026, 10, 11)) == [
        D(2026, 10, 8),
        D(2026, 10, 9),
        D(2026, 10, 10),
    ]
    assert D(2026, 9, 20) in workdays.working_days_between(D(2026, 9, 14), D(2026, 9, 20))


class TestPropose:
    def _customers(self, manager, teammate, travel):
        travel("2026-09-30 08:00")
        never = factories.CustomerFactory(manager=manager, code="NEVER", grade=factories.grade("D"))
        weekly = factories.CustomerFactory(
            manager=manager, code="WEEKLY", grade=factories.grade("A1")
        )
        completed_visit(manager, weekly, D(2026, 9, 24))  # due 10-01: overdue in that week
        monthly = factories.CustomerFactory(manager=manager, code="MONTHLY")  # B2, 30 days
        completed_visit(manager, monthly, D(2026, 9, 10))  # due 10-10: the Saturday make-up day
        quarterly = factories.CustomerFactory(
            manager=manager, code="QUARTER", grade=factories.grade("D")
        )
        completed_visit(manager, quarterly, D(2026, 9, 29))  # due in December: not planned
        factories.CustomerFactory(
            manager=manager,
            code="EXITED",
            network_status=Customer.NetworkStatus.EXITED,
            exited_on=D(2026, 1, 1),
            exit_reason="关店",
        )
        factories.CustomerFactory(manager=teammate, code="OTHERS")
        return never, weekly, monthly

    def test_holiday_week_overdue_first_on_working_days(self, manager, teammate, travel):
        never, weekly, monthly = self._customers(manager, teammate, travel)
        travel("2026-10-02 16:00")
        schedule, created = schedules.schedule_propose(manager=manager, week_start=HOLIDAY_WEEK)
        assert created
        plan = {e.customer.code: e for e in schedule.entries.select_related("customer")}
        assert set(plan) == {"NEVER", "WEEKLY", "MONTHLY"}
        working = {D(2026, 10, 8), D(2026, 10, 9), D(2026, 10, 10)}
        assert {e.planned_date for e in plan.values()} <= working
        # Overdue first: the never-visited and the lapsed weekly customer take the first
        # working days; the one due on Saturday's make-up day is not planned before it.
        assert plan["NEVER"].planned_date == D(2026, 10, 8)
        assert plan["WEEKLY"].planned_date == D(2026, 10, 9)
        assert plan["MONTHLY"].planned_date == D(2026, 10, 10)
        assert plan["WEEKLY"].due_date == D(2026, 10, 1) and plan["WEEKLY"].is_overdue
        assert plan["MONTHLY"].due_date == D(2026, 10, 10) and not plan["MONTHLY"].is_overdue

    def test_make_up_sunday_gets_visits(self, manager, travel):
        travel("2026-09-11 16:00")
        factories.CustomerFactory.create_batch(12, manager=manager)
        schedule, _ = schedules.schedule_propose(manager=manager, week_start=D(2026, 9, 14))
        days = sorted(schedule.entries.values_list("planned_date", flat=True))
        assert D(2026, 9, 20) in days  # the make-up Sunday counts as a working day
        assert {days.count(day) for day in set(days)} == {2}  # 12 over 6 working days

    def test_idempotent(self, manager, teammate, travel):
        self._customers(manager, teammate, travel)
        first, created = schedules.schedule_propose(manager=manager, week_start=HOLIDAY_WEEK)
        second, created_again = schedules.schedule_propose(manager=manager, week_start=HOLIDAY_WEEK)
        assert created and not created_again
        assert first.pk == second.pk
        assert WeeklySchedule.objects.count() == 1
        assert second.entries.count() == 3

    def test_api_propose_twice(self, api_login, manager, customer, travel):
        travel("2026-10-02 16:00")
        client = api_login(manager)
        first = client.post("/api/visits/schedules/propose/", {"week_start": "2026-10-05"})
        second = client.post("/api/visits/schedules/propose/", {"week_start": "2026-10-05"})
        assert (first.status_code, second.status_code) == (201, 200)
        assert first.json()["id"] == second.json()["id"]
        assert [e["customer_code"] for e in first.json()["entries"]] == [customer.code]

    def test_week_must_start_on_monday(self, api_login, manager):
        response = api_login(manager).post(
            "/api/visits/schedules/propose/", {"week_start": "2026-10-06"}
        )
        assert response.status_code == 400
        assert "week_start" in response.json()

    def test_regional_manager_does_not_propose(self, api_login, regional_manager):
        response = api_login(regional_manager).post(
            "/api/visits/schedules/propose/", {"week_start": "2026-10-05"}
        )
        assert response.status_code == 403


class TestAdjustAndSubmit:
    @pytest.fixture
    def schedule(self, manager, customer, travel):
        travel("2026-10-02 16:00")
        schedule, _ = schedules.schedule_propose(manager=manager, week_start=HOLIDAY_WEEK)
        return schedule

    def test_changes_before_submission_are_not_recorded(self, api_login, manager, schedule):
        entry = schedule.entries.get()
        client = api_login(manager)
        response = client.post(
            f"/api/visits/schedules/{schedule.pk}/move/",
            {"entry": entry.pk, "planned_date": "2026-10-09"},
        )
        assert response.status_code == 200
        assert ScheduleChange.objects.count() == 0

    def test_changes_after_submission_are_recorded(self, api_login, manager, schedule):
        other = factories.CustomerFactory(manager=manager, code="EXTRA")
        entry = schedule.entries.get()
        client = api_login(manager)
        assert client.post(f"/api/visits/schedules/{schedule.pk}/submit/").status_code == 200
        assert client.post(f"/api/visits/schedules/{schedule.pk}/submit/").status_code == 409
        client.post(
            f"/api/visits/schedules/{schedule.pk}/add/",
            {"customer": other.pk, "planned_date": "2026-10-10"},
        )
        client.post(
            f"/api/visits/schedules/{schedule.pk}/move/",
            {"entry": entry.pk, "planned_date": "2026-10-09"},
        )
        client.post(f"/api/visits/schedules/{schedule.pk}/remove/", {"entry": entry.pk})
        changes = list(ScheduleChange.objects.values_list("action", "customer__code"))
        assert changes == [
            ("submit", None),
            ("add", "EXTRA"),
            ("move", entry.customer.code),
            ("remove", entry.customer.code),
        ]
        detail = client.get(f"/api/visits/schedules/{schedule.pk}/").json()
        assert detail["status"] == "submitted"
        assert [e["customer_code"] for e in detail["entries"]] == ["EXTRA"]
        assert len(detail["changes"]) == 4

    def test_holiday_and_other_week_refused(self, api_login, manager, schedule):
        other = factories.CustomerFactory(manager=manager)
        client = api_login(manager)
        for day in ("2026-10-06", "2026-10-12"):
            response = client.post(
                f"/api/visits/schedules/{schedule.pk}/add/",
                {"customer": other.pk, "planned_date": day},
            )
            assert response.status_code == 400
            assert "planned_date" in response.json()

    def test_someone_elses_customer_is_not_found(self, api_login, manager, teammate, schedule):
        foreign = factories.CustomerFactory(manager=teammate)
        response = api_login(manager).post(
            f"/api/visits/schedules/{schedule.pk}/add/",
            {"customer": foreign.pk, "planned_date": "2026-10-09"},
        )
        assert response.status_code == 400
        assert "customer" in response.json()

    def test_regional_manager_comments_manager_is_told(
        self, api_login, manager, regional_manager, schedule, django_capture_on_commit_callbacks
    ):
        client = api_login(regional_manager)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/api/visits/schedules/{schedule.pk}/comment/", {"text": "周六补班记得走访"}
            )
        assert response.status_code == 201
        assert response.json()["comments"][0]["text"] == "周六补班记得走访"
        assert Notification.objects.filter(user=manager).count() == 1
        assert mail.outbox[-1].to == [manager.email]
        # The regional manager reads and comments but does not edit.
        assert client.post(f"/api/visits/schedules/{schedule.pk}/submit/").status_code == 403

    def test_manager_does_not_comment(self, api_login, manager, schedule):
        response = api_login(manager).post(
            f"/api/visits/schedules/{schedule.pk}/comment/", {"text": "x"}
        )
        assert response.status_code == 403

    @pytest.mark.parametrize("persona", ["teammate", "outsider", "other_regional_manager"])
    def test_others_get_404(self, request, api_login, schedule, persona):
        client = api_login(request.getfixturevalue(persona))
        assert client.get(f"/api/visits/schedules/{schedule.pk}/").status_code == 404
        assert client.post(f"/api/visits/schedules/{schedule.pk}/submit/").status_code == 404
        assert (
            client.post(f"/api/visits/schedules/{schedule.pk}/comment/", {"text": "x"}).status_code
            == 404
        )


def test_region_coverage(api_login, manager, teammate, outsider, regional_manager, travel):
    travel("2026-10-02 16:00")
    factories.CustomerFactory.create_batch(2, manager=manager, grade=factories.grade("A1"))
    factories.CustomerFactory(manager=manager)  # B2
    factories.CustomerFactory(manager=teammate)
    factories.CustomerFactory(manager=outsider)
    schedule, _ = schedules.schedule_propose(manager=manager, week_start=HOLIDAY_WEEK)
    schedules.schedule_remove_visit(entry=schedule.entries.first(), actor=manager)
    rows = (
        api_login(regional_manager)
        .get("/api/visits/schedules/region/", {"week_start": "2026-10-05"})
        .json()
    )
    by_manager = {row["manager"]["username"]: row for row in rows}
    assert set(by_manager) == {"manager", "teammate"}
    assert by_manager["teammate"]["schedule"] is None
    coverage = {c["grade"]: c for c in by_manager["manager"]["coverage"]}
    assert coverage["A1"]["due"] + coverage["B2"]["due"] == 3
    assert coverage["A1"]["planned"] + coverage["B2"]["planned"] == 2
    assert by_manager["manager"]["schedule"]["entry_count"] == 2


class TestFridayJob:
    def test_twice_creates_one_schedule_each_and_notifies_once(
        self, manager, teammate, customer, travel, django_capture_on_commit_callbacks
    ):
        from visits import tasks

        inactive = factories.ManagerFactory(username="gone", is_active=False)
        travel("2026-10-09 16:00")  # Friday
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.propose_next_week_schedules.delay().get() == 2
            assert tasks.propose_next_week_schedules.delay().get() == 0
        schedules = WeeklySchedule.objects.filter(week_start=D(2026, 10, 12))
        assert sorted(schedules.values_list("manager__username", flat=True)) == [
            "manager",
            "teammate",
        ]
        assert all(s.proposed_by_job for s in schedules)
        assert not WeeklySchedule.objects.filter(manager=inactive).exists()
        keys = list(Notification.objects.values_list("user__username", "key"))
        assert sorted(keys) == [
            ("manager", "schedule-proposed:2026-10-12"),
            ("teammate", "schedule-proposed:2026-10-12"),
        ]
        assert len(mail.outbox) == 2

    def test_keeps_a_schedule_the_manager_made(self, manager, customer, travel):
        travel("2026-10-08 09:00")
        own, _ = schedules.schedule_propose(manager=manager, week_start=D(2026, 10, 12))
        schedules.schedule_submit(schedule=own, actor=manager)
        assert schedules.schedules_propose_next_week(today=D(2026, 10, 9)) == 0
        own.refresh_from_db()
        assert own.status == WeeklySchedule.Status.SUBMITTED and not own.proposed_by_job


@pytest.mark.parametrize("size", [2, 12])
def test_schedule_list_query_budget(
    api_login, regional_manager, region, size, django_assert_max_num_queries
):
    for manager in factories.ManagerFactory.create_batch(size, region=region):
        schedules.schedule_propose(manager=manager, week_start=D(2026, 10, 12))
    client = api_login(regional_manager)
    # The region's managers (crm.access.scope), 1 count, 1 page of schedules
    # with manager, region and entry count.
    with django_assert_max_num_queries(3):
        response = client.get("/api/visits/schedules/", {"week_start": "2026-10-12"})
    assert response.json()["count"] == size


@pytest.mark.parametrize("size", [2, 12])
def test_schedule_detail_and_region_query_budget(
    api_login, manager, regional_manager, size, travel, django_assert_max_num_queries
):
    travel("2026-10-08 09:00")
    factories.CustomerFactory.create_batch(size, manager=manager)
    schedule, _ = schedules.schedule_propose(manager=manager, week_start=D(2026, 10, 12))
    schedules.schedule_submit(schedule=schedule, actor=manager)
    schedules.schedule_comment(schedule=schedule, actor=regional_manager, text="好")
    client = api_login(regional_manager)
    # the region's managers (crm.access.scope); schedule with manager; entries
    # with customer, grade and visit; changes; comments.
    with django_assert_max_num_queries(5):
        body = client.get(f"/api/visits/schedules/{schedule.pk}/").json()
    assert len(body["entries"]) == size
    # managers, grades, the grades' intervals, their due customers, schedules of
    # the week, planned entries.
    with django_assert_max_num_queries(6):
        client.get("/api/visits/schedules/region/", {"week_start": "2026-10-12"})
