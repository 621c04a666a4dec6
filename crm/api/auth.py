"""Token login for the API, with the same lockout as the browser login."""

from rest_framework.authtoken.views import ObtainAuthToken

from crm.lockout import lockout_response


class TokenLoginView(ObtainAuthToken):
    """POST username and password, get a token; locked accounts get 429."""

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid() and getattr(request, "axes_locked_out", False):
            return lockout_response(request._request)
        serializer.is_valid(raise_exception=True)
        return super().post(request, *args, **kwargs)
