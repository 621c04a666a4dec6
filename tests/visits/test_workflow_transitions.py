"""The workflows of the visits app on the one transition mechanism.

For each table of ``visits.transitions``: two claims at once (one wins, the
other is told the state the row is in now, 409), the event row written with
the change, the API's ``steps`` offering what the page offers, and a locked
visit refused in the same words by the page and the API.
"""

import datetime

import pytest
from django.urls import reverse

from core.models import AuditEvent
from tests import factories
from tests.browser_support import seeded  # noqa: F401 - the fixture
from tests.races import one_wins
from tests.visits.conftest import make_violation, make_visit
from visits.models import (
    PriceViolation,
    PriceViolationEvent,
    Suggestion,
    SuggestionEvent,
    UnlicensedReport,
    UnlicensedReportEvent,
    Visit,
    WeeklySchedule,
)
from visits.services import schedules, suggestions, unlicensed, violations

MONDAY = datetime.date(2026, 10, 12)


def _report(manager):
    return unlicensed.unlicensed_report(
        actor=manager, address="人民路 9 号", description="无证卖烟"
    )


def _suggestion(manager, customer):
    visit = make_visit(manager, customer, stage="ended")
    return suggestions.suggestion_add(visit=visit, actor=manager, text="希望上午送货")


def _detail(response):
    return response.content.decode()


# Races: two claims at once, one wins, the loser is told the state -------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
class TestRaces:
    def test_two_downgrades_one_wins(self, manager, region, regional_manager, admin_user):
        customer = factories.CustomerFactory(manager=manager, region=region)
        violation = make_violation(manager, customer)
        url = f"/api/visits/price-violations/{violation.pk}/dismiss/"

        lost = one_wins([regional_manager, admin_user], url, {"note": "误报"})
        assert "Dismissed" in lost.json()["detail"]
        assert PriceViolationEvent.objects.filter(violation=violation).count() == 1

    def test_two_forwards_one_wins(self, manager, region, regional_manager, admin_user):
        report = _report(manager)
        url = f"/api/visits/unlicensed/{report.pk}/forward/"

        lost = one_wins([regional_manager, admin_user], url, {"note": "已转专卖局"})
        assert "Forwarded to the monopoly department" in lost.json()["detail"]
        assert UnlicensedReportEvent.objects.filter(report=report).count() == 1

    def test_two_answers_one_wins(self, manager, region):
        customer = factories.CustomerFactory(manager=manager, region=region)
        suggestion = _suggestion(manager, customer)
        url = f"/api/visits/suggestions/{suggestion.pk}/answer/"

        lost = one_wins([manager, manager], url, {"answer": "已调整"})
        assert "Answered" in lost.json()["detail"]
        assert suggestion.events.filter(action="answer").count() == 1

    def test_two_submits_one_wins(self, manager, region):
        schedule, _ = schedules.schedule_propose(manager=manager, week_start=MONDAY)
        url = f"/api/visits/schedules/{schedule.pk}/submit/"

        lost = one_wins([manager, manager], url)
        assert "Submitted" in lost.json()["detail"]
        assert schedule.changes.filter(action="submit").count() == 1

    def test_two_ends_one_wins(self, manager, region):
        customer = factories.CustomerFactory(manager=manager, region=region)
        visit = make_visit(manager, customer, stage="in_progress")
        url = f"/api/visits/records/{visit.pk}/end/"

        lost = one_wins([manager, manager], url)
        assert "already ended" in lost.json()["detail"]
        assert visit.events.filter(action="end").count() == 1


# Event rows, written with the change --------------------------------------------------


