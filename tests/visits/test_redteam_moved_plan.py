"""A planned visit of a customer who changed hands is no longer the previous
manager's to reschedule: moving it answers 403 and keeps its date (it would
plan a visit of a customer they may not start). Removing it from their own
plan stays allowed: that is how the plan is cleaned up."""

import datetime

import pytest

from crm import services as crm_services
from visits.models import PlannedVisit
from visits.services import schedules

pytestmark = pytest.mark.django_db

HOLIDAY_WEEK = datetime.date(2026, 10, 5)


@pytest.fixture
def moved_entry(manager, customer, outsider, admin_user, travel):
    travel("2026-10-02 16:00")
    schedule, _ = schedules.schedule_propose(manager=manager, week_start=HOLIDAY_WEEK)
    entry = schedule.entries.get(customer=customer)
    crm_services.customer_reassign(
        customer=customer,
        actor=admin_user,
        manager=outsider,
        region=outsider.region,
        reason="调岗交接",
    )
    return entry


def test_previous_manager_cannot_move_the_plan_of_a_moved_customer(api_login, manager, moved_entry):
    old_date = moved_entry.planned_date
    response = api_login(manager).post(
        f"/api/visits/schedules/{moved_entry.schedule_id}/move/",
        {"entry": moved_entry.pk, "planned_date": "2026-10-09"},
    )
    assert response.status_code == 403
    assert PlannedVisit.objects.get(pk=moved_entry.pk).planned_date == old_date


def test_previous_manager_cannot_move_it_in_the_browser(login, manager, moved_entry):
    old_date = moved_entry.planned_date
    response = login(manager).post(
        f"/visits/schedule/entry/{moved_entry.pk}/move/", {"planned_date": "2026-10-09"}
    )
    assert response.status_code == 403
    assert PlannedVisit.objects.get(pk=moved_entry.pk).planned_date == old_date


def test_previous_manager_may_still_remove_it(api_login, manager, moved_entry):
    response = api_login(manager).post(
        f"/api/visits/schedules/{moved_entry.schedule_id}/remove/", {"entry": moved_entry.pk}
    )
    assert response.status_code == 200
    assert not PlannedVisit.objects.filter(pk=moved_entry.pk).exists()
