"""Browser sessions: ended for a deactivated user however the user was saved,
and kept alive by use without a write on every request."""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save
from django.utils import timezone


def end_sessions(user, *, keep=None):
    """Delete every live session of ``user`` but ``keep`` (a session key); returns how many.

    Sessions are not indexed by user, so the live ones are decoded in turn:
    deactivations are rare and live sessions are few.
    """
    user_id = str(user.pk)
    doomed = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.pk != keep and session.get_decoded().get("_auth_user_id") == user_id
    ]
    Session.objects.filter(pk__in=doomed).delete()
    return len(doomed)


def _on_user_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw and not instance.is_active:
        end_sessions(instance)


def _on_login(sender, request, user, **kwargs):
    # A login saves the session anyway: its idle time starts now, and the
    # next pages need not save it again (SessionRefreshMiddleware).
    session = getattr(request, "session", None)
    if session is not None:
        session[REFRESHED_AT] = int(time.time())


def connect():
    post_save.connect(_on_user_saved, sender=get_user_model(), dispatch_uid="end_sessions")
    user_logged_in.connect(_on_login, dispatch_uid="session_refreshed_at_login")


# Idle timeout without a write per request ---------------------------------------------

REFRESHED_AT = "_refreshed_at"


class SessionRefreshMiddleware:
    """Keep a used session alive, writing it at most once every
    ``SESSION_REFRESH_SECONDS``.

    A session ends ``SESSION_COOKIE_AGE`` after it was last saved (the idle
    timeout). Saving it on every request (``SESSION_SAVE_EVERY_REQUEST``) made
    every page view, even a list, a write transaction on the database; here a
    request marks the session changed only when its last save is older than
    the refresh interval, so the idle timeout is kept to within that interval.
    Sits just inside ``SessionMiddleware``, which saves what is marked.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # A visitor without a session gets none made for them here.
        if session is None or session.session_key is None or session.is_empty():
            return response
        now = int(time.time())
        if now - session.get(REFRESHED_AT, 0) >= settings.SESSION_REFRESH_SECONDS:
            session[REFRESHED_AT] = now
        return response