@pytest.mark.django_db
class TestEventRows:
    def test_downgrade_writes_its_event(self, api_login, manager, customer, regional_manager):
        violation = make_violation(manager, customer)
        response = api_login(regional_manager).post(
            f"/api/visits/price-violations/{violation.pk}/downgrade/", {"note": "第二次"}
        )
        assert response.status_code == 200
        event = PriceViolationEvent.objects.get(violation=violation)
        assert (event.action, event.from_status, event.to_status) == (
            "downgrade",
            PriceViolation.Status.OPEN,
            PriceViolation.Status.DOWNGRADED,
        )
        assert event.actor == regional_manager
        assert event.comment == "第二次"
        assert response.json()["events"][0]["to_status"] == "downgraded"
        # The event writer also leaves the audit trail's entry, in the same transaction.
        audit = AuditEvent.objects.get(
            action="transition", object_type="visits.PriceViolation", object_id=str(violation.pk)
        )
        assert audit.summary == "downgrade open → downgraded"
        assert audit.actor == regional_manager

    def test_forward_and_outcome_write_their_events(self, manager, regional_manager):
        report = _report(manager)
        unlicensed.unlicensed_forward(report=report, actor=regional_manager, note="已转")
        unlicensed.unlicensed_record_outcome(
            report=report, actor=regional_manager, outcome="已取缔"
        )
        rows = list(report.events.values_list("action", "from_status", "to_status"))
        assert rows == [
            ("forward", UnlicensedReport.Status.REPORTED, UnlicensedReport.Status.FORWARDED),
            ("outcome", UnlicensedReport.Status.FORWARDED, UnlicensedReport.Status.CLOSED),
        ]

    def test_suggestion_add_and_answer_write_their_events(self, manager, customer):
        suggestion = _suggestion(manager, customer)
        suggestions.suggestion_answer(suggestion=suggestion, actor=manager, answer="已调整")
        suggestion.refresh_from_db()
        assert suggestion.status == Suggestion.Status.ANSWERED
        rows = list(SuggestionEvent.objects.values_list("action", "from_status", "to_status"))
        assert rows == [("add", "", "open"), ("answer", "open", "answered")]

    def test_a_refused_step_writes_nothing(self, api_login, manager, customer, regional_manager):
        violation = make_violation(manager, customer)
        client = api_login(regional_manager)
        client.post(f"/api/visits/price-violations/{violation.pk}/dismiss/", {"note": "误报"})
        again = client.post(f"/api/visits/price-violations/{violation.pk}/downgrade/", {})
        assert again.status_code == 409
        assert PriceViolationEvent.objects.filter(violation=violation).count() == 1

    def test_history_on_the_pages(self, login, manager, customer, regional_manager):
        violation = make_violation(manager, customer)
        report = _report(manager)
        client = login(regional_manager)
        client.post(reverse("visits:violation_dismiss", args=[violation.pk]), {"note": "误报"})
        client.post(reverse("visits:unlicensed_forward", args=[report.pk]), {"note": "已转"})

        page = _detail(
            client.get(
                reverse("visits:violation_detail", args=[violation.pk]),
                HTTP_ACCEPT_LANGUAGE="en",
            )
        )
        assert "Awaiting decision → Dismissed" in page
        page = _detail(
            client.get(
                reverse("visits:unlicensed_detail", args=[report.pk]),
                HTTP_ACCEPT_LANGUAGE="zh-hans",
            )
        )
        assert 'data-testid="workflow-history"' in page
        assert "已转" in page


# steps in the API detail: what the page offers ---------------------------------------


