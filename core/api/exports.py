"""The API's exports: an ``export/`` action beside each list endpoint (the list's
filters, the user's visibility, the same file as the page's buttons), and the
status of a big export's job.

``GET /api/<list>/export/?file_format=xlsx|csv&<the list's filters>`` answers
the file (200), or 202 with the job when the list is longer than
``settings.EXPORT_SYNC_ROWS``; the job's ``download_url`` takes the same token.
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import RetrieveAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from core import export_jobs, exports
from core.models import ExportJob


class ExportJobSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "name",
            "file_format",
            "status",
            "rows_total",
            "rows_done",
            "created_at",
            "finished_at",
            "url",
            "download_url",
        ]
        read_only_fields = fields

    def get_url(self, job) -> str:
        return self.context["request"].build_absolute_uri(f"/api/exports/{job.pk}/")

    def get_download_url(self, job) -> str | None:
        if job.status != ExportJob.Status.DONE:
            return None
        return self.context["request"].build_absolute_uri(export_jobs.download_url(job))


FILE_FORMAT = OpenApiParameter(
    "file_format",
    OpenApiTypes.STR,
    enum=list(exports.FORMATS),
    default="xlsx",
    description="The file's format.",
)


class ExportMixin:
    """A list viewset's ``export/`` action; ``export_name`` names its core.exports
    declaration (the page's FilterSet over the user's scope)."""

    export_name = ""

    def perform_content_negotiation(self, request, force=False):
        # The file's format is ``file_format``; a ``format`` or an Accept that names no
        # renderer is not a 404 (or 406) here: the answer is the file, or JSON.
        if getattr(self, "action", None) == "export":
            force = True
        return super().perform_content_negotiation(request, force=force)

    @extend_schema(
        parameters=[FILE_FORMAT],
        responses={
            (200, exports.CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY,
            (200, "text/csv"): OpenApiTypes.BINARY,
            (202, "application/json"): ExportJobSerializer,
        },
        description=(
            "The list as a file, with the list's filters and the user's visibility. "
            "A list longer than the export threshold is written in the background: "
            "202 with the job, whose download_url is filled in when it is done."
        ),
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="export",
        pagination_class=None,
        # The file is the view's own answer; errors and the job are JSON, whatever
        # the Accept header or a ``format`` parameter asks (content negotiation forced).
        renderer_classes=[JSONRenderer],
    )
    def export(self, request):
        file_format = request.query_params.get("file_format") or "xlsx"
        if file_format not in exports.FORMATS:
            raise ValidationError({"file_format": [_("Give xlsx or csv.")]})
        export = exports.get(self.export_name)
        if export is None or not export.may(request.user):
            raise NotFound()
        try:
            result = export_jobs.answer(request, export, file_format, request.query_params)
        except exports.FilterErrors as error:
            raise ValidationError(error.errors) from None
        if isinstance(result, ExportJob):
            data = ExportJobSerializer(result, context={"request": request}).data
            return Response(data, status=status.HTTP_202_ACCEPTED)
        return result


class ExportJobView(RetrieveAPIView):
    """A big export's progress; only its requester sees it (404 for anybody else)."""

    serializer_class = ExportJobSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ExportJob.objects.none()
        return ExportJob.objects.filter(user_id=self.request.user.pk)
