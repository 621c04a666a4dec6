"""The REST API of the satisfaction app, under /api/satisfaction/.

The same selectors, access rules and services as the pages: someone else's
answer, sampled customer or measures answers 404; a step the user may not take
403; a round closed meanwhile or a customer who already answered 409; invalid
input 400 with field messages.
"""

from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core import months
from core.api.exports import ExportMixin
from core.api.fields import StrictBooleanField, StrictCharField
from core.api.input import validated
from core.api.parsers import JSONParser
from core.api.schema import BUSINESS_MONTH, error
from core.business_dates import parse_month
from core.transitions import allowed
from crm.models import Customer, Region, User
from satisfaction import access, selectors, services
from satisfaction.filters import AnswerFilter, MeasureFilter, RoundFilter
from satisfaction.models import (
    Answer,
    AnswerItem,
    Measure,
    Question,
    Questionnaire,
    Round,
    RoundCustomer,
)
from satisfaction.transitions import MEASURE_TRANSITIONS, ROUND_TRANSITIONS


@extend_schema_field(BUSINESS_MONTH)
class MonthField(serializers.CharField):
    """A month as YYYY-MM within the business range (documented with its pattern)."""


class CustomerRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class TakesPart:
    """Whoever has a part in satisfaction (every CRM role); others 403."""

    def check_permissions(self, request):
        super().check_permissions(request)
        if access.index_subjects(request.user) is None:
            self.permission_denied(request)


# Questionnaires ---------------------------------------------------------------------------


class QuestionSerializer(serializers.ModelSerializer):
    required = StrictBooleanField(required=False, default=True)

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
    }

    class Meta:
        model = Question
        fields = ["id", "position", "kind", "text", "options", "weight", "required"]
        read_only_fields = ["id", "position"]


class QuestionnaireSerializer(serializers.ModelSerializer):
    version = serializers.SerializerMethodField()
    questions = serializers.SerializerMethodField()

    class Meta:
        model = Questionnaire
        fields = ["id", "name", "description", "is_active", "version", "questions"]

    def get_version(self, questionnaire) -> int:
        return questionnaire.current_version().number

    def get_questions(self, questionnaire) -> QuestionSerializer(many=True):
        return QuestionSerializer(questionnaire.current_version().questions.all(), many=True).data


class QuestionnaireWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    is_active = StrictBooleanField(required=False, default=True)
    questions = QuestionSerializer(many=True)


