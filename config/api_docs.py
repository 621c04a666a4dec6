"""The API's schema and its two readers, for signed-in users only.

The schema maps every route and field of the API: an outsider learns nothing
from it that a user could not tell them, but needs no map either. The schema
takes the API's own credentials (a token or the browser's session) and answers
401 in JSON without them; the HTML readers are pages of the site, so a visitor
who is not signed in is sent to the login page first.
"""

from django.contrib.auth.decorators import login_required
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer


class SchemaView(SpectacularAPIView):
    permission_classes = [IsAuthenticated]

    def handle_exception(self, exc):
        # The schema's renderers speak YAML/OpenAPI; a refusal reads as JSON,
        # like every other error of the API.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)


schema = SchemaView.as_view()
swagger = login_required(SpectacularSwaggerSplitView.as_view(url_name="api_schema"))
redoc = login_required(SpectacularRedocView.as_view(url_name="api_schema"))
