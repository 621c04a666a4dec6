"""API of customers' suggestions, under /api/visits/suggestions/."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.input import validated
from visits import selectors
from visits import serializers as s
from visits.filters import SuggestionFilter
from visits.models import (
    Suggestion,
)
from visits.services import suggestions


class SuggestionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Customer suggestions from visits, with their 3-working-day answer limit."""

    serializer_class = s.SuggestionSerializer
    filterset_class = SuggestionFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Suggestion.objects.none()
        # Filtered by the page's SuggestionFilter (filterset_class): a bad value is a 400.
        rows = selectors.suggestion_list(user=self.request.user)
        return rows if self.action == "list" else rows.prefetch_related("events__actor")

    def get_serializer_class(self):
        if self.action == "list":
            return s.SuggestionSerializer
        return s.SuggestionDetailSerializer

    @extend_schema(request=s.SuggestionAnswerSerializer, responses=s.SuggestionDetailSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        suggestion = self.get_object()
        data = validated(s.SuggestionAnswerSerializer, request)
        suggestion = suggestions.suggestion_answer(
            suggestion=suggestion, actor=request.user, answer=data["answer"]
        )
        suggestion = self.get_queryset().get(pk=suggestion.pk)
        return Response(s.SuggestionDetailSerializer(suggestion, context={"request": request}).data)