class QuestionnaireViewSet(
    TakesPart,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Questionnaires: everyone taking part reads them; the admin writes them. Changing
    the questions of a version a round was launched on makes a new version."""

    # A JSON body: the questions (answers' values) are a list (a mapping) no form can carry.
    parser_classes = [JSONParser]
    serializer_class = QuestionnaireSerializer
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        return Questionnaire.objects.prefetch_related("versions").order_by("name", "pk")

    def _data(self, request):
        data = validated(QuestionnaireWriteSerializer, request)
        data["questions"] = [dict(question) for question in data["questions"]]
        return data

    @extend_schema(request=QuestionnaireWriteSerializer, responses={201: QuestionnaireSerializer})
    def create(self, request, *args, **kwargs):
        data = self._data(request)
        data.pop("is_active", None)
        questionnaire = services.questionnaire_create(actor=request.user, **data)
        return Response(QuestionnaireSerializer(questionnaire).data, status=201)

    @extend_schema(request=QuestionnaireWriteSerializer, responses=QuestionnaireSerializer)
    def update(self, request, *args, **kwargs):
        questionnaire = self.get_object()
        questionnaire = services.questionnaire_edit(
            questionnaire=questionnaire, actor=request.user, **self._data(request)
        )
        return Response(QuestionnaireSerializer(questionnaire).data)


# Rounds -----------------------------------------------------------------------------------


class RoundSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    questionnaire = serializers.CharField(source="version.questionnaire.name", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    month = serializers.SerializerMethodField()
    launched_by = serializers.CharField(source="launched_by.username", read_only=True)
    steps = serializers.SerializerMethodField(
        help_text="What the requesting user may do now: answer (POST /api/satisfaction/answers/), "
        "close (POST …/close/)."
    )

    class Meta:
        model = Round
        fields = [
            "id",
            "month",
            "region",
            "questionnaire",
            "version",
            "sample",
            "per_grade",
            "status",
            "launched_by",
            "launched_at",
            "closed_at",
            "steps",
        ]
        read_only_fields = fields

    def get_month(self, round) -> str:
        return months.month_key(round.month)

    def get_steps(self, round) -> list[str]:
        return list(allowed(ROUND_TRANSITIONS, self.context["request"].user, round))


class LaunchSerializer(serializers.Serializer):
    questionnaire = serializers.PrimaryKeyRelatedField(
        queryset=Questionnaire.objects.filter(is_active=True)
    )
    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(),
        allow_null=True,
        required=False,
        default=None,
        help_text="None: every region (the service centre and admins only).",
    )
    month = MonthField()
    sample = serializers.ChoiceField(choices=Round.Sample.choices, default=Round.Sample.ALL)
    per_grade = serializers.IntegerField(
        min_value=1, max_value=10000, required=False, allow_null=True
    )

    def validate_month(self, value):
        from django.core.exceptions import ValidationError

        try:
            return parse_month(value)
        except ValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class SampledSerializer(serializers.ModelSerializer):
    customer = serializers.SerializerMethodField()
    manager = serializers.CharField(source="manager.username", read_only=True, allow_null=True)
    answer = serializers.SerializerMethodField()

    class Meta:
        model = RoundCustomer
        fields = ["id", "customer", "manager", "answer"]
        read_only_fields = fields

    @extend_schema_field(CustomerRefSerializer)
    def get_customer(self, row):
        return {"id": row.customer_id, "code": row.customer.code, "name": row.customer.name}

    def get_answer(self, row) -> int | None:
        answer = getattr(row, "answer", None)
        return answer.pk if answer else None


class RoundViewSet(
    TakesPart,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Measurement rounds (测评): launched for a region (or all) and a month over a
    sample; answers while open; closing asks each manager for their measures."""

    serializer_class = RoundSerializer
    filterset_class = RoundFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Round.objects.none()
        return selectors.round_list(user=self.request.user)

    def get_object(self):
        return selectors.round_detail(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=LaunchSerializer, responses={201: RoundSerializer})
    def create(self, request, *args, **kwargs):
        if not access.may_launch(request.user):
            raise PermissionDenied
        data = validated(LaunchSerializer, request)
        round = services.round_launch(actor=request.user, **data)
        return Response(
            RoundSerializer(round, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses=RoundSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        round = services.round_close(round=self.get_object(), actor=request.user)
        return Response(RoundSerializer(round, context={"request": request}).data)

    @extend_schema(responses=SampledSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], filterset_class=None)
    def sample(self, request, pk=None):
        """The round's customers the user may see, each with its answer's id (or null)."""
        round = self.get_object()
        page = self.paginate_queryset(selectors.round_sample_rows(user=request.user, round=round))
        selectors.attach_answers(round, page)
        return self.get_paginated_response(SampledSerializer(page, many=True).data)


# Answers ----------------------------------------------------------------------------------


class AnswerItemSerializer(serializers.ModelSerializer):
    question = serializers.CharField(source="question.text")

    class Meta:
        model = AnswerItem
        fields = ["question", "score", "choice", "text"]


class AnswerSerializer(serializers.ModelSerializer):
    customer = serializers.SerializerMethodField()
    recorded_by = serializers.CharField(source="recorded_by.username")
    manager = serializers.CharField(source="manager.username", allow_null=True)
    month = serializers.SerializerMethodField()

    class Meta:
        model = Answer
        fields = [
            "id",
            "round",
            "customer",
            "month",
            "manager",
            "channel",
            "recorded_by",
            "recorded_at",
            "index",
            "comment",
        ]
        read_only_fields = fields

    @extend_schema_field(CustomerRefSerializer)
    def get_customer(self, answer):
        return {
            "id": answer.customer_id,
            "code": answer.customer.code,
            "name": answer.customer.name,
        }

    def get_month(self, answer) -> str:
        return months.month_key(answer.month)


class AnswerDetailSerializer(AnswerSerializer):
    items = AnswerItemSerializer(many=True, read_only=True)
    version = serializers.IntegerField(source="version.number")

    class Meta(AnswerSerializer.Meta):
        fields = [*AnswerSerializer.Meta.fields, "version", "items"]
        read_only_fields = fields


class AnswerCreateSerializer(serializers.Serializer):
    round = serializers.IntegerField(min_value=1)
    customer = serializers.IntegerField(min_value=1)
    values = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=2000),
        help_text="Question id → value: a score 1–5, one of a single choice's options, or text.",
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class AnswerViewSet(
    ExportMixin,
    TakesPart,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Answers: recorded by the service centre, or by the customer's manager on their
    phone (``channel`` via_manager). One per customer per round: another is a 409."""

    export_name = "satisfaction-answers"
    filterset_class = AnswerFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Answer.objects.none()
        return selectors.answer_list(user=self.request.user)

    def get_object(self):
        return selectors.answer_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get_serializer_class(self):
        if self.action == "create":
            return AnswerCreateSerializer
        return AnswerDetailSerializer if self.action == "retrieve" else AnswerSerializer

    @extend_schema(
        request=AnswerCreateSerializer,
        responses={
            201: AnswerDetailSerializer,
            404: error("No such round, or not one the user may see."),
        },
    )
    def create(self, request, *args, **kwargs):
        data = validated(AnswerCreateSerializer, request)
        round = selectors.round_detail(user=request.user, pk=data["round"])
        sampled = access.sample_scope(request.user, round.sample_rows.all()).filter(
            customer_id=data["customer"]
        )
        customer = Customer.objects.filter(pk__in=sampled.values("customer_id")).first()
        if customer is None:
            raise serializers.ValidationError(
                {"customer": [_("This customer is not in the round's sample.")]}
            )
        values = {}
        for key, value in data["values"].items():
            if not str(key).isdigit():
                raise serializers.ValidationError({"values": [_("Keys are question ids.")]})
            values[int(key)] = value
        answer = services.answer_record(
            round=round,
            customer=customer,
            actor=request.user,
            values=values,
            comment=data.get("comment", ""),
        )
        answer = selectors.answer_detail(user=request.user, pk=answer.pk)
        return Response(AnswerDetailSerializer(answer).data, status=status.HTTP_201_CREATED)


# Measures ---------------------------------------------------------------------------------


class MeasureSerializer(serializers.ModelSerializer):
    manager = serializers.CharField(source="manager.username")
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    month = serializers.SerializerMethodField()
    commented_by = serializers.CharField(
        source="commented_by.username", allow_null=True, default=None
    )
    steps = serializers.SerializerMethodField(
        help_text="What the requesting user may do now: write, comment (POST actions)."
    )

    class Meta:
        model = Measure
        fields = [
            "id",
            "round",
            "month",
            "manager",
            "region",
            "status",
            "analysis",
            "measures",
            "written_at",
            "comment",
            "commented_by",
            "commented_at",
            "steps",
        ]
        read_only_fields = fields

    def get_month(self, measure) -> str:
        return months.month_key(measure.round.month)

    def get_steps(self, measure) -> list[str]:
        return list(allowed(MEASURE_TRANSITIONS, self.context["request"].user, measure))


class MeasureWriteSerializer(serializers.Serializer):
    analysis = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    measures = serializers.CharField(max_length=5000)


class MeasureCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=5000)


class MeasureViewSet(
    TakesPart, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """A manager's analysis and measures after a round closed; the regional manager
    comments."""

    # A JSON body: the questions (answers' values) are a list (a mapping) no form can carry.
    parser_classes = [JSONParser]
    serializer_class = MeasureSerializer
    filterset_class = MeasureFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Measure.objects.none()
        return selectors.measure_list(user=self.request.user)

    def get_object(self):
        return selectors.measure_detail(user=self.request.user, pk=self.kwargs["pk"])

    def _respond(self, measure):
        measure = selectors.measure_detail(user=self.request.user, pk=measure.pk)
        return Response(MeasureSerializer(measure, context={"request": self.request}).data)

    @extend_schema(request=MeasureWriteSerializer, responses=MeasureSerializer)
    @action(detail=True, methods=["post"])
    def write(self, request, pk=None):
        measure = self.get_object()
        data = validated(MeasureWriteSerializer, request)
        return self._respond(
            services.measure_write(
                measure=measure,
                actor=request.user,
                analysis=data.get("analysis", ""),
                measures=data["measures"],
            )
        )

    @extend_schema(request=MeasureCommentSerializer, responses=MeasureSerializer)
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        measure = self.get_object()
        data = validated(MeasureCommentSerializer, request)
        return self._respond(
            services.measure_comment(measure=measure, actor=request.user, comment=data["comment"])
        )


# The index --------------------------------------------------------------------------------


class IndexValueSerializer(serializers.Serializer):
    value = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        allow_null=True,
        help_text="0–100; null under the minimum number of answers.",
    )
    answers = serializers.IntegerField()
    minimum = serializers.IntegerField()


class IndexTrendPointSerializer(IndexValueSerializer):
    month = serializers.CharField()


class LowestQuestionSerializer(serializers.Serializer):
    question = serializers.CharField()
    mean = serializers.DecimalField(max_digits=4, decimal_places=2)
    answers = serializers.IntegerField()


class IndexBreakdownSerializer(IndexValueSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class IndexSerializer(serializers.Serializer):
    month = serializers.CharField()
    manager = serializers.IntegerField(allow_null=True)
    region = serializers.IntegerField(allow_null=True)
    index = IndexValueSerializer()
    trend = IndexTrendPointSerializer(many=True)
    lowest = LowestQuestionSerializer(many=True)
    breakdown = IndexBreakdownSerializer(
        many=True, help_text="Every region (no region or manager asked) or the region's managers."
    )


class IndexQuerySerializer(serializers.Serializer):
    month = MonthField(required=False)
    region = serializers.IntegerField(min_value=1, required=False)
    manager = serializers.IntegerField(min_value=1, required=False)

    def validate_month(self, value):
        from django.core.exceptions import ValidationError

        try:
            return parse_month(value)
        except ValidationError as error:
            raise serializers.ValidationError(error.messages) from None


def _value(index):
    return {"value": index.value, "answers": index.answers, "minimum": index.minimum}


class IndexView(TakesPart, APIView):
    """The satisfaction index (documented in ``satisfaction.selectors``) of a manager, a
    region or every region: the month's value, 13 months' trend, the lowest-scoring
    questions and the breakdown. A manager reads their own, a regional manager their
    region's, the service centre and admins all; another's is 404."""

    @extend_schema(
        parameters=[IndexQuerySerializer],
        responses={
            200: IndexSerializer,
            404: error("No such manager or region, or not one the user may see."),
        },
    )
    def get(self, request):
        query = IndexQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        user = request.user
        subjects = access.index_subjects(user)
        manager_id = query.validated_data.get("manager")
        region_id = query.validated_data.get("region")
        manager = None
        if subjects["manager_id"] is not None:
            manager_id = manager_id or user.pk
        if manager_id is not None:
            manager = User.objects.filter(pk=manager_id, role=User.Role.MANAGER).first()
            if manager is None or not access.may_read_index(user, manager=manager):
                raise Http404
            region_id = None
        elif not subjects["every_region"]:
            region_id = region_id or subjects["region_id"]
            if not access.may_read_index(user, region_id=region_id):
                raise Http404
        scope = {"manager_id": manager_id, "region_id": region_id}
        month = query.validated_data.get("month") or selectors.latest_month(**scope)
        month = month or months.month_start(timezone.localdate())
        trend = selectors.index_trend(month=month, **scope)
        breakdown = []
        if manager_id is None:
            by = "region" if region_id is None else "manager"
            values = selectors.index_by(month=month, by=by, region_id=region_id)
            model = Region if by == "region" else User
            names = {
                obj.pk: str(obj.name if by == "region" else obj)
                for obj in model.objects.filter(pk__in=values)
            }
            breakdown = [
                {"id": key, "name": names[key], **_value(value)} for key, value in values.items()
            ]
        data = {
            "month": months.month_key(month),
            "manager": manager_id,
            "region": region_id,
            "index": _value(trend[-1][1]),
            "trend": [
                {"month": months.month_key(point), **_value(value)} for point, value in trend
            ],
            "lowest": selectors.lowest_questions(month=month, **scope),
            "breakdown": breakdown,
        }
        return Response(IndexSerializer(data).data)
