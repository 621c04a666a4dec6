"""Serializers of the visits API: they validate input and shape output; the
services do the work."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import EventSerializer, ProtectedFileField, UserNameField
from core.business_dates import BusinessDateSerializerField
from core.transitions import allowed
from crm import access as crm_access
from crm.api.serializers import UserSummarySerializer
from crm.models import Grade
from visits import access
from visits.models import (
    PlannedVisit,
    PriceViolation,
    PriceViolationEvent,
    PromotionReceipt,
    ScheduleChange,
    ScheduleComment,
    Signature,
    Suggestion,
    SuggestionEvent,
    UnlicensedReport,
    UnlicensedReportEvent,
    Visit,
    VisitEvent,
    VisitPhoto,
    WeeklySchedule,
    WorkLog,
    WorkLogComment,
)
from visits.services.visits import VISIT_CONTENT_FIELDS
from visits.transitions import (
    SCHEDULE_TRANSITIONS,
    SUGGESTION_TRANSITIONS,
    UNLICENSED_TRANSITIONS,
    VIOLATION_TRANSITIONS,
    VISIT_TRANSITIONS,
)


class StepsMixin(serializers.Serializer):
    """``steps``: what the requesting user may do next, the table's answer (as on the page)."""

    transitions = {}
    steps = serializers.SerializerMethodField(
        help_text="The steps the requesting user may take now (each is a POST action)."
    )

    def get_steps(self, obj) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        return list(allowed(self.transitions, request.user, obj))


def _workflow_event_serializer(event_model):
    """The event rows of a workflow: who, when, from, to, comment."""

    class Meta:
        model = event_model
        fields = ["action", "from_status", "to_status", "actor", "comment", "at"]
        read_only_fields = fields

    return type(
        f"{event_model.__name__}Serializer",
        (EventSerializer,),
        {"actor": UserNameField(nullable=False), "Meta": Meta, "__module__": __name__},
    )


def _one_row(serializer, transitions, event_serializer):
    """``serializer`` for one row's page: with its event rows and ``steps``."""

    class Meta(serializer.Meta):
        fields = [*serializer.Meta.fields, "events", "steps"]
        read_only_fields = fields

    return type(
        serializer.__name__.replace("Serializer", "DetailSerializer"),
        (StepsMixin, serializer),
        {
            "transitions": transitions,
            "events": event_serializer(many=True, read_only=True),
            "Meta": Meta,
            "__module__": __name__,
        },
    )


PriceViolationEventSerializer = _workflow_event_serializer(PriceViolationEvent)
UnlicensedReportEventSerializer = _workflow_event_serializer(UnlicensedReportEvent)
SuggestionEventSerializer = _workflow_event_serializer(SuggestionEvent)


