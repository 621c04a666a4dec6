"""The audit trail of workflow steps is written by the event writer, not guessed.

Before, a ``post_save`` receiver wrote a "transition" audit row for any saved
``VisitEvent``/``ComplaintEvent``/``ReportEvent``, finding the object from the
event's first foreign key. Now ``core.transitions.record`` writes the event row
and its audit entry together; a bare insert of an event row writes nothing else.
"""

import pytest

from complaints.models import ComplaintEvent
from core.models import AuditEvent
from core.transitions import record
from reports import services as report_services
from reports.models import ReportEvent
from tests import factories
from tests.reports.conftest import SEPTEMBER, sale
from visits.models import VisitEvent

pytestmark = pytest.mark.django_db


def _audited(obj):
    return AuditEvent.objects.filter(
        action="transition", object_type=obj._meta.label, object_id=str(obj.pk)
    ).order_by("at", "id")


def _expected(events):
    """The summaries the trail has always had: action, and the move when there is one."""
    rows = []
    for event in events:
        moved = event.from_status or event.to_status
        move = f" {event.from_status} → {event.to_status}" if moved else ""
        rows.append((event.actor_id, f"{event.action}{move}"))
    return rows


@pytest.fixture
def report(manager, customer):
    sale(customer, SEPTEMBER, "1000")
    report_services.prepare_month(month=SEPTEMBER)
    return manager.monthly_reports.get(month=SEPTEMBER)


def test_record_writes_exactly_one_audit_row_for_its_event(report, manager):
    before = AuditEvent.objects.count()

    record(ReportEvent, report, actor=manager, action="refreshed", from_status="draft")

    assert AuditEvent.objects.count() == before + 1
    row = AuditEvent.objects.order_by("-id").first()
    assert (row.action, row.actor, row.object_type, row.object_id, row.summary) == (
        "transition",
        manager,
        "reports.MonthlyReport",
        str(report.pk),
        "refreshed draft → draft",
    )


def test_a_bare_insert_of_an_event_row_writes_no_audit_row(report, manager):
    before = AuditEvent.objects.count()

    ReportEvent.objects.create(
        report=report, actor=manager, action="refreshed", from_status="draft", to_status="draft"
    )

    assert AuditEvent.objects.count() == before


def test_a_bare_visit_event_writes_no_audit_row(manager, customer):
    visit = factories.VisitFactory(customer=customer, stage="in_progress")
    before = AuditEvent.objects.count()

    VisitEvent.objects.create(visit=visit, actor=manager, action="note")

    assert AuditEvent.objects.count() == before


def test_a_complaints_steps_are_audited_as_before(manager, customer):
    complaint = factories.ComplaintFactory(customer=customer, stage="closed")

    events = ComplaintEvent.objects.filter(complaint=complaint).order_by("at", "id")
    assert len(events) >= 6
    assert list(_audited(complaint).values_list("actor", "summary")) == _expected(events)


def test_a_visits_steps_are_audited_as_before(customer):
    visit = factories.VisitFactory(customer=customer, signed=True)

    events = visit.events.order_by("at", "id")
    assert len(events) >= 3
    assert list(_audited(visit).values_list("actor", "summary")) == _expected(events)


def test_a_reports_steps_are_audited_as_before(report, manager):
    report_services.report_update_sections(report=report, actor=manager, data={"problems": "偏高"})
    report_services.report_submit(report=report, actor=manager)

    events = report.events.order_by("at", "id")
    assert [event.action for event in events] == ["created", "submitted"]
    assert list(_audited(report).values_list("actor", "summary")) == _expected(events)
