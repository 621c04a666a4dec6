"""History and audit lines as sentences in the reader's language.

The rows keep what the code wrote (an action name, status values, field names,
an ``app.Model`` label and an id); the pages show them through these functions,
which name the object by its kind and its own words (``str``), fields by their
verbose names, states by their choice labels, grades and users by their names:

- ``event_sentence(event)``: one row of a workflow trail (visit, violation,
  unlicensed report, suggestion, monthly report, …): "张伟 ended the visit:
  In progress → Ended · …";
- ``describe_audit(events)``: the audit trail's rows get ``object_label`` and
  ``sentence``, with one query per kind of object on the page (never per row).

Core imports no app: models are found by their label in the app registry.
"""

import re

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# What an action name of a trail means, as the end of a sentence about its actor.
ACTIONS = {
    "start": gettext_lazy("started the visit"),
    "update": gettext_lazy("saved the record"),
    "end": gettext_lazy("ended the visit"),
    "sign_manager": gettext_lazy("signed as the customer manager"),
    "sign_customer": gettext_lazy("had the customer sign"),
    "suggestion": gettext_lazy("recorded a customer's suggestion"),
    "correct": gettext_lazy("recorded a correction"),
    "reassigned": gettext_lazy("closed the record: the customer has another manager"),
    "add": gettext_lazy("recorded it"),
    "answer": gettext_lazy("answered"),
    "created": gettext_lazy("prepared it"),
    "submitted": gettext_lazy("submitted it"),
    "submit": gettext_lazy("submitted it"),
    "approved": gettext_lazy("approved it"),
    "approve": gettext_lazy("approved it"),
    "returned": gettext_lazy("returned it"),
    "return": gettext_lazy("returned it"),
    "rejected": gettext_lazy("rejected it"),
    "reject": gettext_lazy("rejected it"),
    "overdue": gettext_lazy("marked it overdue"),
    "downgrade": gettext_lazy("downgraded the customer"),
    "downgraded": gettext_lazy("downgraded the customer"),
    "dismiss": gettext_lazy("dismissed it"),
    "dismissed": gettext_lazy("dismissed it"),
    "forward": gettext_lazy("forwarded it"),
    "forwarded": gettext_lazy("forwarded it"),
    "outcome": gettext_lazy("recorded the outcome"),
    "comment": gettext_lazy("commented"),
    "commented": gettext_lazy("commented"),
    "written": gettext_lazy("wrote it"),
    "write": gettext_lazy("wrote it"),
    "launched": gettext_lazy("launched it"),
    "closed": gettext_lazy("closed it"),
    "close": gettext_lazy("closed it"),
}

# Sections of a monthly report, as a returned report's comments name them ("b: …").
SECTIONS = {
    "a": gettext_lazy("Section a)"),
    "b": gettext_lazy("Section b)"),
    "c": gettext_lazy("Section c)"),
    "d": gettext_lazy("Section d)"),
    "general": gettext_lazy("In general"),
}


def _action_words(event):
    action = getattr(event, "action", "") or ""
    if action in ACTIONS:
        return str(ACTIONS[action])
    display = getattr(event, "get_action_display", None)
    if display is not None and display() != action:
        return str(display()).lower() if action.isascii() else str(display())
    return action.replace("_", " ")


def _status_label(event, name):
    value = getattr(event, name, "")
    if not value:
        return ""
    display = getattr(event, f"get_{name}_display", None)
    if display is not None:
        return str(display())
    # A trail whose status columns have no choices: the states of its object.
    return _status_choice(_parent(event), value)


def _parent(event):
    """The object the trail row belongs to (its one foreign key that is not the actor)."""
    for field in event._meta.concrete_fields:
        if field.is_relation and field.name != "actor" and field.many_to_one:
            return field.related_model
    return None


def _comment_words(event):
    comment = (getattr(event, "comment", "") or "").strip()
    if not comment:
        return ""
    parent = _parent(event)
    # "customer_opinions, display_improved, …": the fields a save changed.
    names = [part.strip() for part in comment.split(",")]
    if parent is not None and all(re.fullmatch(r"[a-z_]+", name) for name in names):
        labels = []
        for name in names:
            try:
                label = str(parent._meta.get_field(name).verbose_name)
                # "a) Company information passed on" keeps its item letter small.
                labels.append(label if re.match(r"^[a-z]\) ", label) else capfirst(label))
            except FieldDoesNotExist:
                labels = []
                break
        if labels:
            return _("changed: %(fields)s") % {"fields": _(", ").join(labels)}
    # A returned report's comments by section ("b: …\ngeneral: …").
    lines = comment.splitlines()
    if lines and all(re.match(r"^(a|b|c|d|general): ", line) for line in lines if line):
        return "\n".join(
            f"{SECTIONS[line.split(':', 1)[0]]}: {line.split(': ', 1)[1]}" for line in lines if line
        )
    return comment


