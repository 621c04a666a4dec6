"""API of work logs, under /api/visits/work-logs/."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.exports import ExportMixin
from core.api.input import validated
from crm.access import works_customers
from visits import access, selectors
from visits import serializers as s
from visits.filters import WorkLogFilter
from visits.models import (
    WorkLog,
)
from visits.services import work_logs


class WorkLogViewSet(
    ExportMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Daily logs and weekly summaries (工作日志); supervisors read and comment.

    Posting a log for a day that already has one rewrites it (the author's only).
    """

    export_name = "work-logs"

    filterset_class = WorkLogFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WorkLog.objects.none()
        # Filtered by the page's WorkLogFilter (filterset_class): a bad value is a 400.
        return selectors.work_log_list(user=self.request.user)

    def get_serializer_class(self):
        return s.WorkLogListSerializer if self.action == "list" else s.WorkLogSerializer

    def _respond(self, log, code=status.HTTP_200_OK):
        log = selectors.work_log_detail(user=self.request.user, pk=log.pk)
        neighbours = selectors.work_log_neighbours(user=self.request.user, log=log)
        return Response(s.WorkLogSerializer(log, context={"neighbours": neighbours}).data, code)

    def retrieve(self, request, pk=None):
        return self._respond(selectors.work_log_detail(user=request.user, pk=pk))

    def create(self, request, *args, **kwargs):
        if not works_customers(request.user):
            self.permission_denied(request, message=_("Only customer managers write work logs."))
        data = validated(s.WorkLogSerializer, request)
        log = work_logs.work_log_write(actor=request.user, **data)
        return self._respond(log, status.HTTP_201_CREATED)

    @extend_schema(request=s.CommentSerializer, responses={201: s.WorkLogSerializer})
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        log = selectors.work_log_detail(user=request.user, pk=pk)
        if not access.can_comment_work_log(request.user, log):
            self.permission_denied(request, message=_("Only the author's supervisors comment."))
        data = validated(s.CommentSerializer, request)
        work_logs.work_log_comment(log=log, actor=request.user, text=data["text"])
        return self._respond(log, status.HTTP_201_CREATED)
