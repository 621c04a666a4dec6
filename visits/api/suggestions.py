"""API of customers' suggestions, under /api/visits/suggestions/."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from visits import selectors
from visits import serializers as s
from visits.api.common import _validated
from visits.models import (
    Suggestion,
)
from visits.services import suggestions


class SuggestionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Customer suggestions from visits, with their 3-working-day answer limit."""

    serializer_class = s.SuggestionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Suggestion.objects.none()
        wanted = self.request.query_params.get("open", "")
        if self.action == "list" and wanted not in ("", "true", "false", "1", "0"):
            raise serializers.ValidationError({"open": [_("Give true or false.")]})
        open_only = wanted in ("1", "true")
        rows = selectors.suggestion_list(user=self.request.user, open_only=open_only)
        return rows if self.action == "list" else rows.prefetch_related("events__actor")

    def get_serializer_class(self):
        if self.action == "list":
            return s.SuggestionSerializer
        return s.SuggestionDetailSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("open", {"type": "string", "enum": ["true", "false", "1", "0"]})
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.SuggestionAnswerSerializer, responses=s.SuggestionDetailSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        suggestion = self.get_object()
        data = _validated(s.SuggestionAnswerSerializer, request)
        suggestion = suggestions.suggestion_answer(
            suggestion=suggestion, actor=request.user, answer=data["answer"]
        )
        suggestion = self.get_queryset().get(pk=suggestion.pk)
        return Response(s.SuggestionDetailSerializer(suggestion, context={"request": request}).data)
