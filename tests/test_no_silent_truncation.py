"""Services refuse text longer than its column with a message; they never cut it.

Before: an answer of 2,001 characters was stored as its first 2,000 (the same
for signers' names, decision and forwarding notes, outcomes and a planned
visit's note), and the user was told it was saved. The forms and the API
already stated the limits; now any other caller meets them too.
"""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints import services as complaint_services
from tests.complaints.conftest import inspection_fields, make_complaint
from tests.visits.conftest import at, data_url, make_violation, make_visit
from tests.world import _image
from visits.models import PriceViolation, Signature, Suggestion, UnlicensedReport
from visits.services import schedules, suggestions, unlicensed, violations
from visits.services import visits as visit_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _refused(error, field, limit):
    messages = error.value.message_dict[field]
    assert any(str(limit) in message for message in messages), messages


def test_an_answer_too_long(manager, customer):
    visit = make_visit(manager, customer, stage="ended")
    with time_machine.travel(at("2026-10-09 12:00"), tick=False):
        suggestion = suggestions.suggestion_add(visit=visit, actor=manager, text="多送货")
        with pytest.raises(ValidationError) as error:
            suggestions.suggestion_answer(suggestion=suggestion, actor=manager, answer="好" * 2001)
    _refused(error, "answer", 2000)
    assert Suggestion.objects.get(pk=suggestion.pk).answer == ""


def test_a_customer_signers_name_too_long(manager, customer):
    visit = make_visit(manager, customer, stage="manager_signed")
    with (
        time_machine.travel(at("2026-10-09 11:00"), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        visit_services.visit_sign(
            visit=visit, actor=manager, role="customer", image=data_url(), signer_name="王" * 101
        )
    _refused(error, "signer_name", 100)
    assert not Signature.objects.filter(visit=visit, role="customer").exists()


def test_a_complaint_signers_name_too_long(manager, customer, regional_manager):
    complaint = make_complaint(manager, customer, regional_manager, stage="open")
    with pytest.raises(ValidationError) as error:
        complaint_services.complaint_inspect(
            complaint=complaint, actor=manager, **inspection_fields(signer_name="王" * 101)
        )
    _refused(error, "signer_name", 100)
    complaint.refresh_from_db()
    assert complaint.status == "open"


def test_a_dismissal_note_too_long(manager, customer, regional_manager):
    violation = make_violation(manager, customer, stage="locked")
    with pytest.raises(ValidationError) as error:
        violations.price_violation_dismiss(
            violation=violation, actor=regional_manager, note="无" * 501
        )
    _refused(error, "note", 500)
    assert PriceViolation.objects.get(pk=violation.pk).status == PriceViolation.Status.OPEN


def test_a_downgrade_keeps_the_whole_note_and_cuts_only_the_derived_reason(
    manager, customer, regional_manager
):
    violation = make_violation(manager, customer, stage="locked")
    note = "价" * 500
    violation = violations.price_violation_downgrade(
        violation=violation, actor=regional_manager, note=note
    )
    assert violation.decision_note == note
    # The grade history's reason is built from the visit and the note: cut to its column.
    change = customer.grade_changes.order_by("-pk").first()
    assert len(change.reason) == 300


def test_unlicensed_forwarding_note_and_outcome_too_long(manager, regional_manager):
    report = unlicensed.unlicensed_report(
        actor=manager,
        address="人民路 9 号",
        description="无证售烟",
        photo=SimpleUploadedFile("x.jpg", _image(), content_type="image/jpeg"),
    )
    with pytest.raises(ValidationError) as error:
        unlicensed.unlicensed_forward(report=report, actor=regional_manager, note="转" * 501)
    _refused(error, "note", 500)
    assert UnlicensedReport.objects.get(pk=report.pk).status == UnlicensedReport.Status.REPORTED
    report = unlicensed.unlicensed_forward(report=report, actor=regional_manager, note="已转")
    with pytest.raises(ValidationError) as error:
        unlicensed.unlicensed_record_outcome(
            report=report, actor=regional_manager, outcome="结" * 4001
        )
    _refused(error, "outcome", 4000)
    assert UnlicensedReport.objects.get(pk=report.pk).outcome == ""


def test_a_planned_visits_note_too_long(manager, customer):
    with time_machine.travel(at("2026-10-09 12:00"), tick=False):
        schedule, _ = schedules.schedule_propose(
            manager=manager, week_start=datetime.date(2026, 10, 12)
        )
        schedule.entries.filter(customer=customer).delete()
        with pytest.raises(ValidationError) as error:
            schedules.schedule_add_visit(
                schedule=schedule,
                actor=manager,
                customer=customer,
                planned_date=datetime.date(2026, 10, 13),
                note="记" * 201,
            )
    _refused(error, "note", 200)
    assert not schedule.entries.filter(customer=customer).exists()
