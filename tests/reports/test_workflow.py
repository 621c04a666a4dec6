"""The report's workflow through the services: transitions and the forbidden ones."""

import pytest
from django.core.exceptions import PermissionDenied

from core.errors import ConflictError, DomainError
from core.models import Notification
from reports import services
from reports.models import MonthlyReport, ReportComment, ReportEvent
from tests import factories

pytestmark = pytest.mark.django_db
S = MonthlyReport.Status


def test_draft_submit_return_resubmit_approve(report, manager, regional_manager):
    services.report_update_sections(
        report=report, actor=manager, data={"problems": "销量下滑：竞品促销。对策：加强陈列。"}
    )
    report = services.report_submit(report=report, actor=manager)
    assert report.status == S.SUBMITTED
    assert report.submitted_at is not None
    assert Notification.objects.filter(
        user=regional_manager, key__startswith="report-submitted:"
    ).exists()

    report = services.report_return(
        report=report,
        actor=regional_manager,
        comments={"b": "请补充原因分析", "d": "预测偏低"},
        comment="整体再完善",
    )
    assert report.status == S.RETURNED
    assert dict(report.comments.values_list("section", "text")) == {
        "b": "请补充原因分析",
        "d": "预测偏低",
        "general": "整体再完善",
    }
    assert Notification.objects.filter(user=manager, key__startswith="report-returned:").exists()

    services.report_update_sections(report=report, actor=manager, data={"opinions": "补充意见"})
    report = services.report_submit(report=report, actor=manager)
    report = services.report_approve(report=report, actor=regional_manager)
    assert report.status == S.APPROVED
    assert report.approved_by == regional_manager
    assert report.approved_at is not None
    assert list(report.events.values_list("action", flat=True)) == [
        "created",
        "submitted",
        "returned",
        "submitted",
        "approved",
    ]
    returned = report.events.get(action=ReportEvent.Action.RETURNED)
    assert (returned.from_status, returned.to_status, returned.actor) == (
        "submitted",
        "returned",
        regional_manager,
    )


def test_submit_needs_section_b(report, manager):
    with pytest.raises(DomainError) as error:
        services.report_submit(report=report, actor=manager)
    assert error.value.field == "problems"
    report.refresh_from_db()
    assert report.status == S.DRAFT


def test_an_admin_may_approve(submitted, admin_user):
    assert services.report_approve(report=submitted, actor=admin_user).status == S.APPROVED


@pytest.mark.parametrize("persona", ["teammate", "regional_manager", "admin_user", "outsider"])
def test_only_the_manager_edits_and_submits(request, report, persona):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.report_update_sections(report=report, actor=actor, data={"problems": "x"})
    with pytest.raises(PermissionDenied):
        services.report_submit(report=report, actor=actor)
    with pytest.raises(PermissionDenied):
        services.report_refresh_figures(report=report, actor=actor)


@pytest.mark.parametrize("persona", ["manager", "teammate", "other_regional_manager", "outsider"])
def test_only_the_regions_regional_manager_or_an_admin_reviews(request, submitted, persona):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.report_approve(report=submitted, actor=actor)
    with pytest.raises(PermissionDenied):
        services.report_return(report=submitted, actor=actor, comments={"b": "x"})
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_a_draft_cannot_be_approved_or_returned(report, regional_manager):
    with pytest.raises(ConflictError):
        services.report_approve(report=report, actor=regional_manager)
    with pytest.raises(ConflictError):
        services.report_return(report=report, actor=regional_manager, comments={"b": "x"})


def test_a_submitted_report_cannot_be_edited_or_submitted_again(submitted, manager):
    with pytest.raises(ConflictError):
        services.report_update_sections(report=submitted, actor=manager, data={"problems": "x"})
    with pytest.raises(ConflictError):
        services.report_submit(report=submitted, actor=manager)


def test_an_approved_report_is_frozen(approved, manager, regional_manager):
    with pytest.raises(ConflictError, match="frozen"):
        services.report_update_sections(report=approved, actor=manager, data={"problems": "x"})
    with pytest.raises(ConflictError, match="frozen"):
        services.report_refresh_figures(report=approved, actor=manager)
    with pytest.raises(ConflictError):
        services.report_return(report=approved, actor=regional_manager, comments={"b": "x"})


def test_double_approval_has_one_winner(submitted, regional_manager, admin_user):
    stale = MonthlyReport.objects.get(pk=submitted.pk)
    services.report_approve(report=submitted, actor=regional_manager)
    with pytest.raises(ConflictError):
        services.report_approve(report=stale, actor=admin_user)
    stale.refresh_from_db()
    assert stale.approved_by == regional_manager
    assert stale.events.filter(action="approved").count() == 1


def test_return_needs_a_comment(submitted, regional_manager):
    with pytest.raises(DomainError):
        services.report_return(report=submitted, actor=regional_manager, comments={"b": "  "})
    assert not ReportComment.objects.exists()


def test_a_regional_manager_who_moved_region_may_not_review(submitted, regional_manager):
    regional_manager.region = factories.RegionFactory(code="NORTH")
    regional_manager.save()
    with pytest.raises(PermissionDenied):
        services.report_approve(report=submitted, actor=regional_manager)
