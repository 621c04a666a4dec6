"""Exactly-once API writes: a phone sends each queued action with an
``Idempotency-Key`` header (an id it made when the action was queued, a UUID).
The first request with a key runs and its answer is stored, in the same
transaction as the action's effects; a replay of the key (the answer was lost,
the phone retried) runs nothing and gets the same answer again, marked with
``Idempotent-Replayed: true``. The same key with another request is a 422.

Answers that say the request did not get through - 401, 403, 429 and 5xx - are
not kept: after logging in again, the phone's retry runs the action. Keys are
per user and kept for ``IDEMPOTENCY_DAYS`` (the daily job removes older ones).
"""

import datetime
import hashlib
import json
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

HEADER = "HTTP_IDEMPOTENCY_KEY"
KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
NOT_KEPT = {401, 403, 405, 429}
# A stored answer larger than this is not kept (an answer is a record's JSON, a few KB).
MAX_BODY = 1024 * 1024


def _user(request):
    """The API user of the request, as the API views will authenticate it; None if none.

    A token is checked by the API's token authenticators (they read no body);
    a browser's session is the session's user (the view checks its CSRF token:
    refused, the answer is a 403 and nothing is kept).
    """
    from rest_framework.authentication import SessionAuthentication
    from rest_framework.request import Request
    from rest_framework.settings import api_settings

    wrapped = Request(request)
    for authenticator_class in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
        if issubclass(authenticator_class, SessionAuthentication):
            continue
        try:
            found = authenticator_class().authenticate(wrapped)
        except Exception:  # noqa: BLE001 - the view answers it (401) as usual
            return None
        if found is not None:
            return found[0]
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _answers(request):
    """Whether a view takes this method at this path (an API viewset's action, or an
    APIView's handler); else the request goes on to its 404 or 405 untouched."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    method = request.method.lower()
    actions = getattr(match.func, "actions", None)
    if actions is not None:
        return method in actions
    view_class = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
    return view_class is None or hasattr(view_class, method)


def _fingerprint(request):
    digest = hashlib.sha256()
    for part in (
        request.method,
        request.get_full_path(),
        request.content_type or "",
    ):
        digest.update(part.encode() + b"\0")
    try:
        digest.update(request.body)
    except RawPostDataException:
        # A multipart upload already parsed (the request guard read its fields):
        # its fields and the bytes of its files.
        for name, values in sorted(request.POST.lists()):
            for value in values:
                digest.update(f"{name}={value}".encode() + b"\0")
        for name, files in sorted(request.FILES.lists()):
            for upload in files:
                digest.update(f"{name}:{upload.name}:{upload.size}".encode() + b"\0")
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    return digest.hexdigest()


def _replay(action):
    response = HttpResponse(
        bytes(action.body), status=action.status_code, content_type=action.content_type or None
    )
    response["Idempotent-Replayed"] = "true"
    return response


def _refusal(status, message):
    return JsonResponse(
        {"detail": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.META.get(HEADER)
        if key is None or request.method not in WRITES or not request.path.startswith("/api/"):
            return self.get_response(request)
        if not KEY.match(key):
            return _refusal(
                400,
                _("Idempotency-Key: 8 to 64 letters, digits, '-' or '_' (a UUID)."),
            )
        if not _answers(request):
            # No such route or method: the view's 404 or 405 as without a key.
            return self.get_response(request)
        user = _user(request)
        if user is None:
            return self.get_response(request)
        return self._once(request, user, key)

    def _once(self, request, user, key):
        from core.models import ClientAction

        fingerprint = _fingerprint(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    action = ClientAction.objects.create(
                        user=user,
                        key=key,
                        method=request.method,
                        path=request.path[:300],
                        request_sha256=fingerprint,
                    )
            except IntegrityError:
                # Sent before: on PostgreSQL the insert waited for the first one's commit.
                action = ClientAction.objects.get(user=user, key=key)
                if action.request_sha256 != fingerprint:
                    return _refusal(422, _("This Idempotency-Key was sent with another request."))
                return _replay(action)
            response = self.get_response(request)
            status = response.status_code
            streaming = getattr(response, "streaming", False)
            if status in NOT_KEPT or status >= 500 or streaming:
                # Nothing of it stays: the retry runs the action.
                transaction.set_rollback(True)
                return response
            body = response.content
            if len(body) > MAX_BODY:
                body = json.dumps({"detail": "answer not kept"}).encode()
            action.status_code = status
            action.content_type = response.get("Content-Type", "")[:100]
            action.body = body
            action.save(update_fields=["status_code", "content_type", "body"])
        return response


def purge(*, now=None):
    """Remove the keys older than ``IDEMPOTENCY_DAYS``; returns how many."""
    from core.models import ClientAction

    now = now or timezone.now()
    days = settings.IDEMPOTENCY_DAYS
    deleted, _rows = ClientAction.objects.filter(
        received_at__lt=now - datetime.timedelta(days=days)
    ).delete()
    return deleted
