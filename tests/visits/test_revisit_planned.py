"""A revisit date becomes a planned entry on that day of the manager's week, not a
special visit whose reason is typed again."""

import datetime

import pytest
from django.urls import reverse

from tests import factories
from tests.browser_support import browser_page, login_as, seeded  # noqa: F401
from tests.visits.conftest import make_visit
from visits.models import PlannedVisit, ScheduleChange, Visit, WeeklySchedule
from visits.services import schedules
from visits.services import visits as visit_services

D = datetime.date
NEXT_WEEK = D(2026, 10, 12)  # Monday; 10-14 is a Wednesday


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _set_revisit(visit, manager, day):
    return visit_services.visit_update(visit=visit, actor=manager, data={"revisit_on": day})


@pytest.mark.django_db
class TestRevisitPlanned:
    def test_added_to_the_weeks_schedule_on_its_day(self, manager, travel):
        travel("2026-10-09 09:00")
        customer = factories.CustomerFactory(manager=manager, grade=factories.grade("D"))
        schedule = WeeklySchedule.objects.create(manager=manager, week_start=NEXT_WEEK)
        visit = make_visit(manager, customer, stage="in_progress", arrived="2026-10-09 10:00")
        _set_revisit(visit, manager, D(2026, 10, 14))
        entry = PlannedVisit.objects.get(schedule=schedule, customer=customer)
        assert entry.planned_date == D(2026, 10, 14)
        assert entry.note == "Revisit asked at the visit of 2026-10-09"

    def test_a_revisit_on_a_holiday_goes_to_the_next_working_day(self, manager, travel):
        travel("2026-09-30 09:00")
        customer = factories.CustomerFactory(manager=manager, grade=factories.grade("D"))
        schedule = WeeklySchedule.objects.create(manager=manager, week_start=D(2026, 10, 5))
        visit = make_visit(manager, customer, stage="in_progress", arrived="2026-09-30 10:00")
        _set_revisit(visit, manager, D(2026, 10, 6))  # national holiday 10-05..07
        assert schedule.entries.get(customer=customer).planned_date == D(2026, 10, 8)

    def test_moved_to_its_day_and_recorded_after_submission(self, manager, travel):
        travel("2026-10-09 09:00")
        customer = factories.CustomerFactory(manager=manager, grade=factories.grade("D"))
        schedule = WeeklySchedule.objects.create(
            manager=manager, week_start=NEXT_WEEK, status=WeeklySchedule.Status.SUBMITTED
        )
        entry = PlannedVisit.objects.create(
            schedule=schedule, customer=customer, planned_date=D(2026, 10, 16)
        )
        visit = make_visit(manager, customer, stage="in_progress", arrived="2026-10-09 10:00")
        _set_revisit(visit, manager, D(2026, 10, 13))
        entry.refresh_from_db()
        assert entry.planned_date == D(2026, 10, 13)
        change = ScheduleChange.objects.get(schedule=schedule)
        assert (change.action, change.old_date, change.new_date) == (
            ScheduleChange.Action.MOVE,
            D(2026, 10, 16),
            D(2026, 10, 13),
        )

    def test_a_week_proposed_later_plans_the_revisit_on_its_day(self, manager, travel):
        travel("2026-10-09 09:00")
        customer = factories.CustomerFactory(manager=manager, grade=factories.grade("D"))
        make_visit(
            manager, customer, stage="ended", arrived="2026-10-09 10:00", revisit_on=D(2026, 10, 15)
        )
        schedule, created = schedules.schedule_propose(manager=manager, week_start=NEXT_WEEK)
        assert created
        # Visited yesterday, a D is not due by its interval: planned for the revisit alone.
        entry = schedule.entries.get(customer=customer)
        assert entry.planned_date == D(2026, 10, 15)
        assert "Revisit asked" in entry.note

    def test_the_revisit_list_leads_to_the_planned_day(self, client, manager, travel):
        travel("2026-10-09 09:00")
        customer = factories.CustomerFactory(manager=manager, grade=factories.grade("D"))
        WeeklySchedule.objects.create(manager=manager, week_start=NEXT_WEEK)
        visit = make_visit(manager, customer, stage="in_progress", arrived="2026-10-09 10:00")
        _set_revisit(visit, manager, D(2026, 10, 12))
        travel("2026-10-12 08:00")
        client.force_login(manager)
        page = client.get(reverse("visits:suggestion_list")).text
        day_url = reverse("visits:schedule") + "?week=2026-10-12&amp;day=2026-10-12#week-day"
        assert day_url in page
        assert reverse("visits:visit_special") + f"?customer={customer.pk}" not in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_revisit_is_started_from_the_plan(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
):
    from django.utils import timezone

    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    customer = factories.CustomerFactory(
        manager=manager, name="回访烟酒店", grade=factories.grade("D")
    )
    if today.weekday() == 0:
        pytest.skip("no earlier day this week to have visited on")
    schedule = WeeklySchedule.objects.create(manager=manager, week_start=monday)
    yesterday = today - datetime.timedelta(days=1)
    visit = make_visit(
        manager, customer, stage="ended", arrived=f"{yesterday:%Y-%m-%d} 10:00", revisit_on=today
    )
    entry = schedule.entries.get(customer=customer)
    page = browser_page
    login_as(page, live_server, manager)
    page.goto(f"{live_server.url}{reverse('visits:suggestion_list')}")
    page.click("text=Start revisit")
    row = page.locator(f"[data-testid=entry-{entry.pk}]")
    assert "Revisit asked at the visit of" in row.inner_text()
    row.locator("form[action$='/start/'] button").click()
    page.wait_for_url(lambda url: "/visits/" in url and "/schedule" not in url)
    made = Visit.objects.get(planned_visit=entry)
    assert made.customer == customer
    visit.refresh_from_db()
    assert visit.revisited_by_id == made.pk
