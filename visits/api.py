"""The REST API of the visits app, under /api/visits/. Reads go through the
selectors and ``visits.access``; writes call the services.

Someone else's record answers 404, a record one may see but not change 403,
a transition from the wrong state (a locked record, signing out of order) 409
with the reason, invalid input 400 with field messages.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from crm import audit, business_dates
from crm.access import sees_all, works_customers
from crm.api.pagination import KeysFirstPagination
from crm.api.parsers import FormParser, JSONParser, MultiPartParser
from crm.api.schema import BUSINESS_DATE, error
from crm.models import Region
from visits import access, selectors, services
from visits import serializers as s
from visits.models import (
    PlannedVisit,
    PriceViolation,
    PromotionReceipt,
    Suggestion,
    UnlicensedReport,
    Visit,
    WeeklySchedule,
    WorkLog,
)
from visits.pdf import visit_pdf

PARSERS = [JSONParser, MultiPartParser, FormParser]

# The largest id the database holds (a bigint); larger ones overflowed the query.
ID_MAX = 2**63 - 1
ID_PARAM = {"type": "integer", "minimum": 0, "maximum": ID_MAX}


def _validated(serializer_class, request, **kwargs):
    serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class VisitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Visit records (走访签到记录): start, fill in, end, sign, correct, print.

    There is no delete: records are kept, and a locked record changes only by a
    linked correction.
    """

    parser_classes = PARSERS
    pagination_class = KeysFirstPagination
    ordering_fields = ["arrived_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Visit.objects.none()
        if self.action == "list":
            # Checked first: "?manager=null" or a date like "x" reached the query as is (500).
            params = {k: v for k, v in self.request.query_params.items() if v != ""}
            query = s.VisitListQuerySerializer(data=params)
            query.is_valid(raise_exception=True)
            return selectors.visit_list(user=self.request.user, filters=query.validated_data)
        return access.visit_scope(self.request.user, selectors.visit_detail_queryset())

    def get_serializer_class(self):
        return s.VisitListSerializer if self.action == "list" else s.VisitSerializer

    def _respond(self, visit, code=status.HTTP_200_OK):
        visit = selectors.visit_detail_queryset().get(pk=visit.pk)
        return Response(s.VisitSerializer(visit, context={"request": self.request}).data, code)

    # The filters as the query serializer checks them: choices, ranges, dates.
    @extend_schema(parameters=[s.VisitListQuerySerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.VisitStartSerializer, responses={201: s.VisitSerializer})
    def create(self, request):
        """Start a visit on arrival: a planned visit, or a special visit with its reason."""
        data = _validated(s.VisitStartSerializer, request)
        visit = services.visit_start(actor=request.user, **data)
        return self._respond(visit, status.HTTP_201_CREATED)

    @extend_schema(request=s.VisitContentSerializer, responses=s.VisitSerializer)
    def partial_update(self, request, pk=None):
        """Fill in the checklist and the rest while the visit is open."""
        visit = self.get_object()
        data = _validated(s.VisitContentSerializer, request, partial=True)
        visit = services.visit_update(visit=visit, actor=request.user, data=data)
        return self._respond(visit)

    @extend_schema(request=s.VisitContentSerializer, responses=s.VisitSerializer)
    def update(self, request, pk=None):
        return self.partial_update(request, pk)

    @extend_schema(request=s.VisitEndSerializer, responses=s.VisitSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        visit = self.get_object()
        data = _validated(s.VisitEndSerializer, request)
        visit = services.visit_end(visit=visit, actor=request.user, **data)
        return self._respond(visit)

    @extend_schema(
        request={
            "application/json": s.VisitSignSerializer,
            "multipart/form-data": s.VisitSignSerializer,
        },
        responses=s.VisitSerializer,
    )
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """The manager signs, then the customer; the customer's signature locks the record."""
        visit = self.get_object()
        data = _validated(s.VisitSignSerializer, request)
        visit = services.visit_sign(
            visit=visit,
            actor=request.user,
            role=data["role"],
            image=data["image"],
            signer_name=data.get("signer_name", ""),
        )
        return self._respond(visit)

    @extend_schema(request=s.VisitCorrectSerializer, responses={201: s.VisitSerializer})
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        """A correction of a locked record: a new record linked to it, to be signed again."""
        visit = self.get_object()
        data = dict(_validated(s.VisitCorrectSerializer, request, partial=True))
        reason = data.pop("reason", "")
        correction = services.visit_correct(
            visit=visit, actor=request.user, data=data, reason=reason
        )
        return self._respond(correction, status.HTTP_201_CREATED)

    @extend_schema(request=s.SuggestionCreateSerializer, responses={201: s.SuggestionSerializer})
    @action(detail=True, methods=["post"])
    def suggestions(self, request, pk=None):
        """Record a customer suggestion; it is due for an answer in 3 working days."""
        visit = self.get_object()
        data = _validated(s.SuggestionCreateSerializer, request)
        suggestion = services.suggestion_add(visit=visit, actor=request.user, text=data["text"])
        return Response(s.SuggestionSerializer(suggestion).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.VerifySerializer)
    @action(detail=True, methods=["get"])
    def verify(self, request, pk=None):
        """Whether the stored signatures still match the record (tamper check)."""
        ok, problems = services.visit_verify(visit=self.get_object())
        return Response({"ok": ok, "problems": [str(p) for p in problems]})

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        visit = self.get_object()
        data = visit_pdf(visit=visit)
        audit.record("pdf", obj=visit, summary=str(visit))
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="visit-{visit.pk}.pdf"'
        return response


class ScheduleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Weekly schedules (客户访问日程表): propose, adjust, submit; regional managers comment."""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WeeklySchedule.objects.none()
        if self.action == "list":
            params = self.request.query_params
            return selectors.schedule_list(
                user=self.request.user,
                week_start=_date_param(params.get("week_start")),
                manager=_id_param(self.request, "manager"),
            )
        return access.schedule_scope(self.request.user, selectors.schedule_detail_queryset())

    def get_serializer_class(self):
        return s.ScheduleListSerializer if self.action == "list" else s.ScheduleSerializer

    def _respond(self, schedule, code=status.HTTP_200_OK):
        schedule = selectors.schedule_detail_queryset().get(pk=schedule.pk)
        return Response(s.ScheduleSerializer(schedule).data, status=code)

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
        parameters=[
            OpenApiParameter("week_start", BUSINESS_DATE),
            OpenApiParameter("manager", ID_PARAM),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=s.ProposeSerializer,
        responses={201: s.ScheduleSerializer, 200: s.ScheduleSerializer},
    )
    @action(detail=False, methods=["post"])
    def propose(self, request):
        """The week's schedule proposed from grade intervals; the existing one if there is one."""
        if not works_customers(request.user):
            self.permission_denied(request, message=_("Only customer managers plan visits."))
        data = _validated(s.ProposeSerializer, request)
        schedule, created = services.schedule_propose(
            manager=request.user, week_start=data["week_start"]
        )
        return self._respond(schedule, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=s.EntryAddSerializer, responses={201: s.ScheduleSerializer})
    @action(detail=True, methods=["post"])
    def add(self, request, pk=None):
        schedule = self._own()
        data = _validated(s.EntryAddSerializer, request)
        services.schedule_add_visit(schedule=schedule, actor=request.user, **data)
        return self._respond(schedule, status.HTTP_201_CREATED)

    @extend_schema(request=s.EntryMoveSerializer, responses=s.ScheduleSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        schedule = self._own()
        data = _validated(s.EntryMoveSerializer, request)
        entry = self._entry(schedule, data["entry"])
        services.schedule_move_visit(
            entry=entry, actor=request.user, planned_date=data["planned_date"]
        )
        return self._respond(schedule)

    @extend_schema(request=s.EntryRemoveSerializer, responses=s.ScheduleSerializer)
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        schedule = self._own()
        data = _validated(s.EntryRemoveSerializer, request)
        services.schedule_remove_visit(
            entry=self._entry(schedule, data["entry"]), actor=request.user
        )
        return self._respond(schedule)

    @extend_schema(request=None, responses=s.ScheduleSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        schedule = self._own()
        services.schedule_submit(schedule=schedule, actor=request.user)
        return self._respond(schedule)

    @extend_schema(request=s.CommentSerializer, responses={201: s.ScheduleSerializer})
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        schedule = self.get_object()
        if not access.can_comment_schedule(request.user, schedule):
            self.permission_denied(request, message=_("Only the regional manager comments."))
        data = _validated(s.CommentSerializer, request)
        services.schedule_comment(schedule=schedule, actor=request.user, text=data["text"])
        return self._respond(schedule, status.HTTP_201_CREATED)

    @extend_schema(
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


def _id_param(request, name):
    """An id from the query: None when absent; anything but digits is a 400.

    Such values were ignored, so "?customer=x" listed everything, as if the
    filter had been applied and matched all.
    """
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    if not (value.isascii() and value.isdigit()) or int(value) > ID_MAX:
        raise serializers.ValidationError(
            {name: [serializers.IntegerField.default_error_messages["invalid"]]}
        )
    return value


def _date_param(value):
    try:
        return business_dates.parse_date(value)
    except DjangoValidationError as exc:
        raise serializers.ValidationError({"week_start": exc.messages}) from None


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
        return selectors.suggestion_list(user=self.request.user, open_only=open_only)

    @extend_schema(
        parameters=[
            OpenApiParameter("open", {"type": "string", "enum": ["true", "false", "1", "0"]})
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.SuggestionAnswerSerializer, responses=s.SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        suggestion = self.get_object()
        data = _validated(s.SuggestionAnswerSerializer, request)
        suggestion = services.suggestion_answer(
            suggestion=suggestion, actor=request.user, answer=data["answer"]
        )
        return Response(s.SuggestionSerializer(suggestion).data)


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
        return selectors.violation_list(user=self.request.user, status=wanted)

    def _decidable(self):
        violation = self.get_object()
        if not access.can_decide_violation(self.request.user, violation):
            self.permission_denied(
                self.request, message=_("Only the customer's regional manager decides.")
            )
        return violation

    def _respond(self, violation):
        violation = selectors.violation_list(user=self.request.user).get(pk=violation.pk)
        return Response(s.PriceViolationSerializer(violation).data)

    @extend_schema(parameters=[OpenApiParameter("status", str)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.DowngradeSerializer, responses=s.PriceViolationSerializer)
    @action(detail=True, methods=["post"])
    def downgrade(self, request, pk=None):
        violation = self._decidable()
        data = _validated(s.DowngradeSerializer, request)
        violation = services.price_violation_downgrade(
            violation=violation,
            actor=request.user,
            grade=data.get("grade"),
            note=data.get("note", ""),
        )
        return self._respond(violation)

    @extend_schema(request=s.DismissSerializer, responses=s.PriceViolationSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        violation = self._decidable()
        data = _validated(s.DismissSerializer, request)
        violation = services.price_violation_dismiss(
            violation=violation, actor=request.user, note=data["note"]
        )
        return self._respond(violation)


class PromotionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Promotional materials handed out (宣传促销品签收单), signed by the customer."""

    serializer_class = s.PromotionReceiptSerializer
    parser_classes = PARSERS

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PromotionReceipt.objects.none()
        customer = _id_param(self.request, "customer") if self.action == "list" else None
        return selectors.promotion_list(user=self.request.user, customer=customer)

    @extend_schema(parameters=[OpenApiParameter("customer", ID_PARAM)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        if not works_customers(request.user):
            self.permission_denied(request, message=_("Only customer managers hand out items."))
        data = _validated(s.PromotionReceiptSerializer, request)
        receipt = services.promotion_record(actor=request.user, **data)
        receipt = self.get_queryset().get(pk=receipt.pk)
        return Response(
            s.PromotionReceiptSerializer(receipt, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class UnlicensedViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Unlicensed operation (无证经营): reported by managers, forwarded and closed by the
    regional manager."""

    serializer_class = s.UnlicensedReportSerializer
    parser_classes = PARSERS

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return UnlicensedReport.objects.none()
        wanted = self.request.query_params.get("status")
        wanted = wanted if wanted in UnlicensedReport.Status.values else None
        return selectors.unlicensed_list(user=self.request.user, status=wanted)

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
        data = _validated(s.UnlicensedReportSerializer, request)
        report = services.unlicensed_report(actor=request.user, **data)
        return Response(
            s.UnlicensedReportSerializer(report, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    def _handled(self):
        report = self.get_object()
        if not access.can_handle_unlicensed(self.request.user, report):
            self.permission_denied(self.request, message=_("Only the regional manager handles it."))
        return report

    @extend_schema(request=s.ForwardSerializer, responses=s.UnlicensedReportSerializer)
    @action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        report = self._handled()
        data = _validated(s.ForwardSerializer, request)
        report = services.unlicensed_forward(
            report=report, actor=request.user, note=data.get("note", "")
        )
        return Response(s.UnlicensedReportSerializer(report, context={"request": request}).data)

    @extend_schema(request=s.OutcomeSerializer, responses=s.UnlicensedReportSerializer)
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        report = self._handled()
        data = _validated(s.OutcomeSerializer, request)
        report = services.unlicensed_record_outcome(
            report=report, actor=request.user, outcome=data["outcome"]
        )
        return Response(s.UnlicensedReportSerializer(report, context={"request": request}).data)


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
        log = services.work_log_write(actor=request.user, **data)
        return self._respond(log, status.HTTP_201_CREATED)

    @extend_schema(request=s.CommentSerializer, responses={201: s.WorkLogSerializer})
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        log = selectors.work_log_detail(user=request.user, pk=pk)
        if not access.can_comment_work_log(request.user, log):
            self.permission_denied(request, message=_("Only the author's supervisors comment."))
        data = _validated(s.CommentSerializer, request)
        services.work_log_comment(log=log, actor=request.user, text=data["text"])
        return self._respond(log, status.HTTP_201_CREATED)


class TodayView(APIView):
    """The manager's day: today's plan, who is due, what is late."""

    @extend_schema(responses=s.TodaySerializer)
    def get(self, request):
        today = selectors.manager_today(user=request.user)
        return Response(
            s.TodaySerializer(
                {
                    "day": today.day,
                    "plan": today.plan,
                    "due_today": s.customer_due_rows(today.due_today),
                    "overdue": s.customer_due_rows(today.overdue),
                    "revisits_due": today.revisits_due,
                    "revisits_overdue": today.revisits_overdue,
                    "suggestions": today.suggestions,
                    "in_progress": today.in_progress,
                }
            ).data
        )


router = SimpleRouter()
router.register("schedules", ScheduleViewSet, basename="visits-schedule")
router.register("records", VisitViewSet, basename="visits-record")
router.register("suggestions", SuggestionViewSet, basename="visits-suggestion")
router.register("price-violations", PriceViolationViewSet, basename="visits-violation")
router.register("promotions", PromotionViewSet, basename="visits-promotion")
router.register("unlicensed", UnlicensedViewSet, basename="visits-unlicensed")
router.register("work-logs", WorkLogViewSet, basename="visits-worklog")