@pytest.mark.django_db
class TestSteps:
    def test_violation(self, login, api_login, manager, customer, regional_manager):
        violation = make_violation(manager, customer)
        url = f"/api/visits/price-violations/{violation.pk}/"
        page_url = reverse("visits:violation_detail", args=[violation.pk])
        downgrade = reverse("visits:violation_downgrade", args=[violation.pk])

        assert api_login(regional_manager).get(url).json()["steps"] == ["downgrade", "dismiss"]
        assert downgrade in _detail(login(regional_manager).get(page_url))
        assert api_login(manager).get(url).json()["steps"] == []
        assert downgrade not in _detail(login(manager).get(page_url))

        api_login(regional_manager).post(f"{url}dismiss/", {"note": "误报"})
        assert api_login(regional_manager).get(url).json()["steps"] == []
        assert downgrade not in _detail(login(regional_manager).get(page_url))

    def test_unlicensed(self, login, api_login, manager, regional_manager):
        report = _report(manager)
        url = f"/api/visits/unlicensed/{report.pk}/"
        page_url = reverse("visits:unlicensed_detail", args=[report.pk])
        forward = reverse("visits:unlicensed_forward", args=[report.pk])
        outcome = reverse("visits:unlicensed_outcome", args=[report.pk])

        assert api_login(regional_manager).get(url).json()["steps"] == ["forward"]
        page = _detail(login(regional_manager).get(page_url))
        assert forward in page and outcome not in page
        assert api_login(manager).get(url).json()["steps"] == []

        unlicensed.unlicensed_forward(report=report, actor=regional_manager)
        assert api_login(regional_manager).get(url).json()["steps"] == ["outcome"]
        page = _detail(login(regional_manager).get(page_url))
        assert outcome in page and forward not in page

    def test_visit(self, login, api_login, manager, customer, regional_manager):
        visit = make_visit(manager, customer, stage="ended")
        url = f"/api/visits/records/{visit.pk}/"
        page = _detail(login(manager).get(visit.get_absolute_url()))

        assert api_login(manager).get(url).json()["steps"] == ["edit", "sign_manager"]
        assert 'data-testid="sign-manager"' in page
        assert reverse("visits:visit_edit", args=[visit.pk]) in page
        assert api_login(regional_manager).get(url).json()["steps"] == []

        locked = make_visit(manager, customer, stage="locked", arrived="2026-10-09 14:00")
        page = _detail(login(manager).get(locked.get_absolute_url()))
        steps = api_login(manager).get(f"/api/visits/records/{locked.pk}/").json()["steps"]
        assert steps == ["correct"]
        assert reverse("visits:visit_correct", args=[locked.pk]) in page
        assert reverse("visits:visit_edit", args=[locked.pk]) not in page

    def test_schedule_and_suggestion(self, api_login, manager, customer, regional_manager):
        schedule, _ = schedules.schedule_propose(manager=manager, week_start=MONDAY)
        url = f"/api/visits/schedules/{schedule.pk}/"
        assert api_login(manager).get(url).json()["steps"] == ["plan", "submit"]
        assert api_login(regional_manager).get(url).json()["steps"] == ["comment"]
        schedules.schedule_submit(schedule=schedule, actor=manager)
        assert api_login(manager).get(url).json()["steps"] == ["plan"]
        assert WeeklySchedule.objects.get(pk=schedule.pk).status == "submitted"

        suggestion = _suggestion(manager, customer)
        url = f"/api/visits/suggestions/{suggestion.pk}/"
        assert api_login(manager).get(url).json()["steps"] == ["answer"]
        suggestions.suggestion_answer(suggestion=suggestion, actor=manager, answer="好")
        assert api_login(manager).get(url).json()["steps"] == []


# What locks a visit: one rule, the same refusal by page and API ----------------------


@pytest.mark.django_db
def test_a_locked_visit_is_refused_alike_by_page_and_api(login, api_login, manager, customer):
    locked = make_visit(manager, customer, stage="locked", findings="货架整洁")

    api = api_login(manager).patch(
        f"/api/visits/records/{locked.pk}/",
        {"findings": "改"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = login(manager).post(
        reverse("visits:visit_edit", args=[locked.pk]),
        {"findings": "改"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert api.status_code == 409
    shown = [str(m) for m in page.context["messages"]]
    assert shown == [api.json()["detail"]]
    assert "locked" in shown[0]
    assert Visit.objects.get(pk=locked.pk).findings == "货架整洁"


@pytest.mark.django_db
def test_a_suggestion_on_a_signed_visit_is_refused_as_an_edit(api_login, manager, customer):
    visit = make_visit(manager, customer, stage="manager_signed")
    response = api_login(manager).post(
        f"/api/visits/records/{visit.pk}/suggestions/",
        {"text": "多送货"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 409
    assert "can no longer change" in response.json()["detail"]
    assert not Suggestion.objects.exists()


@pytest.mark.django_db
def test_schedule_page_offers_submit_as_the_api_does(login, api_login, manager):
    schedule, _ = schedules.schedule_propose(manager=manager, week_start=MONDAY)
    submit = reverse("visits:schedule_submit", args=[schedule.pk])
    page_url = reverse("visits:schedule_detail", args=[schedule.pk])
    api_url = f"/api/visits/schedules/{schedule.pk}/"

    assert "submit" in api_login(manager).get(api_url).json()["steps"]
    assert submit in _detail(login(manager).get(page_url))

    schedules.schedule_submit(schedule=schedule, actor=manager)
    assert "submit" not in api_login(manager).get(api_url).json()["steps"]
    assert submit not in _detail(login(manager).get(page_url))


@pytest.mark.django_db
def test_admin_shows_the_decision_trail_read_only(client, manager, customer, admin_user):
    violation = make_violation(manager, customer)
    violations.price_violation_dismiss(violation=violation, actor=admin_user, note="误报")
    client.force_login(admin_user)
    page = client.get(
        reverse("admin:visits_priceviolation_change", args=[violation.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 200
    body = _detail(page)
    assert "price violation events" in body.lower()
    assert "误报" in body
