"""Glue for the browser views of every app."""

import functools

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
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


def login_or_token_required(view):
    """``login_required`` that also takes the API's token (``Authorization: Token …``).

    The API links signatures and photos to the access-checked routes the pages
    use (media files are not served): a program holding only a token must be
    able to fetch them, with the same access check as the page. A bad token
    answers 401, not a redirect to the login page.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated and request.META.get("HTTP_AUTHORIZATION"):
            from rest_framework.exceptions import AuthenticationFailed

            from accounts.auth import TokenAuthentication

            authentication = TokenAuthentication()
            try:
                found = authentication.authenticate(request)
            except AuthenticationFailed:
                found = None
            if found is None:
                response = HttpResponse(status=401)
                response["WWW-Authenticate"] = authentication.authenticate_header(request)
                return response
            request.user = found[0]
        return login_required(view)(request, *args, **kwargs)

    return wrapped
