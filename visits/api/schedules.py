"""API of weekly schedules, under /api/visits/schedules/."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.exports import ExportMixin
from core.api.input import validated
from core.api.schema import BUSINESS_DATE, error
from crm.access import sees_all, works_customers
from crm.models import Region
from visits import access, selectors
from visits import serializers as s
from visits.filters import ScheduleFilter
from visits.models import (
    PlannedVisit,
    WeeklySchedule,
)
from visits.services import schedules


class ScheduleViewSet(
    ExportMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Weekly schedules (客户访问日程表): propose, adjust, submit; regional managers comment."""

    export_name = "schedules"

    filterset_class = ScheduleFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WeeklySchedule.objects.none()
        if self.action == "list":
            # Filtered by ScheduleFilter (filterset_class): a bad value is a 400.
            return selectors.schedule_list(user=self.request.user)
        return access.schedule_scope(self.request.user, selectors.schedule_detail_queryset())

    def get_serializer_class(self):
        return s.ScheduleListSerializer if self.action == "list" else s.ScheduleSerializer

    def _respond(self, schedule, code=status.HTTP_200_OK):
        schedule = selectors.schedule_detail_queryset().get(pk=schedule.pk)
        return Response(
            s.ScheduleSerializer(schedule, context={"request": self.request}).data, status=code
        )

    def _own(self):
        schedule = self.get_object()
        if not access.can_edit_schedule(self.request.user, schedule):
            self.permission_denied(self.request, message=_("Only the schedule's manager edits it."))
        return schedule

    def _entry(self, schedule, entry_id):
        try:
            return PlannedVisit.objects.select_related("schedule", "customer").get(
                pk=entry_id, schedule=schedule
            )
        except PlannedVisit.DoesNotExist:
            raise serializers.ValidationError(
                {"entry": [_("No such planned visit in this schedule.")]}
            ) from None

    @extend_schema(
        request=s.ProposeSerializer,
        responses={201: s.ScheduleSerializer, 200: s.ScheduleSerializer},
    )
    @action(detail=False, methods=["post"])
    def propose(self, request):
        """The week's schedule proposed from grade intervals; the existing one if there is one."""
        if not works_customers(request.user):
            self.permission_denied(request, message=_("Only customer managers plan visits."))
        data = validated(s.ProposeSerializer, request)
        schedule, created = schedules.schedule_propose(
            manager=request.user, week_start=data["week_start"]
        )
        return self._respond(schedule, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=s.EntryAddSerializer, responses={201: s.ScheduleSerializer})
    @action(detail=True, methods=["post"])
    def add(self, request, pk=None):
        schedule = self._own()
        data = validated(s.EntryAddSerializer, request)
        schedules.schedule_add_visit(schedule=schedule, actor=request.user, **data)
        return self._respond(schedule, status.HTTP_201_CREATED)

    @extend_schema(request=s.EntryMoveSerializer, responses=s.ScheduleSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        schedule = self._own()
        data = validated(s.EntryMoveSerializer, request)
        entry = self._entry(schedule, data["entry"])
        schedules.schedule_move_visit(
            entry=entry, actor=request.user, planned_date=data["planned_date"]
        )
        return self._respond(schedule)

    @extend_schema(request=s.EntryRemoveSerializer, responses=s.ScheduleSerializer)
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        schedule = self._own()
        data = validated(s.EntryRemoveSerializer, request)
        schedules.schedule_remove_visit(
            entry=self._entry(schedule, data["entry"]), actor=request.user
        )
        return self._respond(schedule)

    @extend_schema(request=None, responses=s.ScheduleSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        schedule = self._own()
        schedules.schedule_submit(schedule=schedule, actor=request.user)
        return self._respond(schedule)

    @extend_schema(request=s.CommentSerializer, responses={201: s.ScheduleSerializer})
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        schedule = self.get_object()
        if not access.can_comment_schedule(request.user, schedule):
            self.permission_denied(request, message=_("Only the regional manager comments."))
        data = validated(s.CommentSerializer, request)
        schedules.schedule_comment(schedule=schedule, actor=request.user, text=data["text"])
        return self._respond(schedule, status.HTTP_201_CREATED)

    # Its own query, not the list's ScheduleFilter.
    @extend_schema(
        filters=False,
        parameters=[
            OpenApiParameter("week_start", BUSINESS_DATE, required=True),
            OpenApiParameter("region", str, description="region code (admins)"),
        ],
        responses={
            200: s.RegionWeekSerializer(many=True),
            404: error("No region with this code (admins)."),
        },
    )
    # A plain list, one row per manager: not paged (the schema said it was).
    @action(detail=False, methods=["get"], pagination_class=None)
    def region(self, request):
        """Every manager of the region with the week's schedule and coverage by grade."""
        query = s.RegionWeekQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        region = None
        if query.validated_data.get("region") and sees_all(request.user):
            region = get_object_or_404(Region, code=query.validated_data["region"])
        rows = selectors.region_schedules(
            user=request.user, week_start=query.validated_data["week_start"], region=region
        )
        return Response(s.RegionWeekSerializer(rows, many=True).data)
