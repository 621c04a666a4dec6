"""Glue for the browser views of every app."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default):
    """Where to go back to: the posted (or queried) ``next`` when it stays on this site.

    A ``next`` pointing elsewhere (``https://evil.example/``, ``//evil.example``,
    ``/\\evil.example``, ``javascript:…``) would turn a link of ours into a
    redirect to someone else's page, so it falls back to ``default``.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
