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


# Who is locked out, and letting them in again (django-axes' attempts table) ----------------


def _cooloff_start():
    import datetime

    from django.utils import timezone

    return timezone.now() - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)


def failed_logins(usernames):
    """{username: failed logins that still count} for ``usernames``, in one query.

    A username is locked out from ``AXES_FAILURE_LIMIT`` failures within the
    cool-off time (``is_locked``); older attempts no longer count.
    """
    from axes.models import AccessAttempt
    from django.db.models import Sum

    rows = (
        AccessAttempt.objects.filter(
            username__in=list(usernames), attempt_time__gt=_cooloff_start()
        )
        .values("username")
        .annotate(total=Sum("failures_since_start"))
    )
    return {row["username"]: row["total"] or 0 for row in rows}


def is_locked(failures):
    return failures >= settings.AXES_FAILURE_LIMIT


def lift(username):
    """Forget ``username``'s failed logins: the lockout ends. Returns the attempt rows removed."""
    from axes.utils import reset

    return reset(username=username)


def locked_usernames():
    """The usernames locked out now, as a subquery (``username__in=locked_usernames()``)."""
    from axes.models import AccessAttempt
    from django.db.models import Sum

    return (
        AccessAttempt.objects.filter(attempt_time__gt=_cooloff_start())
        .values("username")
        .annotate(total=Sum("failures_since_start"))
        .filter(total__gte=settings.AXES_FAILURE_LIMIT)
        .values("username")
    )