def event_sentence(event):
    """One trail row as a sentence: who did what, the move of state, the comment."""
    actor = str(event.actor) if getattr(event, "actor_id", None) else _("The system")
    text = _("%(actor)s %(did)s") % {"actor": actor, "did": _action_words(event)}
    before, after = _status_label(event, "from_status"), _status_label(event, "to_status")
    if before and after and before != after:
        text += " (" + _("%(before)s → %(after)s") % {"before": before, "after": after} + ")"
    elif after and not before:
        text += " (" + after + ")"
    comment = _comment_words(event)
    if comment:
        text += _(": ") + comment
    return text


# The audit trail -------------------------------------------------------------------------

MOVE = re.compile(r"^(?P<old>\S*) → (?P<new>\S*)(?:: (?P<reason>.*))?$", re.S)
TRANSITION = re.compile(r"^(?P<action>\S+)(?: (?P<old>\S*) → (?P<new>\S*))?$")


def _model(label):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _names(label, ids, attribute=None):
    """{id: str(row)} (or the row's ``attribute``) of the rows of model ``label``
    with these ids (one query)."""
    model = _model(label)
    ids = {i for i in ids if i and str(i).isdigit()}
    if model is None or not ids:
        return {}
    rows = model._default_manager.in_bulk(list(ids))
    return {str(pk): str(getattr(row, attribute) if attribute else row) for pk, row in rows.items()}


def _status_choice(model, value):
    if model is None or not value:
        return value
    try:
        field = model._meta.get_field("status")
    except FieldDoesNotExist:
        return value
    return str(dict(field.flatchoices).get(value, value))


def describe_audit(events):
    """Give each audit row ``object_label`` ("Customer 和平便利店") and ``sentence``
    (what happened, in words). One query per kind of object, grade and user named."""
    events = list(events)
    by_type = {}
    for event in events:
        if event.object_type and event.object_id:
            by_type.setdefault(event.object_type, set()).add(event.object_id)
    names = {label: _names(label, ids) for label, ids in by_type.items()}
    grade_ids, user_ids = set(), set()
    for event in events:
        match = MOVE.match(event.summary or "")
        if match and event.action == "grade_change":
            grade_ids |= {match["old"], match["new"]}
        elif match and event.action == "assignment":
            user_ids |= {match["old"], match["new"]}
    grades = _names("crm.Grade", grade_ids, attribute="code")
    users = _names("crm.User", user_ids)
    for event in events:
        model = _model(event.object_type) if event.object_type else None
        kind = capfirst(model._meta.verbose_name) if model is not None else event.object_type
        own = names.get(event.object_type, {}).get(event.object_id)
        if own:
            event.object_label = f"{kind} {own}"
        elif event.object_id:
            event.object_label = _("%(kind)s no. %(id)s (deleted)") % {
                "kind": kind,
                "id": event.object_id,
            }
        else:
            event.object_label = str(kind or "")
        event.sentence = _audit_sentence(event, model, grades, users)
    return events


def _audit_sentence(event, model, grades, users):
    summary = event.summary or ""
    move = MOVE.match(summary)
    nobody = _("nobody")
    if event.action == "grade_change" and move:
        text = _("Grade %(old)s → %(new)s") % {
            "old": grades.get(move["old"], move["old"] if move["old"] != "-" else _("none")),
            "new": grades.get(move["new"], move["new"] if move["new"] != "-" else _("none")),
        }
        return text + (_(": ") + move["reason"] if move["reason"] else "")
    if event.action == "assignment" and move:
        text = _("Customer manager %(old)s → %(new)s") % {
            "old": users.get(move["old"], nobody),
            "new": users.get(move["new"], nobody),
        }
        return text + (_(": ") + move["reason"] if move["reason"] else "")
    if event.action == "transition":
        match = TRANSITION.match(summary)
        if match:
            did = str(ACTIONS.get(match["action"], match["action"].replace("_", " ")))
            if match["new"] is not None and (match["old"] or match["new"]):
                old = _status_choice(model, match["old"])
                new = _status_choice(model, match["new"])
                move_text = _("%(before)s → %(after)s") % {"before": old, "after": new}
                return f"{capfirst(did)} ({move_text})" if old else f"{capfirst(did)} ({new})"
            return capfirst(did)
    return summary
