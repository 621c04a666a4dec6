"""Token login and logout for the API, with the same lockout as the browser login.

Each login issues a new token for one device (django-rest-knox: stored as a
hash, valid for ``API_TOKEN_TTL_HOURS``); ``logout/`` revokes the token it is
called with, ``logoutall/`` every token of the user.
"""

from django.contrib.auth import authenticate, get_user_model, user_logged_in
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.auth import TokenAuthentication
from accounts.services import (
    DEVICE_MAX_LENGTH,
    Reason,
    token_create,
    token_revoke,
    tokens_revoke_all,
)
from core.lockout import lockout_response

# Longer input is refused before it reaches django-axes (whose lockout table
# holds the username) or the password hasher: a 10,000-character username
# answered 500 when its column overflowed.
USERNAME_MAX_LENGTH = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD).max_length
PASSWORD_MAX_LENGTH = 4096


class TokenLoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=USERNAME_MAX_LENGTH)
    password = serializers.CharField(
        max_length=PASSWORD_MAX_LENGTH,
        trim_whitespace=False,
        write_only=True,
        style={"input_type": "password"},
    )
    device = serializers.CharField(
        max_length=DEVICE_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("A name for the device or program, shown on the user's account page."),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Send as 'Authorization: Token <token>'."))
    expiry = serializers.DateTimeField()
    device = serializers.CharField()


class TokenLoginView(APIView):
    """POST username and password (and a device name), get a new token; locked accounts get 429."""

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = TokenLoginSerializer

    @extend_schema(
        request=TokenLoginSerializer,
        # Errors (400, 429 when locked out) are declared for every operation by
        # core.api.schema.
        responses={200: TokenSerializer},
    )
    def post(self, request, *args, **kwargs):
        serializer = TokenLoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # Django's request: django-axes and the audit trail read it, and mark it.
        http_request = request._request
        http_request.login_via = "api"
        http_request.login_device = data["device"]
        user = authenticate(http_request, username=data["username"], password=data["password"])
        if user is None:
            if getattr(http_request, "axes_locked_out", False):
                return lockout_response(http_request)
            raise serializers.ValidationError(
                {"non_field_errors": [_("Unable to log in with provided credentials.")]},
                code="authorization",
            )
        token, key = token_create(user=user, device=data["device"])
        # As for a browser login: last_login, the audit row, axes' reset of failures.
        user_logged_in.send(sender=user.__class__, request=http_request, user=user)
        return Response(
            TokenSerializer({"token": key, "expiry": token.expiry, "device": token.device}).data
        )


class TokenLogoutView(APIView):
    """Revoke the token this request is made with."""

    # Only a token can say which token to revoke.
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request, *args, **kwargs):
        token_revoke(token=request.auth, actor=request.user, reason=Reason.LOGOUT)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenLogoutAllView(APIView):
    """Revoke every API token of the user (browser sessions are left as they are)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request, *args, **kwargs):
        tokens_revoke_all(user=request.user, actor=request.user, reason=Reason.LOGOUT_ALL)
        return Response(status=status.HTTP_204_NO_CONTENT)
