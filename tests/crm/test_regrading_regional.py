"""The regional manager confirms the downgrades of a regrading run for their region.

SPEC.md: "an admin (or the regional manager for downgrades) confirms". Before,
``/regrading/`` answered 403 to a regional manager. Now they see the run's
proposals for their region's customers and apply the downgrades; upgrades and
other regions wait for an admin, who applies any proposal and closes the run.
"""

import datetime

import pytest
from django.urls import reverse

from crm import services
from crm.models import GradeChange, RegradingRun
from tests import factories
from tests.crm.test_grading import buy

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2026, 11, 22)


@pytest.fixture
def run(admin_user, manager, outsider):
    """Three proposals: a downgrade and an upgrade in the east, a downgrade in the west."""
    falling = factories.CustomerFactory(manager=manager, code="E-DOWN", grade=factories.grade("B1"))
    rising = factories.CustomerFactory(manager=manager, code="E-UP", grade=factories.grade("B2"))
    buy(falling, "15000")  # B1 -> C
    buy(rising, "600000")  # B2 -> A1
    west = factories.CustomerFactory(manager=outsider, code="W-DOWN", grade=factories.grade("B1"))
    buy(west, "15000")
    return services.regrading_propose(actor=admin_user, as_of=AS_OF)


def _codes(response):
    return {proposal.customer.code for proposal in response.context["page"]}


def test_regional_manager_sees_their_regions_proposals(login, regional_manager, run):
    client = login(regional_manager)
    listing = client.get(reverse("regrading_list"))
    assert listing.status_code == 200
    # They do not start runs: the archive-wide run is the admin's.
    assert listing.context["may_start"] is False
    detail = client.get(run.get_absolute_url())
    assert detail.status_code == 200
    assert _codes(detail) == {"E-DOWN", "E-UP"}
    mayapply = {p.customer.code: p.may_apply for p in detail.context["page"]}
    assert mayapply == {"E-DOWN": True, "E-UP": False}
    assert 'value="discard"' not in detail.content.decode()


def test_regional_manager_applies_the_downgrades_of_their_region_only(login, regional_manager, run):
    response = login(regional_manager).post(run.get_absolute_url(), {"action": "apply_all"})
    assert response.status_code == 302
    grades = dict(run.proposals.values_list("customer__code", "customer__grade__code"))
    assert grades == {"E-DOWN": "C", "E-UP": "B2", "W-DOWN": "B1"}
    change = GradeChange.objects.get()
    assert (change.customer.code, change.changed_by) == ("E-DOWN", regional_manager)
    run.refresh_from_db()
    # The run stays open: the upgrade and the other region are still to confirm.
    assert run.status == RegradingRun.Status.PROPOSED


@pytest.mark.parametrize("code", ["E-UP", "W-DOWN"])
def test_an_upgrade_or_another_regions_proposal_is_refused(login, regional_manager, run, code):
    proposal = run.proposals.get(customer__code=code)
    response = login(regional_manager).post(
        run.get_absolute_url(), {"action": "apply_selected", "proposal": [proposal.pk]}
    )
    assert response.status_code == 403
    assert not GradeChange.objects.exists()


def test_the_admin_then_applies_the_rest_and_closes_the_run(
    login, regional_manager, admin_user, run
):
    login(regional_manager).post(run.get_absolute_url(), {"action": "apply_all"})
    login(admin_user).post(run.get_absolute_url(), {"action": "apply_all"})
    grades = dict(run.proposals.values_list("customer__code", "customer__grade__code"))
    assert grades == {"E-DOWN": "C", "E-UP": "A1", "W-DOWN": "C"}
    # Each change written once, by whoever confirmed it.
    assert sorted(GradeChange.objects.values_list("customer__code", "changed_by__username")) == [
        ("E-DOWN", regional_manager.username),
        ("E-UP", admin_user.username),
        ("W-DOWN", admin_user.username),
    ]
    run.refresh_from_db()
    assert run.status == RegradingRun.Status.APPLIED


def test_a_closed_run_takes_no_more_downgrades(login, regional_manager, admin_user, run):
    services.regrading_discard(run=run, actor=admin_user)
    response = login(regional_manager).post(run.get_absolute_url(), {"action": "apply_all"})
    assert response.status_code == 302
    assert not GradeChange.objects.exists()


def test_regional_manager_may_not_start_or_discard(login, regional_manager, run):
    client = login(regional_manager)
    assert client.post(reverse("regrading_list")).status_code == 403
    assert client.post(run.get_absolute_url(), {"action": "discard"}).status_code == 403
    run.refresh_from_db()
    assert run.status == RegradingRun.Status.PROPOSED


def test_managers_still_get_403(login, manager, run):
    client = login(manager)
    assert client.get(reverse("regrading_list")).status_code == 403
    assert client.get(run.get_absolute_url()).status_code == 403


def test_the_bar_offers_regrading_to_the_regional_manager(login, regional_manager):
    page = login(regional_manager).get(reverse("home")).content.decode()
    assert reverse("regrading_list") in page
