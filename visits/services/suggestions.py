"""Writes of customers' suggestions recorded on visits, and their answers."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm import workdays
from crm.errors import ConflictError, check_length
from crm.models import Customer
from visits import access
from visits.models import (
    Suggestion,
    Visit,
)
from visits.services.common import _require
from visits.services.visits import EDITABLE_STATUSES, _event, _locked_error

SUGGESTION_ANSWER_WORKING_DAYS = 3


def suggestion_add(*, visit, actor, text):
    """A customer's suggestion, to be answered within 3 working days of the visit."""
    _require(access.can_edit_visit(actor, visit))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the customer's suggestion.")})
    visit = Visit.objects.select_related("customer").get(pk=visit.pk)
    _require(access.can_edit_visit(actor, visit))
    if visit.status not in EDITABLE_STATUSES:
        raise _locked_error(visit)
    day = timezone.localdate(visit.arrived_at)
    suggestion = Suggestion(
        visit=visit,
        customer=visit.customer,
        text=text,
        due_on=workdays.add_working_days(day, SUGGESTION_ANSWER_WORKING_DAYS),
    )
    suggestion.full_clean(exclude=["answered_by", "answered_at"])
    with transaction.atomic():
        suggestion.save()
        # The event names the suggestion; its whole text is on the suggestion.
        _event(visit, actor, "suggestion", comment=text[:200])
    return suggestion


def suggestion_answer(*, suggestion, actor, answer):
    if not access.can_answer_suggestion(actor, suggestion):
        raise PermissionDenied
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer given to the customer.")})
    # The customer as stored now: reassigned since the page was read, it is not
    # the actor's to answer any more.
    _require(access.is_current_manager(actor, Customer.objects.get(pk=suggestion.customer_id)))
    check_length(Suggestion, "answer", answer)
    claimed = Suggestion.objects.filter(pk=suggestion.pk, answered_at__isnull=True).update(
        answer=answer, answered_at=timezone.now(), answered_by=actor
    )
    if claimed != 1:
        raise ConflictError(_("This suggestion has already been answered."))
    suggestion.refresh_from_db()
    return suggestion
