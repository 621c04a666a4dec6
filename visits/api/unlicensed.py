"""API of unlicensed-operation reports, under /api/visits/unlicensed/."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.exports import ExportMixin
from core.api.input import validated
from core.web import pdf_response
from visits import access, selectors
from visits import serializers as s
from visits.api.common import PARSERS
from visits.filters import UnlicensedFilter
from visits.models import (
    UnlicensedReport,
)
from visits.services import unlicensed


class UnlicensedViewSet(
    ExportMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Unlicensed operation (无证经营): reported by managers, forwarded and closed by the
    regional manager."""

    export_name = "unlicensed"

    serializer_class = s.UnlicensedReportSerializer
    parser_classes = PARSERS
    filterset_class = UnlicensedFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return UnlicensedReport.objects.none()
        # Filtered by the page's UnlicensedFilter (filterset_class): a bad value is a 400.
        rows = selectors.unlicensed_list(user=self.request.user)
        return rows if self.action == "list" else rows.prefetch_related("events__actor")

    def get_serializer_class(self):
        if self.action in ("list", "create"):
            return s.UnlicensedReportSerializer
        return s.UnlicensedReportDetailSerializer

    # A photo comes only in a multipart upload; JSON and form bodies carry the text.
    @extend_schema(
        request={
            "multipart/form-data": s.UnlicensedReportSerializer,
            "application/json": s.UnlicensedReportTextSerializer,
            "application/x-www-form-urlencoded": s.UnlicensedReportTextSerializer,
        },
        responses={201: s.UnlicensedReportSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = validated(s.UnlicensedReportSerializer, request)
        report = unlicensed.unlicensed_report(actor=request.user, **data)
        return Response(
            s.UnlicensedReportSerializer(report, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    def _handled(self):
        report = self.get_object()
        if not access.can_handle_unlicensed(self.request.user, report):
            self.permission_denied(self.request, message=_("Only the regional manager handles it."))
        return report

    @extend_schema(request=s.ForwardSerializer, responses=s.UnlicensedReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        report = self._handled()
        data = validated(s.ForwardSerializer, request)
        report = unlicensed.unlicensed_forward(
            report=report, actor=request.user, note=data.get("note", "")
        )
        return Response(
            s.UnlicensedReportDetailSerializer(report, context={"request": request}).data
        )

    @extend_schema(request=s.OutcomeSerializer, responses=s.UnlicensedReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        report = self._handled()
        data = validated(s.OutcomeSerializer, request)
        report = unlicensed.unlicensed_record_outcome(
            report=report,
            actor=request.user,
            outcome=data["outcome"],
            outcome_on=data.get("outcome_on"),
        )
        return Response(
            s.UnlicensedReportDetailSerializer(report, context={"request": request}).data
        )

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        """The printable report, the same file as the page's."""
        from visits.pdf import unlicensed_document

        return pdf_response(unlicensed_document(report=self.get_object()))
