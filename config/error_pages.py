"""The error answers of the whole site: JSON under /api/, the product's pages elsewhere.

An API client reads ``{"detail": "..."}`` for every error, also for the ones
raised outside DRF (an unknown /api/ path, a crash in a view), never the
HTML page meant for a browser. Wired as ``handler400`` … ``handler500`` in
the root URLconf; Django uses them when DEBUG is off.
"""

from django.utils.translation import gettext as _
from django.views import defaults

from core.request_guard import is_api, json_error


def bad_request(request, exception):
    if is_api(request):
        return json_error({"detail": _("Bad request.")}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api(request):
        return json_error(
            {"detail": _("You do not have permission to perform this action.")}, status=403
        )
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if is_api(request):
        return json_error({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return json_error({"detail": _("Server error.")}, status=500)
    return defaults.server_error(request)
