"""API of price violations, under /api/visits/price-violations/."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from visits import access, selectors
from visits import serializers as s
from visits.api.common import _validated
from visits.models import (
    PriceViolation,
)
from visits.services import violations


class PriceViolationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Price violations found on visits; the regional manager downgrades or dismisses."""

    serializer_class = s.PriceViolationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PriceViolation.objects.none()
        wanted = self.request.query_params.get("status")
        wanted = wanted if wanted in PriceViolation.Status.values else None
        rows = selectors.violation_list(user=self.request.user, status=wanted)
        return rows if self.action == "list" else rows.prefetch_related("events__actor")

    def get_serializer_class(self):
        if self.action == "list":
            return s.PriceViolationSerializer
        return s.PriceViolationDetailSerializer

    def _decidable(self):
        violation = self.get_object()
        if not access.can_decide_violation(self.request.user, violation):
            self.permission_denied(
                self.request, message=_("Only the customer's regional manager decides.")
            )
        return violation

    def _respond(self, violation):
        violation = self.get_queryset().get(pk=violation.pk)
        return Response(
            s.PriceViolationDetailSerializer(violation, context={"request": self.request}).data
        )

    @extend_schema(parameters=[OpenApiParameter("status", str)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.DowngradeSerializer, responses=s.PriceViolationDetailSerializer)
    @action(detail=True, methods=["post"])
    def downgrade(self, request, pk=None):
        violation = self._decidable()
        data = _validated(s.DowngradeSerializer, request)
        violation = violations.price_violation_downgrade(
            violation=violation,
            actor=request.user,
            grade=data.get("grade"),
            note=data.get("note", ""),
        )
        return self._respond(violation)

    @extend_schema(request=s.DismissSerializer, responses=s.PriceViolationDetailSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        violation = self._decidable()
        data = _validated(s.DismissSerializer, request)
        violation = violations.price_violation_dismiss(
            violation=violation, actor=request.user, note=data["note"]
        )
        return self._respond(violation)
