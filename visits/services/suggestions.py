"""Writes of customers' suggestions recorded on visits, and their answers."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import workdays
from core.errors import check_length
from core.transitions import record
from visits import access
from visits.models import (
    Suggestion,
    SuggestionEvent,
)
from visits.services.common import _require
from visits.services.visits import _event
from visits.transitions import SUGGESTION_TRANSITIONS, claim_visit, take

SUGGESTION_ANSWER_WORKING_DAYS = 3


def suggestion_add(*, visit, actor, text):
    """A customer's suggestion, to be answered within 3 working days of the visit."""
    _require(access.can_edit_visit(actor, visit))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the customer's suggestion.")})
    with transaction.atomic():
        # Recorded on an open visit only: the visit's "edit" step.
        visit = claim_visit(visit, "edit", actor=actor)
        day = timezone.localdate(visit.arrived_at)
        suggestion = Suggestion(
            visit=visit,
            customer=visit.customer,
            text=text,
            due_on=workdays.add_working_days(day, SUGGESTION_ANSWER_WORKING_DAYS),
        )
        suggestion.full_clean(exclude=["answered_by", "answered_at"])
        suggestion.save()
        record(SuggestionEvent, suggestion, actor=actor, action="add")
        # The event names the suggestion; its whole text is on the suggestion.
        _event(visit, actor, "suggestion", comment=text[:200])
    return suggestion


def suggestion_answer(*, suggestion, actor, answer):
    if not access.can_answer_suggestion(actor, suggestion):
        raise PermissionDenied
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer given to the customer.")})
    check_length(Suggestion, "answer", answer)
    with transaction.atomic():
        # The customer as stored now (the step's "who"): reassigned since the
        # page was read, it is not the actor's to answer any more.
        take(
            Suggestion.objects.select_related("customer"),
            suggestion.pk,
            SUGGESTION_TRANSITIONS,
            "answer",
            actor=actor,
            event=SuggestionEvent,
            answer=answer,
            answered_at=timezone.now(),
            answered_by=actor,
        )
    suggestion.refresh_from_db()
    return suggestion
