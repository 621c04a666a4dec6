"""Reads that tolerate a short lag from a PostgreSQL read replica.

With ``DATABASE_REPLICA_URL`` set (``config/settings.py``) the database alias
``replica`` exists, ``ReplicaRouter`` routes every query and
``ReplicaMiddleware`` says, per request, whether its reads may go to the
replica. A read goes there only when all of these hold:

1. the request is a GET or HEAD (a list, a dashboard, a report, an export);
2. its client has not written within ``REPLICA_PIN_SECONDS``: every unsafe
   request (and a safe one that wrote) answers with a signed cookie, and
   while it is valid the client reads from the primary, so a user sees their
   own change on the page after it;
3. the request has written nothing yet: the rows it wrote are read back
   from the primary;
4. it is outside any ``transaction.atomic()`` block;
5. the model is not one that must be current: sessions, users and their
   permissions, API tokens, login attempts (django-axes), idempotency keys
   and export jobs are always read from the primary.

The pin belongs to the client that keeps the cookie (a browser, an API client
with a cookie jar); one that keeps none may read the replica right after its
own write.

Writes, ``select_for_update()`` and migrations always use the primary; so do
Celery tasks and management commands, which no request marked. The export
job reads its rows from ``replica()`` explicitly (``core.export_jobs``).
A row's related rows are read from the database the row came from, as Django
routes them by default.
"""

import contextvars
import dataclasses

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import FileResponse

REPLICA = "replica"
COOKIE = "crm_primary_reads"
SALT = "core.db_routing.pin"
SAFE_METHODS = {"GET", "HEAD"}
# Labels of the apps and models read from the primary whatever the request.
PRIMARY_APPS = {"auth", "sessions", "axes"}
PRIMARY_MODELS = {"core.clientaction", "core.exportjob"}


@dataclasses.dataclass
class Reads:
    """What the current request allows: replica reads, until it writes."""

    allowed: bool
    wrote: bool = False


# None outside a request (Celery tasks, management commands): the primary.
_reads = contextvars.ContextVar("replica_reads", default=None)


def replica():
    """The alias for reads that tolerate a short lag: the replica when there is one."""
    return REPLICA if REPLICA in connections.settings else DEFAULT_DB_ALIAS


def _on_primary(model):
    meta = model._meta
    return (
        meta.app_label in PRIMARY_APPS
        or meta.label_lower in PRIMARY_MODELS
        or meta.label == settings.AUTH_USER_MODEL
        or meta.label == settings.KNOX_TOKEN_MODEL
    )


def _in_atomic_block():
    # A test case's own transaction (pytest-django's ``db``) wraps each test;
    # only the blocks the code opened count.
    return any(not block._from_testcase for block in connections[DEFAULT_DB_ALIAS].atomic_blocks)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        reads = _reads.get()
        if reads is None:
            # Django's own choice: the database of the row it starts from
            # (an export's rows read from the replica), else the primary.
            return None
        if not reads.allowed or reads.wrote or _on_primary(model) or _in_atomic_block():
            return DEFAULT_DB_ALIAS
        if hints.get("instance") is not None:
            # A row's related rows come from where the row came from (the
            # user's region from the primary, a listed visit's customer from
            # the replica): one consistent picture.
            return None
        return REPLICA

    def db_for_write(self, model, **hints):
        reads = _reads.get()
        if reads is not None and not _on_primary(model):
            reads.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same rows.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def _pinned(request):
    """Whether the client wrote within REPLICA_PIN_SECONDS (its signed cookie says when)."""
    return (
        request.get_signed_cookie(
            COOKIE, default=None, salt=SALT, max_age=settings.REPLICA_PIN_SECONDS
        )
        is not None
    )


def _pin(response):
    response.set_signed_cookie(
        COOKIE,
        "1",
        salt=SALT,
        max_age=settings.REPLICA_PIN_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _streamed_within(reads, chunks):
    """A streamed answer's chunks (a CSV export's rows), read as the request allows."""
    previous = _reads.get()
    _reads.set(reads)
    try:
        yield from chunks
    finally:
        _reads.set(previous)


class ReplicaMiddleware:
    """Marks the request's reads as the replica may serve them; pins a client who writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        safe = request.method in SAFE_METHODS
        reads = Reads(allowed=safe and not _pinned(request))
        token = _reads.set(reads)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if response.streaming and not response.is_async and not isinstance(response, FileResponse):
            response.streaming_content = _streamed_within(reads, response.streaming_content)
        if not safe or reads.wrote:
            _pin(response)
        return response


def _task_starts(task_id=None, **kwargs):
    # A task run in a request (eagerly) reads from the primary like any other.
    _task_tokens[task_id] = _reads.set(None)


def _task_ends(task_id=None, **kwargs):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        _reads.reset(token)


_task_tokens = {}


def connect():
    from celery import signals

    signals.task_prerun.connect(_task_starts, weak=False, dispatch_uid="replica_task_starts")
    signals.task_postrun.connect(_task_ends, weak=False, dispatch_uid="replica_task_ends")
