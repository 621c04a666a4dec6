"""Helpers shared by the services of every visits aggregate."""

from django.core.exceptions import PermissionDenied
from django.urls import NoReverseMatch, reverse

from visits import access
from visits.models import (
    Visit,
)


def _url(name, *args):
    """A link for a notification; empty until the page exists."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _require(condition):
    if not condition:
        raise PermissionDenied


def _lock_for_writing(visit, actor):
    """The visit re-read under a row lock with its customer as stored now; 403 unless
    ``actor`` may still write it.

    Checked on the fresh row, not the caller's copy: a customer reassigned
    between the page load and the click is no longer the actor's to write.
    """
    current = (
        Visit.objects.select_for_update(of=("self",)).select_related("customer").get(pk=visit.pk)
    )
    _require(access.can_edit_visit(actor, current))
    return current
