"""API tokens: issuing them at login and revoking them.

Every revocation writes one audit row: who revoked whose tokens, how many and
why. A token's key is never stored or logged; only knox's digest is kept.
"""

from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken
from core import audit
from core.sessions import end_sessions

DEVICE_MAX_LENGTH = ApiToken._meta.get_field("device").max_length


class Reason:
    """Why tokens were revoked, as written in the audit row."""

    LOGOUT = "logout"
    LOGOUT_ALL = "logout_all"
    REVOKED = "revoked"
    LOGOUT_EVERYWHERE = "logout_everywhere"
    PASSWORD_CHANGED = "password_changed"
    DEACTIVATED = "deactivated"
    ADMIN = "admin"


def token_create(*, user, device=""):
    """A new token for one login on one device; returns ``(token, key)``.

    The key is the only copy: it goes to the client and is not kept. Expired
    tokens of the user are dropped while we are here.
    """
    ApiToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    return ApiToken.objects.create(user=user, device=device.strip()[:DEVICE_MAX_LENGTH])


def token_revoke(*, token, actor, reason=Reason.REVOKED, request=None):
    """Revoke one token. Returns False if it was already gone (a second click)."""
    with transaction.atomic():
        deleted, _ = ApiToken.objects.filter(pk=token.pk).delete()
        if deleted:
            audit.record(
                "tokens_revoked",
                actor=actor,
                obj=token.user,
                request=request,
                summary=_summary(token.user, 1, reason),
                reason=reason,
                count=1,
                device=token.device,
            )
    return bool(deleted)


def tokens_revoke_all(*, user, actor, reason, request=None):
    """Revoke every API token of ``user``; returns how many there were."""
    return _revoke_all(user=user, actor=actor, reason=reason, request=request)


def user_log_out_everywhere(*, user, request):
    """Revoke all of the user's API tokens and end their other browser sessions.

    The session of this request stays: the person who asked is the one at this
    browser (and can log out here as usual). One audit row says how many
    tokens and sessions ended. Returns ``(tokens revoked, sessions ended)``.
    """
    sessions = end_sessions(user, keep=request.session.session_key)
    tokens = _revoke_all(
        user=user,
        actor=user,
        reason=Reason.LOGOUT_EVERYWHERE,
        request=request,
        record_none=True,
        sessions=sessions,
    )
    return tokens, sessions


def _revoke_all(*, user, actor, reason, request, record_none=False, **data):
    with transaction.atomic():
        deleted, _ = ApiToken.objects.filter(user=user).delete()
        if deleted or record_none:
            audit.record(
                "tokens_revoked",
                actor=actor,
                obj=user,
                request=request,
                summary=_summary(user, deleted, reason),
                reason=reason,
                count=deleted,
                **data,
            )
    return deleted


def _summary(user, count, reason):
    return f"{user.get_username()}: {count} ({reason})"


def user_set_language(*, user, language):
    """The language the product writes to ``user`` in (notifications, e-mails)."""
    from django.conf import settings
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user
