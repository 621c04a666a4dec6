"""API of promotional-material receipts, under /api/visits/promotions/."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from crm.access import works_customers
from visits import selectors
from visits import serializers as s
from visits.api.common import ID_PARAM, PARSERS, _id_param, _validated
from visits.models import (
    PromotionReceipt,
)
from visits.services import promotions


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
        receipt = promotions.promotion_record(actor=request.user, **data)
        receipt = self.get_queryset().get(pk=receipt.pk)
        return Response(
            s.PromotionReceiptSerializer(receipt, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )
