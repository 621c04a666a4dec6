"""Ending a deactivated user's browser sessions, however the user was saved."""

from django.contrib.auth import get_user_model
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


def connect():
    post_save.connect(_on_user_saved, sender=get_user_model(), dispatch_uid="end_sessions")
