"""Every route that reads ``next`` stays on this site, whatever ``next`` says."""

import datetime

import pytest
from django.urls import reverse

from crm.models import Customer
from tests import factories
from tests.visits.conftest import make_visit
from visits.models import Suggestion
from visits.services import schedules, suggestions

pytestmark = pytest.mark.django_db

HOSTILE = [
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
    "http:///evil.example",
    "https:evil.example",
]


def _stays_here(response, expected):
    assert response.status_code == 302
    assert response["Location"] == expected
    assert "evil" not in response["Location"]
    assert "javascript" not in response["Location"]


@pytest.fixture
def suggestion(manager, customer, travel):
    travel("2026-10-09 11:00")
    visit = make_visit(manager, customer, stage="in_progress")
    suggestions.suggestion_add(visit=visit, actor=manager, text="希望增加配送")
    return Suggestion.objects.get()


@pytest.mark.parametrize("target", HOSTILE)
def test_suggestion_answer_ignores_a_foreign_next(login, manager, suggestion, target):
    response = login(manager).post(
        reverse("visits:suggestion_answer", args=[suggestion.pk]),
        {"answer": "已安排", "next": target},
    )
    _stays_here(response, reverse("visits:suggestion_list"))
    suggestion.refresh_from_db()
    assert suggestion.answer == "已安排"


@pytest.mark.parametrize("target", HOSTILE)
def test_suggestion_answer_error_ignores_a_foreign_next(login, manager, suggestion, target):
    response = login(manager).post(
        reverse("visits:suggestion_answer", args=[suggestion.pk]), {"answer": "", "next": target}
    )
    _stays_here(response, reverse("visits:suggestion_list"))


def test_suggestion_answer_keeps_a_next_on_this_site(login, manager, suggestion):
    back = f"{reverse('visits:suggestion_list')}?show=all"
    response = login(manager).post(
        reverse("visits:suggestion_answer", args=[suggestion.pk]),
        {"answer": "已安排", "next": back},
    )
    _stays_here(response, back)


@pytest.fixture
def planned_of_exited_customer(manager, travel):
    travel("2026-10-02 16:00")
    factories.CustomerFactory(manager=manager, code="S1", grade=factories.grade("A1"))
    schedule, _ = schedules.schedule_propose(manager=manager, week_start=datetime.date(2026, 10, 5))
    entry = schedule.entries.get()
    # Starting it fails: the error path is the one that redirected to ``next``.
    Customer.objects.filter(pk=entry.customer_id).update(
        network_status=Customer.NetworkStatus.EXITED
    )
    travel("2026-10-05 09:00")
    return entry


@pytest.mark.parametrize("target", HOSTILE)
def test_failed_visit_start_ignores_a_foreign_next(
    login, manager, planned_of_exited_customer, target
):
    entry = planned_of_exited_customer
    response = login(manager).post(reverse("visits:visit_start", args=[entry.pk]), {"next": target})
    _stays_here(response, f"{reverse('visits:schedule')}?week=2026-10-05")
    assert not entry.customer.visits.exists()


@pytest.mark.parametrize("target", HOSTILE)
def test_schedule_comment_ignores_a_foreign_next(login, regional_manager, manager, travel, target):
    travel("2026-10-02 16:00")
    factories.CustomerFactory(manager=manager, grade=factories.grade("A1"))
    schedule, _ = schedules.schedule_propose(manager=manager, week_start=datetime.date(2026, 10, 5))
    schedules.schedule_submit(schedule=schedule, actor=manager)
    response = login(regional_manager).post(
        reverse("visits:schedule_comment", args=[schedule.pk]), {"text": "好", "next": target}
    )
    _stays_here(response, schedule.get_absolute_url())


@pytest.mark.parametrize("target", HOSTILE)
def test_login_ignores_a_foreign_next(client, manager, target):
    response = client.post(
        reverse("login"),
        {"username": manager.username, "password": factories.PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert "evil" not in response["Location"] and "javascript" not in response["Location"]


@pytest.mark.parametrize("target", HOSTILE)
def test_logout_ignores_a_foreign_next(login, manager, target):
    response = login(manager).post(reverse("logout"), {"next": target})
    assert response.status_code == 302
    assert "evil" not in response["Location"] and "javascript" not in response["Location"]


@pytest.mark.parametrize("target", HOSTILE)
def test_language_switch_ignores_a_foreign_next(login, manager, target):
    response = login(manager).post(reverse("set_language"), {"language": "en", "next": target})
    assert response.status_code == 302
    assert "evil" not in response["Location"] and "javascript" not in response["Location"]
