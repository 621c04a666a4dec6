"""Writes of price violations found on visits: downgrade or dismiss."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import check_length
from crm import services as crm_services
from crm.models import Customer, Grade, GradeChange
from visits import access
from visits.models import (
    PriceViolation,
    PriceViolationEvent,
)
from visits.transitions import VIOLATION_TRANSITIONS, take


def _next_worse_grade(grade):
    if grade is None:
        return None
    return Grade.objects.filter(rank__gt=grade.rank).order_by("rank").first()


def _decide(violation, name, actor, note):
    """Step ``name`` of the violation: the decision and its event row."""
    return take(
        PriceViolation,
        violation.pk,
        VIOLATION_TRANSITIONS,
        name,
        actor=actor,
        event=PriceViolationEvent,
        comment=note,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_note=note,
    )


def price_violation_downgrade(*, violation, actor, grade=None, note=""):
    """The regional manager downgrades the customer for the violation found on a visit.

    The grade history records the change as a price violation, naming the visit.
    Without ``grade`` the customer goes one grade down.
    """
    if not access.can_decide_violation(actor, violation):
        raise PermissionDenied
    customer = Customer.objects.select_related("grade").get(pk=violation.customer_id)
    grade = grade or _next_worse_grade(customer.grade)
    if grade is None:
        raise ValidationError({"grade": _("The customer has no lower grade to go to.")})
    if customer.grade is not None and grade.rank <= customer.grade.rank:
        raise ValidationError({"grade": _("Choose a grade below the customer's current grade.")})
    visit = violation.visit
    reason = _("Price violation found on the visit of %(date)s by %(manager)s (visit #%(visit)s)")
    reason %= {
        "date": f"{timezone.localtime(visit.arrived_at):%Y-%m-%d}",
        "manager": visit.manager,
        "visit": visit.pk,
    }
    note = (note or "").strip()
    check_length(PriceViolation, "decision_note", note, key="note")
    if note:
        reason = f"{reason}: {note}"
    with transaction.atomic():
        _decide(violation, "downgrade", actor, note)
        crm_services.customer_change_grade(
            customer=customer,
            actor=actor,
            grade=grade,
            # The grade history's reason is written here from the visit and
            # the note (kept whole on the violation): cut to its column.
            reason=reason[:300],
            source=GradeChange.Source.PRICE_VIOLATION,
        )
    violation.refresh_from_db()
    return violation


def price_violation_dismiss(*, violation, actor, note=""):
    if not access.can_decide_violation(actor, violation):
        raise PermissionDenied
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say why the violation is dismissed.")})
    check_length(PriceViolation, "decision_note", note, key="note")
    with transaction.atomic():
        _decide(violation, "dismiss", actor, note)
    violation.refresh_from_db()
    return violation
