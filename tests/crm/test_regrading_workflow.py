"""Regrading runs on their transition table (``crm.workflows.RUN_TRANSITIONS``).

Each step claims the run on its locked row: of two applies, or an apply and
a discard sent at once, one wins and the other is told the state the winner
left (409). Every step writes a ``RegradingRunEvent`` (and its audit entry),
and the page offers exactly the steps the table allows the user.
"""

import datetime

import pytest
from django.utils import translation

from core.errors import ConflictError
from core.models import AuditEvent
from core.transitions import allowed
from crm import services, workflows
from crm.models import GradeChange, RegradingRun, RegradingRunEvent
from tests import factories
from tests.browser_support import seeded  # noqa: F401 - the fixture
from tests.crm.test_grading import buy
from tests.races import run_at_once

AS_OF = datetime.date(2026, 11, 22)
ROUNDS = 4


def _proposed_run(admin, manager, outsider):
    """A downgrade and an upgrade in the manager's region, a downgrade in the other."""
    falling = factories.CustomerFactory(manager=manager, grade=factories.grade("B1"))
    rising = factories.CustomerFactory(manager=manager, grade=factories.grade("B2"))
    west = factories.CustomerFactory(manager=outsider, grade=factories.grade("B1"))
    buy(falling, "15000")  # B1 -> C
    buy(rising, "600000")  # B2 -> A1
    buy(west, "15000")  # B1 -> C
    return services.regrading_propose(actor=admin, as_of=AS_OF)


def _new_changes(run):
    """The grade changes written from now on, and how many applying all of ``run`` writes."""
    last = GradeChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return GradeChange.objects.filter(pk__gt=last), run.proposals.count()


def _won_and_lost(results):
    lost = [r for r in results if isinstance(r, Exception)]
    won = [r for r in results if isinstance(r, RegradingRun)]
    assert len(won) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], ConflictError), lost[0]
    assert lost[0].status_code == 409
    return won[0], lost[0]


@pytest.fixture
def other_admin(db):
    return factories.AdminFactory(username="otheradmin")


@pytest.fixture
def rounds(admin_user, manager, outsider):
    """``rounds(first, second)``: ROUNDS fresh runs, each sent both calls at the same instant.

    Yields (run, the grade changes written since, how many applying it
    writes, the two results in order).
    """

    def _rounds(first, second):
        for _round in range(ROUNDS):
            run = _proposed_run(admin_user, manager, outsider)
            changes, expected = _new_changes(run)
            results = run_at_once(lambda run=run: first(run), lambda run=run: second(run))
            yield run, changes, expected, results

    return _rounds


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
class TestAtOnce:
    def test_two_applies_one_wins_the_other_is_told_applied(self, rounds, admin_user, other_admin):
        for run, changes, expected, results in rounds(
            lambda run: services.regrading_apply(run=run, actor=admin_user),
            lambda run: services.regrading_apply(run=run, actor=other_admin),
        ):
            won, lost = _won_and_lost(results)
            assert won.status == RegradingRun.Status.APPLIED
            assert "Applied" in lost.message
            # Every proposal applied exactly once, by the winner.
            assert changes.count() == expected
            assert run.events.filter(action=RegradingRunEvent.Action.APPLIED).count() == 1

    def test_apply_and_discard_one_wins_the_other_names_its_state(
        self, rounds, admin_user, other_admin
    ):
        for run, changes, expected, results in rounds(
            lambda run: services.regrading_apply(run=run, actor=admin_user),
            lambda run: services.regrading_discard(run=run, actor=other_admin),
        ):
            won, lost = _won_and_lost(results)
            run.refresh_from_db()
            assert run.status == won.status
            if won.status == RegradingRun.Status.APPLIED:
                assert "Applied" in lost.message
                assert changes.count() == expected
            else:
                assert won.status == RegradingRun.Status.DISCARDED
                assert "Discarded" in lost.message
                assert not changes.exists()

    def test_a_regional_apply_and_the_admins_apply_each_downgrade_once(
        self, rounds, admin_user, regional_manager
    ):
        for run, changes, expected, results in rounds(
            lambda run: services.regrading_apply(run=run, actor=regional_manager),
            lambda run: services.regrading_apply(run=run, actor=admin_user),
        ):
            # The regional manager's step keeps the run open, so both may succeed
            # (theirs first); if the admin's came first, theirs finds it applied.
            assert all(isinstance(r, RegradingRun | ConflictError) for r in results), results
            assert changes.count() == expected
            assert changes.values("customer").distinct().count() == expected
            run.refresh_from_db()
            assert run.status == RegradingRun.Status.APPLIED


