"""The audit trail: who did what, when, from where.

``record()`` writes one AuditEvent. The request being served (for the user
and the address) is kept by ``AuditRequestMiddleware`` so code far from the
view - services, signal handlers - can record with it. Logins, failed logins
(in the browser and at the API's token login, which says so with its device)
and logouts, grade and manager changes and imports are recorded by the
receivers below. Every workflow event row is recorded by the code that writes
it: ``core.transitions.record`` calls ``record_transition()`` in the same
transaction (no receiver guesses it from an event model's foreign keys). Views
record exports and PDF downloads with ``record()``.
"""

import contextvars
import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save

logger = logging.getLogger(__name__)

_request = contextvars.ContextVar("audit_request", default=None)


class AuditRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def client_ip(request):
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(action, *, actor=None, obj=None, summary="", request=None, username="", **data):
    """Append one event. ``actor`` defaults to the logged-in user of the request."""
    from core.models import AuditEvent

    request = request or _request.get()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.pk else None,
        username=(actor.get_username() if actor is not None else username)[:150],
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=str(summary)[:300],
        ip_address=client_ip(request),
        data=data,
    )


def record_deletion(obj, *, actor=None):
    """Record that ``obj`` is being deleted, with its fields as they were.

    Called in the deleting transaction, before the delete, so a delete that
    fails leaves no row and one that succeeds cannot leave none.
    """
    import json

    from django.core import serializers

    fields = json.loads(serializers.serialize("json", [obj]))[0]["fields"]
    return record("delete", actor=actor, obj=obj, summary=str(obj), fields=fields)


def _channel(request):
    """How a login came: the API token view marks its request (with the device named)."""
    via = getattr(request, "login_via", "")
    if not via:
        return {}
    return {"via": via, "device": getattr(request, "login_device", "")}


def _on_login(sender, request, user, **kwargs):
    record(
        "login",
        actor=user,
        request=request,
        obj=user,
        summary=user.get_username(),
        **_channel(request),
    )


def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        record("logout", actor=user, request=request, obj=user, summary=user.get_username())


def _on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    user = get_user_model().objects.filter(username=username).first() if username else None
    record(
        "login_failed",
        actor=user,
        request=request,
        username=username,
        summary=username,
        **_channel(request),
    )


def _on_grade_change(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        record(
            "grade_change",
            actor=instance.changed_by,
            obj=instance.customer,
            summary=f"{instance.old_grade_id or '-'} → {instance.new_grade_id}: {instance.reason}",
            source=instance.source,
        )


def _on_assignment(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        record(
            "assignment",
            actor=instance.changed_by,
            obj=instance.customer,
            summary=f"{instance.from_manager_id or '-'} → {instance.to_manager_id}: "
            f"{instance.reason}",
        )


def _on_sales_import(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        record(
            "import",
            actor=getattr(instance, "imported_by", None),
            obj=instance,
            summary=getattr(instance, "file_name", ""),
        )


def record_transition(event, *, obj):
    """The audit entry of one workflow event row (of ``obj``), written by its writer.

    ``core.transitions.record`` calls it for every event it appends; the summary
    is the event's action and its move (``submit draft → submitted``).
    """
    parts = [event.action]
    if event.from_status or event.to_status:
        parts.append(f"{event.from_status} → {event.to_status}")
    return record("transition", actor=event.actor, obj=obj, summary=" ".join(p for p in parts if p))


def connect():
    user_logged_in.connect(_on_login, dispatch_uid="audit_login")
    user_logged_out.connect(_on_logout, dispatch_uid="audit_logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="audit_login_failed")
    post_save.connect(_on_grade_change, sender="crm.GradeChange", dispatch_uid="audit_grade")
    post_save.connect(_on_assignment, sender="crm.Assignment", dispatch_uid="audit_assignment")
    post_save.connect(_on_sales_import, sender="crm.SalesImport", dispatch_uid="audit_import")
