"""The one transition mechanism (``core.transitions``), on the monthly report workflow."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation

from core.errors import ConflictError
from core.transitions import Step, allowed, claim, record
from reports import services
from reports.models import MonthlyReport, ReportEvent
from reports.transitions import TRANSITIONS
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(manager):
    """The manager's September report, submitted to the regional manager."""
    return factories.ReportFactory(manager=manager, status="submitted")


def test_the_loser_gets_a_conflict_naming_the_state_the_winner_left(
    submitted, regional_manager, admin_user, english
):
    services.report_approve(report=submitted, actor=regional_manager)
    with pytest.raises(ConflictError) as lost, transaction.atomic():
        # The admin's page still showed the report as submitted.
        claim(MonthlyReport, submitted.pk, TRANSITIONS["approve"], actor=admin_user)
    assert lost.value.status_code == 409
    assert lost.value.message == "Cannot approve: the monthly report is now “Approved”."
    assert MonthlyReport.objects.get(pk=submitted.pk).approved_by == regional_manager


def test_the_conflict_speaks_the_users_language(submitted, regional_manager, admin_user):
    services.report_approve(report=submitted, actor=regional_manager)
    with translation.override("zh-hans"), pytest.raises(ConflictError) as lost:
        services.report_return(report=submitted, actor=admin_user, comments={}, comment="晚了")
    assert lost.value.message == "该报告状态为“已批准”；只有已提交的报告可以审核。"


def test_who_is_asked_on_the_row_as_stored_not_the_callers_copy(
    submitted, manager, regional_manager, other_regional_manager, other_region
):
    stale = MonthlyReport.objects.select_related("manager").get(pk=submitted.pk)
    # The manager moves region after the page was read: the new region's
    # regional manager decides now, the old one may not.
    manager.region = other_region
    manager.save(update_fields=["region"])
    assert TRANSITIONS["approve"].who(regional_manager, stale)  # what the old copy says
    with pytest.raises(PermissionDenied), transaction.atomic():
        claim(MonthlyReport, stale.pk, TRANSITIONS["approve"], actor=regional_manager)
    with transaction.atomic():
        locked = claim(
            MonthlyReport, stale.pk, TRANSITIONS["approve"], actor=other_regional_manager
        )
    assert locked.pk == stale.pk and locked.manager.region == other_region


def test_who_is_checked_before_the_state(submitted, teammate):
    """Someone who may never take the step hears 403, not which state it is in."""
    with pytest.raises(PermissionDenied), transaction.atomic():
        claim(MonthlyReport, submitted.pk, TRANSITIONS["submit"], actor=teammate)


def test_allowed_lists_exactly_the_steps_in_table_order(
    submitted, manager, regional_manager, admin_user, teammate
):
    submitted.refresh_from_db()
    assert list(allowed(TRANSITIONS, regional_manager, submitted)) == ["approve", "return"]
    assert list(allowed(TRANSITIONS, admin_user, submitted)) == ["approve", "return"]
    assert list(allowed(TRANSITIONS, manager, submitted)) == []
    draft = MonthlyReport(manager=manager, region=manager.region, status="draft")
    assert list(allowed(TRANSITIONS, manager, draft)) == ["edit", "refresh", "submit"]
    assert list(allowed(TRANSITIONS, regional_manager, draft)) == []
    assert list(allowed(TRANSITIONS, teammate, draft)) == []


def test_a_step_keeps_states_as_plain_strings():
    step = Step(
        source={MonthlyReport.Status.DRAFT}, target=MonthlyReport.Status.SUBMITTED, who=None
    )
    assert step.source == frozenset({"draft"}) and step.target == "submitted"


def test_record_writes_the_event_row_to_the_objects_state(submitted, manager):
    event = record(ReportEvent, submitted, actor=manager, action="submitted", from_status="draft")
    assert (event.report, event.actor, event.from_status, event.to_status) == (
        submitted,
        manager,
        "draft",
        "submitted",
    )
