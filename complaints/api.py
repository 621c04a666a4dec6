"""The REST API of the complaints app, under /api/complaints/.

Reads go through the selectors and ``complaints.access``; writes call the
services. Someone else's complaint answers 404, a step the user may not take
403, a step the state no longer allows 409 with the reason, invalid input 400
with field messages.
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from complaints import access, selectors, services
from complaints.filters import ComplaintFilter
from complaints.models import Complaint, ComplaintEvent, ComplaintPhoto, ComplaintSignature
from complaints.pdf import complaint_document
from complaints.transitions import TRANSITIONS
from core.api.exports import ExportMixin
from core.api.fields import EventSerializer as BaseEventSerializer
from core.api.fields import ProtectedFileField
from core.api.input import validated
from core.api.parsers import FormParser, JSONParser, MultiPartParser
from core.business_dates import BusinessDateSerializerField
from core.transitions import allowed
from core.web import pdf_response
from crm.access import customer_scope, works_customers
from crm.models import Customer


class ComplaintSignatureSerializer(serializers.ModelSerializer):
    url = ProtectedFileField(
        source="image",
        url_name="complaints:signature",
        url_args=lambda signature: [signature.pk],
        read_only=True,
    )

    class Meta:
        model = ComplaintSignature
        fields = ["id", "role", "signer_name", "signed_at", "sha256", "url"]


class ComplaintPhotoSerializer(serializers.ModelSerializer):
    url = ProtectedFileField(
        source="image",
        url_name="complaints:photo",
        url_args=lambda photo: [photo.pk],
        read_only=True,
    )

    class Meta:
        model = ComplaintPhoto
        fields = ["id", "content_type", "size", "uploaded_at", "url"]


class EventSerializer(BaseEventSerializer):
    actor = serializers.CharField(source="actor.username")

    class Meta:
        model = ComplaintEvent
        fields = ["action", "from_status", "to_status", "actor", "at", "comment", "due_on"]


class ComplaintSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    customer_code = serializers.CharField(source="customer.code", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "number",
            "customer",
            "customer_code",
            "customer_name",
            "kind",
            "product",
            "batch_number",
            "quantity",
            "unit",
            "problem",
            "reported_on",
            "status",
            "due_on",
            "overdue",
            "cause",
            "inspected_at",
            "submitted_at",
            "decided_by",
            "decided_at",
            "decision_comment",
            "exchange_product",
            "exchange_quantity",
            "exchanged_on",
            "result",
            "closed_at",
            "created_at",
        ]
        read_only_fields = fields


class ComplaintDetailSerializer(ComplaintSerializer):
    # Null until the complaint is inspected, and until the exchange is signed for.
    inspection_signature = ComplaintSignatureSerializer(read_only=True, allow_null=True)
    receipt_signature = ComplaintSignatureSerializer(read_only=True, allow_null=True)
    photos = ComplaintPhotoSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)
    steps = serializers.SerializerMethodField(
        help_text="The steps the requesting user may take now: photo, inspect, correct, "
        "submit, approve, reject, exchange, close (each is a POST action; photo is /photos/)."
    )

    class Meta(ComplaintSerializer.Meta):
        fields = [
            *ComplaintSerializer.Meta.fields,
            "inspection_signature",
            "receipt_signature",
            "photos",
            "events",
            "steps",
        ]
        read_only_fields = fields

    def get_steps(self, complaint) -> list[str]:
        # The table's answer, the same the detail page shows its buttons from.
        return list(allowed(TRANSITIONS, self.context["request"].user, complaint))


class OpenSerializer(serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.none())
    kind = serializers.ChoiceField(choices=Complaint.Kind.choices, default=Complaint.Kind.GOODS)
    product = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    batch_number = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    quantity = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    problem = serializers.CharField()
    reported_on = BusinessDateSerializerField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Customers the user cannot see are "does not exist", as everywhere.
            self.fields["customer"].queryset = customer_scope(request.user)


class SignedSerializer(serializers.Serializer):
    signature = serializers.CharField(help_text="PNG data URL of the customer's signature.")
    signer_name = serializers.CharField(max_length=100)


class InspectSerializer(SignedSerializer):
    cause = serializers.CharField()


class CorrectSerializer(serializers.Serializer):
    """A correction after a rejection: the product, its batch and the quantity as they are."""

    product = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    batch_number = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    quantity = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )


class ComplaintCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ExchangeSerializer(SignedSerializer):
    exchange_product = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    exchange_quantity = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    exchanged_on = BusinessDateSerializerField()


class CloseSerializer(serializers.Serializer):
    result = serializers.CharField()


class PhotoUploadSerializer(serializers.Serializer):
    photo = serializers.FileField()


class ComplaintViewSet(
    ExportMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Quality complaints (商品及服务质量信息反馈单). Every step is a POST action;
    there is no update or delete: the trail is kept."""

    export_name = "complaints"

    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_class = ComplaintFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Complaint.objects.none()
        if self.action == "list":
            # Filtered by the page's ComplaintFilter (filterset_class): a bad value is a 400.
            return selectors.complaint_list(user=self.request.user).qs
        return Complaint.objects.none()

    def get_object(self):
        return selectors.complaint_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get_serializer_class(self):
        if self.action == "list":
            return ComplaintSerializer
        if self.action == "create":
            return OpenSerializer
        return ComplaintDetailSerializer

    def _respond(self, complaint, code=status.HTTP_200_OK):
        complaint = selectors.complaint_detail(user=self.request.user, pk=complaint.pk)
        return Response(
            ComplaintDetailSerializer(complaint, context={"request": self.request}).data,
            status=code,
        )

    @extend_schema(request=OpenSerializer, responses={201: ComplaintDetailSerializer})
    def create(self, request, *args, **kwargs):
        if not works_customers(request.user):
            self.permission_denied(request, message=_("Only customer managers open complaints."))
        data = validated(OpenSerializer, request)
        complaint = services.complaint_open(actor=request.user, **data)
        return self._respond(complaint, status.HTTP_201_CREATED)

    # A file comes only in a multipart upload (a plain form cannot carry one).
    @extend_schema(
        request={"multipart/form-data": PhotoUploadSerializer},
        responses={201: ComplaintPhotoSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def photos(self, request, pk=None):
        complaint = access.complaint_for_user(request.user, pk)
        data = validated(PhotoUploadSerializer, request)
        photo = services.complaint_add_photo(
            complaint=complaint, actor=request.user, upload=data["photo"]
        )
        return Response(
            ComplaintPhotoSerializer(photo, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    def _step(self, request, pk, serializer_class, service):
        complaint = access.complaint_for_user(request.user, pk)
        data = validated(serializer_class, request)
        complaint = service(complaint=complaint, actor=request.user, **data)
        return self._respond(complaint)

    @extend_schema(request=InspectSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def inspect(self, request, pk=None):
        return self._step(request, pk, InspectSerializer, services.complaint_inspect)

    @extend_schema(request=CorrectSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        return self._step(request, pk, CorrectSerializer, services.complaint_correct)

    @extend_schema(request=ComplaintCommentSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(request, pk, ComplaintCommentSerializer, services.complaint_submit)

    @extend_schema(request=ComplaintCommentSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(request, pk, ComplaintCommentSerializer, services.complaint_approve)

    @extend_schema(request=RejectSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._step(request, pk, RejectSerializer, services.complaint_reject)

    @extend_schema(request=ExchangeSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def exchange(self, request, pk=None):
        return self._step(request, pk, ExchangeSerializer, services.complaint_record_exchange)

    @extend_schema(request=CloseSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._step(request, pk, CloseSerializer, services.complaint_close)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        return pdf_response(complaint_document(self.get_object()))