@extend_schema_field(OpenApiTypes.INT)
class _UserScopedPK(serializers.PrimaryKeyRelatedField):
    """A reference limited to what the requesting user may see: others are "not found"."""

    def __init__(self, scope, **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.scope(self.context["request"].user)


def _own_customers(user):
    return crm_access.customer_scope(user)


def _own_planned_visits(user):
    return PlannedVisit.objects.filter(schedule__in=access.schedule_scope(user)).select_related(
        "schedule", "customer"
    )


# Not empty: an empty value is no signature (the schema allowed "").
@extend_schema_field({"type": "string", "minLength": 1})
class ImageInput(serializers.Field):
    """A PNG data URL (``data:image/png;base64,...``) or an uploaded file."""

    def to_internal_value(self, data):
        if isinstance(data, str) or hasattr(data, "read"):
            return data
        raise serializers.ValidationError(_("Send a PNG data URL or upload a file."))


class Coordinate(serializers.DecimalField):
    """Latitude or longitude; browsers give more decimals than are kept, so round."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=9, decimal_places=6, required=False, allow_null=True, **kwargs)

    def to_internal_value(self, data):
        try:
            data = Decimal(str(data).strip()).quantize(Decimal("0.000001"))
        except (InvalidOperation, ValueError):
            self.fail("invalid")
        return super().to_internal_value(data)


# Visits -------------------------------------------------------------------------------


class VisitListSerializer(serializers.ModelSerializer):
    customer_code = serializers.CharField(source="customer.code", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    customer_grade = serializers.CharField(
        source="customer.grade.code", read_only=True, default=None, allow_null=True
    )
    manager = UserSummarySerializer(read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "customer",
            "customer_code",
            "customer_name",
            "customer_grade",
            "manager",
            "planned_visit",
            "kind",
            "special_reason",
            "status",
            "arrived_at",
            "departed_at",
            "check_in",
            "distance_m",
            "price_violation",
            "revisit_on",
            "corrects",
        ]
        read_only_fields = fields


class SignatureSerializer(serializers.ModelSerializer):
    captured_by = UserNameField(nullable=False)
    image = ProtectedFileField(
        url_name="visits:signature_image",
        url_args=lambda signature: [signature.visit_id, signature.role],
        read_only=True,
    )

    class Meta:
        model = Signature
        fields = [
            "role",
            "signer_name",
            "signed_at",
            "received_at",
            "image",
            "image_sha256",
            "content_hash",
            "captured_by",
        ]
        read_only_fields = fields


class VisitPhotoSerializer(serializers.ModelSerializer):
    image = ProtectedFileField(
        url_name="visits:visit_photo", url_args=lambda photo: [photo.pk], read_only=True
    )

    class Meta:
        model = VisitPhoto
        fields = ["id", "stage", "image", "content_type", "size", "sha256", "uploaded_at"]
        read_only_fields = fields


class VisitPhotoAddSerializer(serializers.Serializer):
    """A photo of the display (multipart); scale it to at most 1600 px first."""

    stage = serializers.ChoiceField(choices=VisitPhoto.Stage.choices)
    photo = serializers.FileField()


class VisitEventSerializer(serializers.ModelSerializer):
    actor = UserNameField(nullable=False)

    class Meta:
        model = VisitEvent
        fields = ["action", "from_status", "to_status", "actor", "comment", "at"]
        read_only_fields = fields


class SuggestionSerializer(serializers.ModelSerializer):
    customer_code = serializers.CharField(source="customer.code", read_only=True)
    answered_by = UserNameField()

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "visit",
            "customer",
            "customer_code",
            "text",
            "due_on",
            "status",
            "answer",
            "answered_at",
            "answered_by",
            "created_at",
        ]
        read_only_fields = fields


SuggestionDetailSerializer = _one_row(
    SuggestionSerializer, SUGGESTION_TRANSITIONS, SuggestionEventSerializer
)


class VisitSerializer(StepsMixin, VisitListSerializer):
    transitions = VISIT_TRANSITIONS

    signatures = SignatureSerializer(many=True, read_only=True)
    photos = VisitPhotoSerializer(many=True, read_only=True)
    events = VisitEventSerializer(many=True, read_only=True)
    suggestions = SuggestionSerializer(many=True, read_only=True)
    corrections = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    is_locked = serializers.BooleanField(read_only=True)

    class Meta(VisitListSerializer.Meta):
        fields = [
            *VisitListSerializer.Meta.fields,
            *[f for f in VISIT_CONTENT_FIELDS if f not in VisitListSerializer.Meta.fields],
            "is_locked",
            "signatures",
            "photos",
            "suggestions",
            "corrections",
            "events",
            "steps",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class VisitStartSerializer(serializers.Serializer):
    planned_visit = _UserScopedPK(_own_planned_visits, required=False, allow_null=True)
    customer = _UserScopedPK(_own_customers, required=False, allow_null=True)
    special_reason = serializers.CharField(max_length=300, required=False, allow_blank=True)
    arrived_at = serializers.DateTimeField(required=False)
    latitude = Coordinate()
    longitude = Coordinate()

    def validate(self, attrs):
        if attrs.get("planned_visit") and attrs.get("customer"):
            raise serializers.ValidationError(
                {"customer": [_("Give a planned visit or, for a special visit, a customer.")]}
            )
        if not attrs.get("planned_visit") and not attrs.get("customer"):
            raise serializers.ValidationError(
                {"planned_visit": [_("Give a planned visit or, for a special visit, a customer.")]}
            )
        return attrs


class VisitContentSerializer(serializers.ModelSerializer):
    """The fields the manager fills in while the visit is open; all optional."""

    latitude = Coordinate()
    longitude = Coordinate()

    class Meta:
        model = Visit
        fields = list(VISIT_CONTENT_FIELDS)
        extra_kwargs = {name: {"required": False} for name in VISIT_CONTENT_FIELDS}


# The record's content that "end" and "sign" take along (the position is end's own).
CARRIED_FIELDS = [f for f in VISIT_CONTENT_FIELDS if f not in ("latitude", "longitude")]


class VisitCarriedContentSerializer(VisitContentSerializer):
    """The record's content not yet saved, sent with "end" or "sign" (all optional):
    saved first, in the same step, with the checks of a save."""

    latitude = None
    longitude = None

    class Meta(VisitContentSerializer.Meta):
        fields = CARRIED_FIELDS
        extra_kwargs = {name: {"required": False} for name in CARRIED_FIELDS}


class VisitEndSerializer(serializers.Serializer):
    departed_at = serializers.DateTimeField(required=False)
    latitude = Coordinate()
    longitude = Coordinate()


class VisitLocateSerializer(serializers.Serializer):
    """ "This shop is here": the phone's position now; without it, the visit's arrival position."""

    latitude = Coordinate()
    longitude = Coordinate()


class VisitSignSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Signature.Role.choices)
    signer_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    image = ImageInput(help_text=_("PNG data URL or uploaded PNG file"))
    signed_at = serializers.DateTimeField(
        required=False, help_text=_("The phone's time of signing (offline); default: now.")
    )


class VisitCorrectSerializer(VisitContentSerializer):
    reason = serializers.CharField(max_length=500)

    class Meta(VisitContentSerializer.Meta):
        fields = [*VisitContentSerializer.Meta.fields, "reason"]


class VerifySerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField())


class SuggestionCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)


class SuggestionAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=2000)


# Schedules ----------------------------------------------------------------------------


class ScheduleListSerializer(serializers.ModelSerializer):
    manager = UserSummarySerializer(read_only=True)
    entry_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = WeeklySchedule
        fields = [
            "id",
            "manager",
            "week_start",
            "status",
            "proposed_by_job",
            "created_at",
            "submitted_at",
            "entry_count",
        ]
        read_only_fields = fields


class PlannedVisitSerializer(serializers.ModelSerializer):
    customer_code = serializers.CharField(source="customer.code", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    customer_grade = serializers.CharField(
        source="customer.grade.code", read_only=True, default=None, allow_null=True
    )
    is_overdue = serializers.BooleanField(read_only=True)
    visit = serializers.SerializerMethodField()

    class Meta:
        model = PlannedVisit
        fields = [
            "id",
            "customer",
            "customer_code",
            "customer_name",
            "customer_grade",
            "planned_date",
            "due_date",
            "is_overdue",
            "note",
            "visit",
        ]
        read_only_fields = fields

    def get_visit(self, entry) -> dict | None:
        visit = getattr(entry, "visit", None)
        return {"id": visit.pk, "status": visit.status} if visit else None


class ScheduleChangeSerializer(serializers.ModelSerializer):
    # Null for a change of the whole week (no one customer).
    customer_code = serializers.CharField(
        source="customer.code", read_only=True, default=None, allow_null=True
    )
    actor = UserNameField(nullable=False)

    class Meta:
        model = ScheduleChange
        fields = ["action", "customer", "customer_code", "old_date", "new_date", "actor", "at"]
        read_only_fields = fields


class ScheduleCommentSerializer(serializers.ModelSerializer):
    author = UserNameField(nullable=False)

    class Meta:
        model = ScheduleComment
        fields = ["id", "author", "text", "created_at"]
        read_only_fields = fields


class ScheduleSerializer(StepsMixin, ScheduleListSerializer):
    transitions = SCHEDULE_TRANSITIONS

    entries = PlannedVisitSerializer(many=True, read_only=True)
    changes = ScheduleChangeSerializer(many=True, read_only=True)
    comments = ScheduleCommentSerializer(many=True, read_only=True)

    class Meta(ScheduleListSerializer.Meta):
        fields = [f for f in ScheduleListSerializer.Meta.fields if f != "entry_count"] + [
            "entries",
            "changes",
            "comments",
            "steps",
        ]
        read_only_fields = fields


class ProposeSerializer(serializers.Serializer):
    week_start = BusinessDateSerializerField(help_text=_("The Monday of the week."))


class EntryAddSerializer(serializers.Serializer):
    customer = _UserScopedPK(_own_customers)
    planned_date = BusinessDateSerializerField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class EntryMoveSerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    planned_date = BusinessDateSerializerField()


class EntryRemoveSerializer(serializers.Serializer):
    entry = serializers.IntegerField()


class CommentSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)


class GradeCoverageSerializer(serializers.Serializer):
    grade = serializers.CharField()
    due = serializers.IntegerField()
    planned = serializers.IntegerField()
    planned_due = serializers.IntegerField()


class RegionWeekSerializer(serializers.Serializer):
    manager = UserSummarySerializer()
    schedule = serializers.SerializerMethodField()
    coverage = GradeCoverageSerializer(many=True)

    def get_schedule(self, row) -> dict | None:
        schedule = row.schedule
        if schedule is None:
            return None
        return {
            "id": schedule.pk,
            "status": schedule.status,
            "entry_count": getattr(schedule, "entry_count", None),
            "submitted_at": schedule.submitted_at,
        }


class RegionWeekQuerySerializer(serializers.Serializer):
    week_start = BusinessDateSerializerField()
    region = serializers.CharField(required=False)


# Price violations, promotions, unlicensed reports, work logs --------------------------


class PriceViolationSerializer(serializers.ModelSerializer):
    customer_code = serializers.CharField(source="customer.code", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    customer_grade = serializers.CharField(
        source="customer.grade.code", read_only=True, default=None, allow_null=True
    )
    visit_date = serializers.DateTimeField(source="visit.arrived_at", read_only=True)
    reported_by = UserNameField(source="visit.manager", nullable=False)
    decided_by = UserNameField()

    class Meta:
        model = PriceViolation
        fields = [
            "id",
            "visit",
            "visit_date",
            "reported_by",
            "customer",
            "customer_code",
            "customer_name",
            "customer_grade",
            "note",
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
            "created_at",
        ]
        read_only_fields = fields


PriceViolationDetailSerializer = _one_row(
    PriceViolationSerializer, VIOLATION_TRANSITIONS, PriceViolationEventSerializer
)


class DowngradeSerializer(serializers.Serializer):
    grade = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Grade.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("The new grade; one grade lower when omitted."),
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class DismissSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500)


class PromotionReceiptSerializer(serializers.ModelSerializer):
    customer = _UserScopedPK(_own_customers)
    customer_code = serializers.CharField(source="customer.code", read_only=True)
    manager = UserSummarySerializer(read_only=True)
    signature = ImageInput(write_only=True)
    signature_url = ProtectedFileField(
        source="signature",
        url_name="visits:promotion_signature",
        url_args=lambda receipt: [receipt.pk],
        read_only=True,
    )

    class Meta:
        model = PromotionReceipt
        fields = [
            "id",
            "customer",
            "customer_code",
            "manager",
            "item",
            "quantity",
            "signer_name",
            "signature",
            "signature_url",
            "signature_sha256",
            "handed_at",
        ]
        read_only_fields = ["id", "manager", "signature_sha256", "handed_at"]


class UnlicensedReportSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    reporter = UserSummarySerializer(read_only=True)
    forwarded_by = UserNameField()
    photo = ProtectedFileField(
        url_name="visits:unlicensed_photo",
        url_args=lambda report: [report.pk],
        required=False,
        allow_null=True,
    )

    class Meta:
        model = UnlicensedReport
        fields = [
            "id",
            "region",
            "reporter",
            "address",
            "latitude",
            "longitude",
            "description",
            "photo",
            "status",
            "forwarded_at",
            "forwarded_by",
            "forward_note",
            "outcome",
            "outcome_on",
            "closed_at",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "region",
            "reporter",
            "status",
            "forwarded_at",
            "forwarded_by",
            "forward_note",
            "outcome",
            "outcome_on",
            "closed_at",
            "created_at",
        ]


UnlicensedReportDetailSerializer = _one_row(
    UnlicensedReportSerializer, UNLICENSED_TRANSITIONS, UnlicensedReportEventSerializer
)


class UnlicensedReportTextSerializer(UnlicensedReportSerializer):
    """A report without its photo: what a JSON or form body can carry (schema only)."""

    class Meta(UnlicensedReportSerializer.Meta):
        fields = [f for f in UnlicensedReportSerializer.Meta.fields if f != "photo"]


class ForwardSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=4000)
    outcome_on = serializers.DateField(
        required=False, allow_null=True, help_text="The day of the outcome; today if omitted."
    )


class WorkLogCommentSerializer(serializers.ModelSerializer):
    author = UserNameField(nullable=False)

    class Meta:
        model = WorkLogComment
        fields = ["id", "author", "text", "created_at"]
        read_only_fields = fields


class WorkLogListSerializer(serializers.ModelSerializer):
    author = UserSummarySerializer(read_only=True)
    comment_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = WorkLog
        fields = ["id", "author", "kind", "day", "content", "comment_count", "updated_at"]
        read_only_fields = fields


class WorkLogSerializer(serializers.ModelSerializer):
    author = UserSummarySerializer(read_only=True)
    comments = WorkLogCommentSerializer(many=True, read_only=True)
    previous = serializers.SerializerMethodField()
    next = serializers.SerializerMethodField()

    class Meta:
        model = WorkLog
        fields = [
            "id",
            "author",
            "kind",
            "day",
            "content",
            "comments",
            "previous",
            "next",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "author", "comments", "created_at", "updated_at"]

    def get_previous(self, log) -> int | None:
        return self.context.get("neighbours", (None, None))[0]

    def get_next(self, log) -> int | None:
        return self.context.get("neighbours", (None, None))[1]


# Today --------------------------------------------------------------------------------


class _CustomerDueSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    grade = serializers.CharField()
    due_date = serializers.DateField()


def customer_due_rows(rows):
    return [
        {
            "id": c.pk,
            "code": c.code,
            "name": c.name,
            "grade": c.grade.code,
            "due_date": due,
        }
        for c, due in rows
    ]


class TodaySerializer(serializers.Serializer):
    day = serializers.DateField()
    plan = PlannedVisitSerializer(many=True)
    due_today = _CustomerDueSerializer(many=True)
    overdue = _CustomerDueSerializer(many=True)
    revisits_due = VisitListSerializer(many=True)
    revisits_overdue = VisitListSerializer(many=True)
    suggestions = SuggestionSerializer(many=True)
    in_progress = VisitListSerializer(many=True)
