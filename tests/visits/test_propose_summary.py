"""After "propose next week's schedule" the page says how many visits were proposed
and why the manager's other customers were left out."""

import datetime

import pytest
from django.urls import reverse

from crm.models import Customer
from tests import factories
from tests.visits.conftest import completed_visit
from visits.models import WeeklySchedule

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def test_how_many_were_proposed_and_why_others_were_left_out(client, manager, travel):
    travel("2026-10-02 16:00")  # a Friday; the week of 10-05 has three holidays
    for _ in range(3):
        factories.CustomerFactory(manager=manager, grade=factories.grade("A1"))
    ungraded = factories.CustomerFactory(manager=manager, grade=None)
    gone = factories.CustomerFactory(manager=manager, grade=factories.grade("A1"))
    Customer.objects.filter(pk=gone.pk).update(network_status=Customer.NetworkStatus.EXITED)
    recent = factories.CustomerFactory(manager=manager, grade=factories.grade("D"))
    completed_visit(manager, recent, datetime.date(2026, 9, 30))
    client.force_login(manager)
    response = client.post(reverse("visits:schedule_propose"), {"week": "2026-10-05"}, follow=True)
    texts = _messages(response)
    schedule = WeeklySchedule.objects.get(manager=manager)
    assert schedule.entries.count() == 3
    assert "3 visits proposed over 3 working days, the most overdue first." in texts
    left = next(t for t in texts if t.startswith("Left out:"))
    assert "1 customer is not due by 10-11" in left
    assert "1 customer has no grade, so no visit interval" in left
    assert "1 customer has exited the network" in left
    assert ungraded.name not in left  # counts, not a list

    # Asked again: nothing new, and it says so.
    again = client.post(reverse("visits:schedule_propose"), {"week": "2026-10-05"}, follow=True)
    assert any("already has a schedule" in t for t in _messages(again))
