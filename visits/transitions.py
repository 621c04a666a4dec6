"""The workflows of the visits app as tables: which step, from which states, to which, by whom.

The services claim each step through ``core.transitions.claim`` (the row
locked, who acts checked on it, the loser of a race told the state it is in
now); the detail pages, the API's ``steps`` and the templates offer exactly
``allowed(TABLE, user, obj)``. What locks a visit is ``VISIT_TRANSITIONS``:
its content changes only in ``EDITABLE_STATUSES``, and ``refusal`` words why a
step is refused, for the services and the pages alike.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.errors import ConflictError, DomainError
from core.transitions import claim, claimer, record, table
from visits import access
from visits.models import (
    PriceViolation,
    Suggestion,
    UnlicensedReport,
    Visit,
    VisitLocked,
    WeeklySchedule,
)

V = Visit.Status
# The manager fills in the record until they sign it; their signature ends
# the editing and the customer's locks the record for good.
EDITABLE_STATUSES = (V.IN_PROGRESS, V.ENDED)

VISIT_TRANSITIONS = table(
    access.can_edit_visit,
    {
        "edit": (EDITABLE_STATUSES, None, _lazy("edit")),
        "end": (V.IN_PROGRESS, V.ENDED, _lazy("end")),
        "sign_manager": (V.ENDED, V.MANAGER_SIGNED, _lazy("sign as the manager")),
        "sign_customer": (V.MANAGER_SIGNED, V.LOCKED, _lazy("sign as the customer")),
        # A locked record is never edited: the correction is a new record.
        "correct": (V.LOCKED, None, _lazy("correct")),
    },
)


def refusal(visit, name):
    """The error that refuses step ``name`` on ``visit`` in its present state."""
    status = visit.status
    if name == "correct":
        # Not a race lost: the record was never locked (400, as for bad input).
        return DomainError(_("Only a locked record is corrected; edit this one directly."))
    if status == V.LOCKED:
        return VisitLocked(
            _("This visit record is locked by the customer's signature; record a correction.")
        )
    if name == "end":
        return ConflictError(_("This visit has already ended."))
    if name == "sign_customer":
        if status == V.IN_PROGRESS:
            return ConflictError(_("End the visit before signing it."))
        return ConflictError(_("The manager signs first; then the customer confirms."))
    if name == "sign_manager":
        if status == V.IN_PROGRESS:
            return ConflictError(_("End the visit before signing it."))
        return ConflictError(_("The manager has already signed this record."))
    return ConflictError(_("The manager has signed this visit record; it can no longer change."))


def _refuse(visit, step):
    name = next(key for key, value in VISIT_TRANSITIONS.items() if value is step)
    raise refusal(visit, name)


# Lock the stored visit (with its customer as stored now) and claim step ``name``:
# 403 unless ``actor`` may still write it; a ``VisitLocked`` 409 from ``refusal``
# when the record is past that step.
claim_visit = claimer(Visit.objects.select_related("customer"), VISIT_TRANSITIONS, conflict=_refuse)


def take(model_or_queryset, pk, table, name, *, actor, event=None, comment="", **changes):
    """Claim step ``name`` of ``table`` on row ``pk``, store its state and ``changes``,
    and append the ``event`` row. Call inside ``transaction.atomic()``; returns the row.
    """
    step = table[name]
    current = claim(model_or_queryset, pk, step, actor=actor)
    from_status = current.status
    if step.target is not None:
        changes["status"] = step.target
    for field, value in changes.items():
        setattr(current, field, value)
    current.save(update_fields=list(changes))
    if event is not None:
        record(event, current, actor=actor, action=name, from_status=from_status, comment=comment)
    return current


S = WeeklySchedule.Status

SCHEDULE_TRANSITIONS = table(
    access.can_edit_schedule,
    {
        # Planned visits are added, moved and removed before and after submission;
        # after it every change is kept (``ScheduleChange``).
        "plan": ((S.DRAFT, S.SUBMITTED), None, _lazy("change the plan")),
        "submit": (S.DRAFT, S.SUBMITTED, _lazy("submit")),
        "comment": (
            (S.DRAFT, S.SUBMITTED),
            None,
            _lazy("comment"),
            access.can_comment_schedule,
        ),
    },
)


P = PriceViolation.Status

VIOLATION_TRANSITIONS = table(
    access.can_decide_violation,
    {
        "downgrade": (P.OPEN, P.DOWNGRADED, _lazy("downgrade the customer")),
        "dismiss": (P.OPEN, P.DISMISSED, _lazy("dismiss")),
    },
)


U = UnlicensedReport.Status

UNLICENSED_TRANSITIONS = table(
    access.can_handle_unlicensed,
    {
        "forward": (U.REPORTED, U.FORWARDED, _lazy("forward")),
        "outcome": (U.FORWARDED, U.CLOSED, _lazy("record the outcome")),
    },
)


A = Suggestion.Status


def _answers(user, suggestion):
    # The answer is owed by the customer's manager as stored now.
    return access.can_answer_suggestion(user, suggestion) and access.is_current_manager(
        user, suggestion.customer
    )


SUGGESTION_TRANSITIONS = table(_answers, {"answer": (A.OPEN, A.ANSWERED, _lazy("answer"))})
