"""One transition mechanism for every workflow: a table, a claim, an event writer.

Each workflow app declares ``TRANSITIONS = {"approve": Step(...), ...}``: the
states a step starts from, the state it leads to and who may take it (an
access rule of the app, checked against the row as stored). Then

1. a service opens a transaction and calls ``claim(Model, pk, step, actor=...)``:
   the row is locked (``select_for_update``), ``who`` is asked on the locked
   row (``PermissionDenied`` → 403) and the state is checked
   (``ConflictError`` naming the state it is in now → 409), so of two clicks
   or two reviewers exactly one wins;
2. it writes the change and ``record(...)`` writes the append-only event row
   and its audit entry (``core.audit.record_transition``) in the same
   transaction;
3. pages, the API and templates ask ``allowed(TRANSITIONS, user, obj)`` which
   steps to offer, so no view repeats the table.

This module imports no workflow app.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from core import audit
from core.errors import ConflictError


@dataclass(frozen=True)
class Step:
    """One step of a workflow: from ``source`` states to ``target`` (None: the state stays)."""

    source: frozenset
    target: str | None
    who: Callable[[object, models.Model], bool]
    label: str = ""

    def __init__(self, *, source: Iterable[str], target, who, label=""):
        # Choices members compare and hash as their values; keep plain strings.
        object.__setattr__(self, "source", frozenset(str(state) for state in source))
        object.__setattr__(self, "target", None if target is None else str(target))
        object.__setattr__(self, "who", who)
        object.__setattr__(self, "label", label)

    def starts_from(self, obj, field="status") -> bool:
        return str(getattr(obj, field)) in self.source


def table(who, rows: dict) -> dict[str, Step]:
    """A transition table written as rows: ``name: (source, target, label)``, taken
    by ``who``; a row with a fourth item names another rule for that step. A source
    is one state or several; a target of None keeps the state.
    """
    steps = {}
    for name, (source, target, label, *rule) in rows.items():
        states = (source,) if isinstance(source, str) else source
        steps[name] = Step(source=states, target=target, who=rule[0] if rule else who, label=label)
    return steps


def _state_display(obj, field):
    display = getattr(obj, f"get_{field}_display", None)
    return display() if display else getattr(obj, field)


def conflict_message(obj, step: Step, field="status") -> str:
    """The default refusal: what was asked, and the state the object is in now."""
    return _("Cannot %(doing)s: the %(object)s is now “%(status)s”.") % {
        "doing": step.label or _("do this"),
        "object": obj._meta.verbose_name,
        "status": _state_display(obj, field),
    }


def claim(
    model_or_queryset,
    pk,
    step: Step,
    *,
    actor,
    field: str = "status",
    conflict: Callable[[models.Model, Step], str] | None = None,
):
    """Lock row ``pk``, check ``step.who`` and its state on it, and return it.

    Call inside ``transaction.atomic()``. ``conflict(obj, step)`` words the
    409 when a workflow says more than the default (who decided, and when).
    """
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, models.QuerySet)
        else model_or_queryset._default_manager.all()
    )
    obj = queryset.select_for_update(of=("self",)).get(pk=pk)
    if not step.who(actor, obj):
        raise PermissionDenied
    if not step.starts_from(obj, field):
        raise ConflictError((conflict or conflict_message)(obj, step))
    return obj


def claimer(model_or_queryset, table, *, field: str = "status", conflict=None):
    """One workflow's claim: ``claim_step(obj, name, actor)`` locks ``obj``'s row (with
    what ``model_or_queryset`` selects) and claims step ``name`` of ``table`` on it."""

    def claim_step(obj, name, actor):
        step = table[name]
        return claim(model_or_queryset, obj.pk, step, actor=actor, field=field, conflict=conflict)

    return claim_step


def allowed(table: dict[str, Step], user, obj, *, field: str = "status") -> dict[str, Step]:
    """The steps of ``table`` that ``user`` may take on ``obj`` now, in table order."""
    return {
        name: step
        for name, step in table.items()
        if step.starts_from(obj, field) and step.who(user, obj)
    }


def record(
    event_model,
    obj,
    *,
    actor,
    action,
    from_status="",
    to_status=None,
    comment="",
    field: str = "status",
    **extra,
):
    """Append the event row of ``obj`` and its audit entry, in the caller's transaction.

    The event row's foreign key to ``obj``'s model is found; ``to_status``
    defaults to the state ``obj`` is in now. ``comment`` is written when given
    (an event model whose text is named otherwise passes it in ``extra``). The
    audit trail's "transition" entry is written here, explicitly: an event row
    created any other way is not audited.
    """
    link = next(
        f.name
        for f in event_model._meta.fields
        if isinstance(f, models.ForeignKey) and f.related_model is type(obj)
    )
    if comment:
        extra["comment"] = comment
    event = event_model.objects.create(
        **{link: obj},
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=getattr(obj, field) if to_status is None else to_status,
        **extra,
    )
    audit.record_transition(event, obj=obj)
    return event
