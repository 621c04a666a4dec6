"""API of visit records, under /api/visits/records/."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.exports import ExportMixin
from core.api.input import validated
from core.api.pagination import KeysFirstPagination
from core.api.parsers import MultiPartParser
from core.web import pdf_response
from visits import access, selectors
from visits import serializers as s
from visits.api.common import PARSERS
from visits.filters import VisitFilter
from visits.models import (
    Visit,
)
from visits.pdf import visit_document
from visits.services import photos as photo_services
from visits.services import suggestions
from visits.services import visits as visit_services


class VisitViewSet(
    ExportMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Visit records (走访签到记录): start, fill in, end, sign, correct, print.

    There is no delete: records are kept, and a locked record changes only by a
    linked correction.
    """

    export_name = "visits"

    parser_classes = PARSERS
    pagination_class = KeysFirstPagination
    ordering_fields = ["arrived_at"]
    filterset_class = VisitFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Visit.objects.none()
        if self.action == "list":
            # Filtered by the page's VisitFilter (filterset_class): a bad value is a 400.
            return selectors.visit_list(user=self.request.user).qs
        return access.visit_scope(self.request.user, selectors.visit_detail_queryset())

    def get_serializer_class(self):
        return s.VisitListSerializer if self.action == "list" else s.VisitSerializer

    def _respond(self, visit, code=status.HTTP_200_OK):
        visit = selectors.visit_detail_queryset().get(pk=visit.pk)
        return Response(s.VisitSerializer(visit, context={"request": self.request}).data, code)

    @extend_schema(request=s.VisitStartSerializer, responses={201: s.VisitSerializer})
    def create(self, request):
        """Start a visit on arrival: a planned visit, or a special visit with its reason."""
        data = validated(s.VisitStartSerializer, request)
        visit = visit_services.visit_start(actor=request.user, **data)
        return self._respond(visit, status.HTTP_201_CREATED)

    @extend_schema(request=s.VisitContentSerializer, responses=s.VisitSerializer)
    def partial_update(self, request, pk=None):
        """Fill in the checklist and the rest while the visit is open."""
        visit = self.get_object()
        data = validated(s.VisitContentSerializer, request, partial=True)
        visit = visit_services.visit_update(visit=visit, actor=request.user, data=data)
        return self._respond(visit)

    @extend_schema(request=s.VisitContentSerializer, responses=s.VisitSerializer)
    def update(self, request, pk=None):
        return self.partial_update(request, pk)

    def _carried(self, request):
        """The record's content sent along with "end" or "sign" (None when there is none)."""
        content = validated(s.VisitCarriedContentSerializer, request, partial=True)
        return dict(content) or None

    @extend_schema(request=s.VisitEndSerializer, responses=s.VisitSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """Record the departure. The record's fields sent along (as in PATCH) are saved
        first, in the same step: a bad value ends nothing."""
        visit = self.get_object()
        data = validated(s.VisitEndSerializer, request)
        content = self._carried(request)
        visit = visit_services.visit_end(visit=visit, actor=request.user, data=content, **data)
        return self._respond(visit)

    @extend_schema(
        request={"multipart/form-data": s.VisitPhotoAddSerializer},
        responses={201: s.VisitSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def photos(self, request, pk=None):
        """Add a photo of the display (checklist d), before or after; while the record is open."""
        visit = self.get_object()
        data = validated(s.VisitPhotoAddSerializer, request)
        photo_services.visit_photo_add(
            visit=visit, actor=request.user, stage=data["stage"], upload=data["photo"]
        )
        return self._respond(visit, status.HTTP_201_CREATED)

    @extend_schema(request=s.VisitLocateSerializer, responses=s.VisitSerializer)
    @action(detail=True, methods=["post"])
    def locate(self, request, pk=None):
        """Record the shop's location during the visit (kept in the customer's location
        history); the visit's own check-in stays as it was decided at arrival."""
        visit = self.get_object()
        data = validated(s.VisitLocateSerializer, request)
        visit_services.visit_locate_shop(visit=visit, actor=request.user, **data)
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
        """The manager signs, then the customer; the customer's signature locks the record.
        The record's fields sent along with the manager's signature (as in PATCH) are
        saved first, in the same step: a bad value signs nothing."""
        visit = self.get_object()
        data = validated(s.VisitSignSerializer, request)
        content = self._carried(request)
        visit = visit_services.visit_sign(
            visit=visit,
            actor=request.user,
            role=data["role"],
            image=data["image"],
            signer_name=data.get("signer_name", ""),
            data=content,
            signed_at=data.get("signed_at"),
        )
        return self._respond(visit)

    @extend_schema(request=s.VisitCorrectSerializer, responses={201: s.VisitSerializer})
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        """A correction of a locked record: a new record linked to it, to be signed again."""
        visit = self.get_object()
        data = dict(validated(s.VisitCorrectSerializer, request, partial=True))
        reason = data.pop("reason", "")
        correction = visit_services.visit_correct(
            visit=visit, actor=request.user, data=data, reason=reason
        )
        return self._respond(correction, status.HTTP_201_CREATED)

    @extend_schema(request=s.SuggestionCreateSerializer, responses={201: s.SuggestionSerializer})
    @action(detail=True, methods=["post"])
    def suggestions(self, request, pk=None):
        """Record a customer suggestion; it is due for an answer in 3 working days."""
        visit = self.get_object()
        data = validated(s.SuggestionCreateSerializer, request)
        suggestion = suggestions.suggestion_add(visit=visit, actor=request.user, text=data["text"])
        return Response(s.SuggestionSerializer(suggestion).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.VerifySerializer)
    @action(detail=True, methods=["get"])
    def verify(self, request, pk=None):
        """Whether the stored signatures still match the record (tamper check)."""
        ok, problems = visit_services.visit_verify(visit=self.get_object())
        return Response({"ok": ok, "problems": [str(p) for p in problems]})

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        return pdf_response(visit_document(visit=self.get_object()))
