"""Week plan and region schedule pages."""

import datetime

import pytest
from django.urls import reverse

from tests import factories
from visits.models import PlannedVisit, ScheduleChange, WeeklySchedule
from visits.services import schedules

pytestmark = pytest.mark.django_db

D = datetime.date
HOLIDAY_WEEK = D(2026, 10, 5)  # 10-05..07 off, 10-08..09 work, Sat 10-10 make-up day
WEEK = "?week=2026-10-05"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def my_week():
    return reverse("visits:schedule") + WEEK


@pytest.fixture
def schedule(manager, travel):
    travel("2026-10-02 16:00")
    for code in ("S1", "S2", "S3"):
        factories.CustomerFactory(manager=manager, code=code, grade=factories.grade("A1"))
    schedule, _ = schedules.schedule_propose(manager=manager, week_start=HOLIDAY_WEEK)
    return schedule


class TestMyWeek:
    def test_propose_from_the_page(self, login, manager, travel):
        travel("2026-10-02 16:00")
        factories.CustomerFactory(manager=manager, name="从未拜访店")
        client = login(manager)
        page = client.get(my_week()).text
        assert "Propose this week&#x27;s schedule" in page or "Propose this week" in page
        response = client.post(reverse("visits:schedule_propose"), {"week": "2026-10-05"})
        assert response.status_code == 302
        schedule = WeeklySchedule.objects.get(manager=manager, week_start=HOLIDAY_WEEK)
        assert schedule.entries.count() == 1
        page = client.get(my_week()).text
        assert "从未拜访店" in page

    def test_holidays_and_make_up_saturday(self, login, manager, schedule):
        page = login(manager).get(my_week()).text
        assert page.count(">Holiday") == 3
        assert "Make-up working day" in page
        # One day at a time, a tab per day: the make-up Saturday has one, an ordinary Sunday not.
        assert 'data-day="2026-10-10"' in page
        assert 'data-day="2026-10-11"' not in page

    def test_move_add_remove_submit_and_change_log(
        self, login, manager, regional_manager, schedule, travel
    ):
        client = login(manager)
        entry = schedule.entries.order_by("pk").first()
        client.post(
            reverse("visits:schedule_move", args=[entry.pk]), {"planned_date": "2026-10-10"}
        )
        assert PlannedVisit.objects.get(pk=entry.pk).planned_date == D(2026, 10, 10)
        # A holiday is not offered, and the service refuses it anyway.
        response = client.post(
            reverse("visits:schedule_move", args=[entry.pk]),
            {"planned_date": "2026-10-06"},
            follow=True,
        )
        assert PlannedVisit.objects.get(pk=entry.pk).planned_date == D(2026, 10, 10)
        assert response.status_code == 200

        client.post(reverse("visits:schedule_submit", args=[schedule.pk]))
        schedule.refresh_from_db()
        assert schedule.status == WeeklySchedule.Status.SUBMITTED

        extra = factories.CustomerFactory(manager=manager, name="新加店")
        client.post(
            reverse("visits:schedule_add", args=[schedule.pk]),
            {"customer": extra.pk, "planned_date": "2026-10-09"},
        )
        assert schedule.entries.filter(customer=extra).exists()
        other = schedule.entries.exclude(customer=extra).exclude(pk=entry.pk).first()
        client.post(reverse("visits:schedule_remove", args=[other.pk]))
        assert not PlannedVisit.objects.filter(pk=other.pk).exists()
        actions = list(schedule.changes.values_list("action", flat=True))
        assert actions == [
            ScheduleChange.Action.SUBMIT,
            ScheduleChange.Action.ADD,
            ScheduleChange.Action.REMOVE,
        ]

        schedules.schedule_comment(schedule=schedule, actor=regional_manager, text="周六记得去")
        page = client.get(my_week()).text
        assert "Changes after submission" in page and "新加店" in page
        assert "周六记得去" in page

    def test_adding_a_customer_twice_is_a_message(self, login, manager, schedule):
        entry = schedule.entries.first()
        response = login(manager).post(
            reverse("visits:schedule_add", args=[schedule.pk]),
            {"customer": entry.customer_id, "planned_date": "2026-10-09"},
            follow=True,
        )
        assert "already in the week" in response.text
        assert schedule.entries.count() == 3

    def test_start_a_planned_visit(self, login, manager, schedule, travel):
        travel("2026-10-08 09:00")
        entry = schedule.entries.filter(planned_date=D(2026, 10, 8)).first()
        client = login(manager)
        response = client.post(reverse("visits:visit_start", args=[entry.pk]))
        visit = entry.customer.visits.get()
        assert response.url == visit.get_absolute_url()
        assert visit.planned_visit_id == entry.pk
        # A second tap opens the same visit.
        response = client.post(reverse("visits:visit_start", args=[entry.pk]))
        assert response.url == visit.get_absolute_url()
        assert entry.customer.visits.count() == 1

    @pytest.mark.parametrize("rows", [3, 20])
    def test_query_budget(self, login, manager, travel, django_assert_max_num_queries, rows):
        travel("2026-10-02 16:00")
        for _ in range(rows):
            factories.CustomerFactory(manager=manager, grade=factories.grade("A1"))
        schedules.schedule_propose(manager=manager, week_start=HOLIDAY_WEEK)
        client = login(manager)
        # session, user; schedule, entries (customer, grade, visit), changes, comments;
        # calendar days; the customers of the "add" form; the layout's unread count and
        # the user's region; the session saved (with its savepoint).
        with django_assert_max_num_queries(13):
            response = client.get(my_week())
        assert sum(len(d["entries"]) for d in response.context["days"]) == rows


