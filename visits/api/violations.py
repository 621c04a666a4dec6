"""API of price violations, under /api/visits/price-violations/."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.exports import ExportMixin
from core.api.input import validated
from visits import access, selectors
from visits import serializers as s
from visits.filters import ViolationFilter
from visits.models import (
    PriceViolation,
)
from visits.services import violations


class PriceViolationViewSet(
    ExportMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Price violations found on visits; the regional manager downgrades or dismisses."""

    export_name = "price-violations"

    serializer_class = s.PriceViolationSerializer
    filterset_class = ViolationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PriceViolation.objects.none()
        # Filtered by the page's ViolationFilter (filterset_class): a bad value is a 400.
        rows = selectors.violation_list(user=self.request.user)
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

    @extend_schema(request=s.DowngradeSerializer, responses=s.PriceViolationDetailSerializer)
    @action(detail=True, methods=["post"])
    def downgrade(self, request, pk=None):
        violation = self._decidable()
        data = validated(s.DowngradeSerializer, request)
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
        data = validated(s.DismissSerializer, request)
        violation = violations.price_violation_dismiss(
            violation=violation, actor=request.user, note=data["note"]
        )
        return self._respond(violation)
