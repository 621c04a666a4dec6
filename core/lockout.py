"""The answer to a login attempt on a locked-out account (django-axes)."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

STATUS = 429


def lockout_response(request, original_response=None, credentials=None):
    minutes = int(round(settings.AXES_COOLOFF_TIME * 60))
    if request.path.startswith("/api/"):
        message = _("Too many failed logins: this account is locked for %(minutes)d minutes.") % {
            "minutes": minutes
        }
        return JsonResponse(
            {"detail": message}, status=STATUS, json_dumps_params={"ensure_ascii": False}
        )
    return render(
        request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=STATUS
    )
