"""Refuses malformed requests at the door, before any view, parser or query sees them.

1. A body larger than its limit is refused with 413, judged by its declared
   ``Content-Length`` before a byte of it is read. DRF's parsers read the
   stream directly and never meet Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``,
   so this is the one place a JSON body is limited. Uploads (multipart, the
   only way files come) may be larger than other bodies. A body without a
   length (chunked) is never read by Django at all (its ``LimitedStream``
   reads zero bytes when no length is given), so nothing larger can get in;
   such a request is refused with 411 rather than served as if it were empty.
2. A NUL character anywhere in the path, a query parameter, a form field
   (name or value), a cookie or a header is refused with 400. PostgreSQL
   cannot store or compare a string holding NUL and fails the query with a
   500; no field of the product ever needs one. JSON bodies are checked by
   the API's parser (``core.api.parsers``) as they are decoded.
3. An API path that is not ASCII is not found (404): no API route or id
   has other characters, and an id in other digits named the same object.

The answer is JSON under /api/ and a plain page in the browser, in the
language the request asks for. The guard runs before the session middleware,
which would look a NUL-holding session cookie up in the database.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound

REQUEST_BODY_MAX_BYTES = 2 * 1024 * 1024
REQUEST_UPLOAD_MAX_BYTES = 21 * 1024 * 1024

NUL = "\x00"


def json_error(body, *, status):
    """An API error answer, ``{"detail": ...}`` or field messages, as DRF writes them
    (UTF-8, not ``\\u`` escapes), for the answers given outside DRF."""
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def is_api(request):
    return request.path_info.startswith("/api/")


def body_limit(request):
    """The largest body accepted for this request, in bytes (settings, read per request)."""
    if request.content_type == "multipart/form-data":
        return getattr(settings, "REQUEST_UPLOAD_MAX_BYTES", REQUEST_UPLOAD_MAX_BYTES)
    return getattr(settings, "REQUEST_BODY_MAX_BYTES", REQUEST_BODY_MAX_BYTES)


def _declared_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _nul_field(request):
    """The name of the first part of the request that holds a NUL character, or None."""
    if NUL in request.path:
        return "path"
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str) and NUL in value:
            return key[5:].lower().replace("_", "-")
    for key, value in request.COOKIES.items():
        if NUL in key or NUL in value:
            return "cookie"
    for data in (request.GET, request.POST):
        for key, values in data.lists():
            if NUL in key or any(NUL in value for value in values):
                return key.replace(NUL, "")
    return None


def length_required(request):
    message = _("Send the request body with a Content-Length.")
    if is_api(request):
        return json_error({"detail": message}, status=411)
    return render(request, "400.html", {"message": message}, status=411)


def too_large(request, limit):
    message = _("The request is too large: the limit is %(size)s MB.") % {
        "size": f"{limit / (1024 * 1024):g}"
    }
    if is_api(request):
        return json_error({"detail": message}, status=413)
    return render(request, "413.html", {"message": message}, status=413)


def bad_request(request, field, message):
    if is_api(request):
        return json_error({field: [message]}, status=400)
    return render(request, "400.html", {"field": field, "message": message}, status=400)


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        return self.get_response(request)

    def _refusal(self, request):
        # LocaleMiddleware has not run yet: answer in the language asked for.
        with translation.override(translation.get_language_from_request(request)):
            return self._check(request)

    def _check(self, request):
        if is_api(request) and not request.path_info.isascii():
            # Every API route and id is ASCII. DRF's id pattern takes any
            # character and int() reads every script's digits: /api/customers/１/
            # was customer 1 under a second address.
            return json_error({"detail": str(NotFound.default_detail)}, status=404)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
            if chunked and not request.META.get("CONTENT_LENGTH"):
                return length_required(request)
            limit = body_limit(request)
            if _declared_length(request) > limit:
                return too_large(request, limit)
        try:
            field = _nul_field(request)
        except RequestDataTooBig:
            # Django's own cap on form fields held in memory.
            return too_large(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        except (MultiPartParserError, TooManyFieldsSent, TooManyFilesSent):
            return bad_request(request, "detail", _("The form data could not be read."))
        if field is not None:
            return bad_request(request, field, _("Null characters are not allowed."))
        return None
