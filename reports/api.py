"""The reports API under /api/reports/: reads through the selectors and
``reports.access`` (foreign → 404, wrong role → 403), writes through the
services (wrong state → 409, invalid input → 400)."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core import months
from core.api.exports import ExportMixin
from core.api.fields import EventSerializer as BaseEventSerializer
from core.api.input import validated
from core.api.schema import error
from core.transitions import allowed
from core.web import pdf_response
from crm import report_notes
from reports import access, pdf, selectors, services
from reports.filters import ReportFilter
from reports.models import MonthlyReport, ReportComment, ReportEvent
from reports.transitions import TRANSITIONS


@extend_schema_field({"type": "string", "example": "2026-10"})
class MonthField(serializers.Field):
    def to_representation(self, value):
        return months.month_key(value)


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "properties": {
            "id": {"type": "integer"},
            "username": {"type": "string"},
            "name": {"type": "string"},
        },
    }
)
class PersonField(serializers.Field):
    def to_representation(self, value):
        return {"id": value.pk, "username": value.username, "name": str(value)}


class ReportListSerializer(serializers.ModelSerializer):
    month = MonthField(read_only=True)
    manager = PersonField(read_only=True)
    region = serializers.SerializerMethodField()
    approved_by = PersonField(read_only=True)
    display_status = serializers.CharField(read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    late = serializers.BooleanField(source="was_late", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = MonthlyReport
        fields = [
            "id",
            "month",
            "manager",
            "region",
            "status",
            "display_status",
            "due_date",
            "overdue",
            "late",
            "submitted_at",
            "approved_by",
            "approved_at",
            "url",
        ]

    def get_region(self, report) -> dict:
        return {"id": report.region_id, "code": report.region.code, "name": report.region.name}


class CommentSerializer(serializers.ModelSerializer):
    author = PersonField(read_only=True)

    class Meta:
        model = ReportComment
        fields = ["section", "text", "author", "created_at"]


class EventSerializer(BaseEventSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = ReportEvent
        fields = ["action", "from_status", "to_status", "actor", "comment", "at"]

    def get_actor(self, event) -> str | None:
        return event.actor.username if event.actor else None


class ReportNoteSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    lines = serializers.ListField(child=serializers.CharField())
    url = serializers.CharField(allow_blank=True)


class ReportDetailSerializer(ReportListSerializer):
    comments = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField(
        help_text="Section c)'s notes of other apps, read now: the manager's latest "
        "satisfaction index and measures."
    )
    events = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField(
        help_text="The steps the requesting user may take now: edit (PATCH), refresh, "
        "submit, approve, return (POST actions)."
    )

    class Meta(ReportListSerializer.Meta):
        fields = [
            *ReportListSerializer.Meta.fields,
            "figures",
            "figures_computed_at",
            "problems",
            "opinions",
            "opinion_sources",
            "forecast",
            "forecast_amount",
            "forecast_text",
            "comments",
            "events",
            "steps",
            "notes",
        ]

    def get_comments(self, report) -> list:
        latest = selectors.report_comments(report)
        return [CommentSerializer(c).data for items in latest.values() for c in items]

    def get_events(self, report) -> list:
        return EventSerializer(report.events.select_related("actor"), many=True).data

    def get_notes(self, report) -> ReportNoteSerializer(many=True):
        return ReportNoteSerializer(report_notes.for_report(report), many=True).data

    def get_steps(self, report) -> list[str]:
        # The table's answer, the same the detail page shows its buttons from.
        return list(allowed(TRANSITIONS, self.context["request"].user, report))


class SectionsSerializer(serializers.Serializer):
    problems = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    opinions = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    forecast_text = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    forecast_amount = serializers.DecimalField(
        required=False, allow_null=True, max_digits=16, decimal_places=2, min_value=0
    )

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(_("Give at least one section."))
        return attrs


class ApproveSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    comments = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=4000), required=False
    )


# The list's filters are ReportFilter's (the schema lists them for the list only).
class ReportViewSet(
    ExportMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Monthly reports the user may see. There is no create or delete: the job prepares them."""

    export_name = "reports"

    filterset_class = ReportFilter
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        if self.action == "list":
            # Filtered by the page's ReportFilter (filterset_class): a bad value is a 400.
            return selectors.report_list(user=self.request.user).qs
        return access.report_scope(
            self.request.user,
            MonthlyReport.objects.select_related("manager", "region", "approved_by"),
        )

    def get_serializer_class(self):
        return ReportListSerializer if self.action == "list" else ReportDetailSerializer

    def _respond(self, report):
        report = self.get_queryset().get(pk=report.pk)
        return Response(ReportDetailSerializer(report, context={"request": self.request}).data)

    @extend_schema(request=SectionsSerializer, responses=ReportDetailSerializer)
    def partial_update(self, request, pk=None):
        report = self.get_object()
        data = validated(SectionsSerializer, request)
        return self._respond(
            services.report_update_sections(report=report, actor=request.user, data=data)
        )

    @extend_schema(request=None, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = self.get_object()
        return self._respond(services.report_submit(report=report, actor=request.user))

    @extend_schema(request=None, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def refresh(self, request, pk=None):
        report = self.get_object()
        return self._respond(services.report_refresh_figures(report=report, actor=request.user))

    @extend_schema(request=ApproveSerializer, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        report = self.get_object()
        data = validated(ApproveSerializer, request)
        return self._respond(
            services.report_approve(
                report=report, actor=request.user, comment=data.get("comment", "")
            )
        )

    @extend_schema(request=ReturnSerializer, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_report(self, request, pk=None):
        report = self.get_object()
        data = validated(ReturnSerializer, request)
        return self._respond(
            services.report_return(
                report=report,
                actor=request.user,
                comments=data.get("comments", {}),
                comment=data.get("comment", ""),
            )
        )

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            409: error("Only a submitted or approved report has a PDF."),
        }
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        return pdf_response(pdf.report_document(self.get_object()))
