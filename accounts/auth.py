"""API authentication by knox token (``Authorization: Token <key>``)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox import auth as knox_auth
from rest_framework import exceptions

from accounts.models import ApiToken

# "Last used" is shown to the day and minute: writing it on every request would
# turn each API read into a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=5)


class TokenAuthentication(knox_auth.TokenAuthentication):
    """knox's token check, plus "last used" for the account page.

    A key that is not UTF-8 is refused as an invalid token (knox lets the
    decoding error through, which answered 500).
    """

    def authenticate_credentials(self, token):
        try:
            token.decode("utf-8")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        user, auth_token = super().authenticate_credentials(token)
        now = timezone.now()
        if auth_token.last_used_at is None or now - auth_token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=auth_token.pk).update(last_used_at=now)
            auth_token.last_used_at = now
        return user, auth_token


class TokenScheme(OpenApiAuthenticationExtension):
    """The schema's name for it stays "tokenAuth", as with DRF's tokens before."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )
