"""Helpers shared by the services of every visits aggregate."""

from django.core.exceptions import PermissionDenied
from django.urls import NoReverseMatch, reverse


def _url(name, *args):
    """A link for a notification; empty until the page exists."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _require(condition):
    if not condition:
        raise PermissionDenied
