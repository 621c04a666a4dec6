"""Helpers shared by the services of every visits aggregate."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from core.links import row_url
from core.notifications import notify


def _url(name, *args):
    """A link for a notification; empty until the page exists."""
    try:
        return row_url(name, *args) if len(args) == 1 else reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _require(condition):
    if not condition:
        raise PermissionDenied


def comment_save(comment, *, tell, key, title, url):
    """Save a supervisor's comment on a manager's writing and tell them.

    ``key`` names the kind of comment; the notification's key adds the comment's id.
    """
    comment.text = (comment.text or "").strip()
    if not comment.text:
        raise ValidationError({"text": _("Write a comment.")})
    with transaction.atomic():
        comment.full_clean()
        comment.save()
        notify(user=tell, key=f"{key}:{comment.pk}", title=title, body=comment.text, url=url)
    return comment