class TestWhoMay:
    def test_others_get_404_on_the_schedule(
        self, client, login, teammate, outsider, other_regional_manager, schedule
    ):
        entry = schedule.entries.first()
        for user in (teammate, outsider, other_regional_manager):
            login(user)
            assert client.get(schedule.get_absolute_url()).status_code == 404
            for name in ("schedule_submit", "schedule_comment", "schedule_add"):
                assert client.post(reverse(f"visits:{name}", args=[schedule.pk])).status_code == 404
            for name in ("schedule_move", "schedule_remove", "visit_start"):
                assert client.post(reverse(f"visits:{name}", args=[entry.pk])).status_code == 404

    def test_regional_manager_reads_and_comments_but_does_not_edit(
        self, login, regional_manager, schedule
    ):
        client = login(regional_manager)
        page = client.get(schedule.get_absolute_url()).text
        assert "Add a customer" not in page
        assert client.post(reverse("visits:schedule_submit", args=[schedule.pk])).status_code == 403
        client.post(reverse("visits:schedule_comment", args=[schedule.pk]), {"text": "很好"})
        assert schedule.comments.get().text == "很好"

    def test_manager_cannot_comment(self, login, manager, schedule):
        response = login(manager).post(
            reverse("visits:schedule_comment", args=[schedule.pk]), {"text": "自评"}
        )
        assert response.status_code == 403


class TestRegion:
    def test_every_manager_of_the_region_with_coverage(
        self, login, manager, teammate, outsider, regional_manager, schedule
    ):
        page = login(regional_manager).get(reverse("visits:region_schedules") + WEEK).text
        assert f'data-testid="manager-{manager.pk}"' in page
        assert f'data-testid="manager-{teammate.pk}"' in page
        assert f'data-testid="manager-{outsider.pk}"' not in page
        assert "No schedule" in page  # the teammate has none
        assert "3/3" in page  # the three A1 customers due are planned
        assert reverse("visits:schedule_detail", args=[schedule.pk]) in page

    def test_other_region_does_not_see_it(self, login, manager, other_regional_manager, schedule):
        page = login(other_regional_manager).get(reverse("visits:region_schedules") + WEEK).text
        assert f'data-testid="manager-{manager.pk}"' not in page

    def test_admin_chooses_the_region(self, login, admin_user, manager, region, schedule):
        url = reverse("visits:region_schedules") + WEEK + f"&region={region.pk}"
        page = login(admin_user).get(url).text
        assert f'data-testid="manager-{manager.pk}"' in page

    def test_managers_are_refused(self, login, manager):
        assert login(manager).get(reverse("visits:region_schedules")).status_code == 403

    def test_comment_from_the_region_page(self, login, regional_manager, schedule):
        response = login(regional_manager).post(
            reverse("visits:schedule_comment", args=[schedule.pk]),
            {"text": "注意覆盖", "next": "region"},
        )
        assert response.url.startswith(reverse("visits:region_schedules"))
        assert schedule.comments.get().text == "注意覆盖"
