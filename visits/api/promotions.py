"""API of promotional-material receipts, under /api/visits/promotions/."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.exports import ExportMixin
from core.api.input import validated
from core.web import pdf_response
from crm.access import works_customers
from visits import selectors
from visits import serializers as s
from visits.api.common import PARSERS
from visits.filters import PromotionFilter
from visits.models import (
    PromotionReceipt,
)
from visits.services import promotions


class PromotionViewSet(
    ExportMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Promotional materials handed out (宣传促销品签收单), signed by the customer."""

    export_name = "promotions"

    serializer_class = s.PromotionReceiptSerializer
    parser_classes = PARSERS
    filterset_class = PromotionFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PromotionReceipt.objects.none()
        # Filtered by the page's PromotionFilter (filterset_class): a bad value is a 400.
        return selectors.promotion_list(user=self.request.user)

    def create(self, request, *args, **kwargs):
        if not works_customers(request.user):
            self.permission_denied(request, message=_("Only customer managers hand out items."))
        data = validated(s.PromotionReceiptSerializer, request)
        receipt = promotions.promotion_record(actor=request.user, **data)
        receipt = self.get_queryset().get(pk=receipt.pk)
        return Response(
            s.PromotionReceiptSerializer(receipt, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        """The printable receipt, the same file as the page's."""
        from visits.pdf import promotion_document

        return pdf_response(promotion_document(receipt=self.get_object()))
