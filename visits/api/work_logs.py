"""API of work logs, under /api/visits/work-logs/."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from crm.access import works_customers
from visits import access, selectors
from visits import serializers as s
from visits.api.common import ID_PARAM, _id_param, _validated
from visits.models import (
    WorkLog,
)
from visits.services import work_logs


class WorkLogViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Daily logs and weekly summaries (工作日志); supervisors read and comment.

    Posting a log for a day that already has one rewrites it (the author's only).
    """

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WorkLog.objects.none()
        params = self.request.query_params
        author = _id_param(self.request, "author") if self.action == "list" else None
        kind = params.get("kind") if params.get("kind") in WorkLog.Kind.values else None
        return selectors.work_log_list(user=self.request.user, author=author, kind=kind)

    def get_serializer_class(self):
        return s.WorkLogListSerializer if self.action == "list" else s.WorkLogSerializer

    def _respond(self, log, code=status.HTTP_200_OK):
        log = selectors.work_log_detail(user=self.request.user, pk=log.pk)
        neighbours = selectors.work_log_neighbours(user=self.request.user, log=log)
        return Response(s.WorkLogSerializer(log, context={"neighbours": neighbours}).data, code)

    @extend_schema(
        parameters=[
            OpenApiParameter("author", ID_PARAM),
            OpenApiParameter("kind", str),
        ],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, pk=None):
        return self._respond(selectors.work_log_detail(user=request.user, pk=pk))

    def create(self, request, *args, **kwargs):
        if not works_customers(request.user):
            self.permission_denied(request, message=_("Only customer managers write work logs."))
        data = _validated(s.WorkLogSerializer, request)
        log = work_logs.work_log_write(actor=request.user, **data)
        return self._respond(log, status.HTTP_201_CREATED)

    @extend_schema(request=s.CommentSerializer, responses={201: s.WorkLogSerializer})
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        log = selectors.work_log_detail(user=request.user, pk=pk)
        if not access.can_comment_work_log(request.user, log):
            self.permission_denied(request, message=_("Only the author's supervisors comment."))
        data = _validated(s.CommentSerializer, request)
        work_logs.work_log_comment(log=log, actor=request.user, text=data["text"])
        return self._respond(log, status.HTTP_201_CREATED)