@pytest.mark.django_db
def test_every_step_of_a_run_writes_its_event_and_audit_row(
    admin_user, regional_manager, manager, outsider
):
    # The note is written in the language of the one who took the step.
    with translation.override("en"):
        run = _proposed_run(admin_user, manager, outsider)
        services.regrading_apply(run=run, actor=regional_manager)
        services.regrading_apply(run=run, actor=admin_user)

    events = list(run.events.values_list("action", "from_status", "to_status", "actor", "note"))
    assert events == [
        ("started", "", "proposed", admin_user.pk, "3 proposed grade changes"),
        ("region_applied", "proposed", "proposed", regional_manager.pk, "1 grade applied"),
        ("applied", "proposed", "applied", admin_user.pk, "2 grades applied"),
    ]
    audited = AuditEvent.objects.filter(
        action="transition", object_type="crm.RegradingRun", object_id=str(run.pk)
    )
    assert sorted(audited.values_list("summary", flat=True)) == [
        "applied proposed → applied",
        "region_applied proposed → proposed",
        "started  → proposed",
    ]


@pytest.mark.django_db
def test_a_discard_writes_its_event(admin_user, manager, outsider):
    run = _proposed_run(admin_user, manager, outsider)
    services.regrading_discard(run=run, actor=admin_user)

    last = run.events.last()
    assert (last.action, last.from_status, last.to_status, last.actor) == (
        "discarded",
        "proposed",
        "discarded",
        admin_user,
    )


@pytest.mark.django_db
def test_the_page_shows_the_runs_history(login, admin_user, manager, outsider):
    with translation.override("en"):
        run = _proposed_run(admin_user, manager, outsider)
        services.regrading_discard(run=run, actor=admin_user)

    html = login(admin_user).get(run.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    history = html.content.decode().split('class="list-group list-group-flush run-history"')[1]
    assert "Started" in history and "3 proposed grade changes" in history
    assert "Discarded" in history


@pytest.mark.django_db
def test_the_loser_in_the_browser_is_told_the_state(login, admin_user, manager, outsider):
    run = _proposed_run(admin_user, manager, outsider)
    services.regrading_discard(run=run, actor=admin_user)

    response = login(admin_user).post(
        run.get_absolute_url(), {"action": "apply_all"}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )

    page = response.content.decode()
    assert "Cannot apply the run: the regrading run is now “Discarded”." in page
    assert not GradeChange.objects.exists()


def _buttons(html):
    return {
        value
        for value in ("apply_selected", "apply_all", "discard")
        if f'name="action" value="{value}"' in html
    }


@pytest.mark.django_db
def test_the_regional_manager_is_offered_only_their_regions_downgrades(
    login, admin_user, regional_manager, manager, outsider
):
    run = _proposed_run(admin_user, manager, outsider)

    assert list(allowed(workflows.RUN_TRANSITIONS, regional_manager, run)) == ["apply_region"]
    response = login(regional_manager).get(run.get_absolute_url())
    html = response.content.decode()
    assert _buttons(html) == {"apply_selected", "apply_all"}
    offered = {
        proposal.customer.grade.code: proposal.may_apply for proposal in response.context["page"]
    }
    # Their region's downgrade (B1 -> C) has a checkbox; the upgrade waits for an admin.
    assert offered == {"B1": True, "B2": False}

    assert list(allowed(workflows.RUN_TRANSITIONS, admin_user, run)) == ["apply", "discard"]
    assert _buttons(login(admin_user).get(run.get_absolute_url()).content.decode()) == {
        "apply_selected",
        "apply_all",
        "discard",
    }


@pytest.mark.django_db
def test_a_regional_manager_with_only_upgrades_is_offered_nothing(
    login, admin_user, regional_manager, manager
):
    rising = factories.CustomerFactory(manager=manager, grade=factories.grade("B2"))
    buy(rising, "600000")
    run = services.regrading_propose(actor=admin_user, as_of=AS_OF)

    assert allowed(workflows.RUN_TRANSITIONS, regional_manager, run) == {}
    client = login(regional_manager)
    assert _buttons(client.get(run.get_absolute_url()).content.decode()) == set()
    assert client.post(run.get_absolute_url(), {"action": "apply_all"}).status_code == 403
    assert not GradeChange.objects.exists()
    assert list(run.events.values_list("action", flat=True)) == ["started"]


@pytest.mark.django_db
def test_a_closed_run_offers_no_step(login, admin_user, regional_manager, manager, outsider):
    run = _proposed_run(admin_user, manager, outsider)
    services.regrading_apply(run=run, actor=admin_user)

    for user in (admin_user, regional_manager):
        assert allowed(workflows.RUN_TRANSITIONS, user, run) == {}
        assert _buttons(login(user).get(run.get_absolute_url()).content.decode()) == set()
