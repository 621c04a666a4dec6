"""The REST API of the customer archive. Reads go through selectors and
``crm.access``; writes call the services."""

from django import forms
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from core import workdays
from core.api.exports import ExportMixin
from core.api.input import validated
from core.api.pagination import BigTablePagination
from core.api.parsers import FormParser, MultiPartParser
from core.api.schema import BUSINESS_DATE
from core.business_dates import (
    BusinessDateSerializerField,
)
from core.models import CalendarDay
from crm import access, selectors, services
from crm.access import sees_all
from crm.api import serializers as s
from crm.filters import CustomerFilter, SalesFilter
from crm.models import Contact, Customer, Grade, Region, SalesImport, SalesRecord, User
from crm.sales_import import LISTED_ERRORS, SalesImportError, sales_import_for_user


class IsCrmAdmin(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and sees_all(request.user))


class ReadOrAdmin(permissions.BasePermission):
    """Everyone logged in reads; only admins write."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or sees_all(request.user)


class MeView(APIView):
    @extend_schema(responses=s.MeSerializer)
    def get(self, request):
        user = User.objects.select_related("region").get(pk=request.user.pk)
        return Response(s.MeSerializer(user).data)


class CustomerViewSet(
    ExportMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Customers the user may see. There is no delete: exited customers are kept."""

    export_name = "customers"

    filterset_class = CustomerFilter
    pagination_class = BigTablePagination
    ordering_fields = ["code", "name", "joined_on", "updated_at"]

    def get_queryset(self):
        queryset = Customer.objects.select_related("region", "manager", "grade").prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.order_by("id"))
        )
        return access.customer_scope(self.request.user, queryset).order_by("code")

    def get_serializer_class(self):
        if self.action == "create":
            return s.CustomerCreateSerializer
        if self.action in ("update", "partial_update"):
            return s.CustomerUpdateSerializer
        return s.CustomerSerializer

    # The filter set's sort keys (another is refused) and regions by code (the
    # schema said by id).
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "ordering",
                enum=[
                    f"{direction}{key}"
                    for key in CustomerFilter.base_filters["ordering"].param_map
                    for direction in ("", "-")
                ],
            ),
            OpenApiParameter("region", str, description="region code"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.CustomerCreateSerializer, responses={201: s.CustomerSerializer})
    def create(self, request, *args, **kwargs):
        if not access.can_create_customer(request.user):
            self.permission_denied(
                request, message=_("Only admins and regional managers create customers.")
            )
        return super().create(request, *args, **kwargs)

    @extend_schema(request=s.CustomerUpdateSerializer, responses=s.CustomerSerializer)
    def update(self, request, *args, **kwargs):
        customer = self.get_object()
        if not access.can_edit_customer(request.user, customer):
            self.permission_denied(request)
        return super().update(request, *args, **kwargs)

    @extend_schema(request=s.CustomerUpdateSerializer, responses=s.CustomerSerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def _supervised(self, request):
        customer = self.get_object()
        if not access.can_supervise_customer(request.user, customer):
            self.permission_denied(request)
        return customer

    def _respond(self, customer):
        customer = self.get_queryset().get(pk=customer.pk)
        return Response(s.CustomerSerializer(customer, context=self.get_serializer_context()).data)

    def _supervise(self, request, serializer_class, service):
        """A supervisor's step on the customer; the serializer's fields are the service's."""
        customer = self._supervised(request)
        data = validated(serializer_class, request)
        return self._respond(service(customer=customer, actor=request.user, **data))

    @extend_schema(request=s.ReassignSerializer, responses=s.CustomerSerializer)
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        return self._supervise(request, s.ReassignSerializer, services.customer_reassign)

    @extend_schema(request=s.GradeChangeSerializer, responses=s.CustomerSerializer)
    @action(detail=True, methods=["post"], url_path="grade")
    def change_grade(self, request, pk=None):
        return self._supervise(request, s.GradeChangeSerializer, services.customer_change_grade)

    @extend_schema(request=s.ExitSerializer, responses=s.CustomerSerializer)
    @action(detail=True, methods=["post"], url_path="exit")
    def exit_network(self, request, pk=None):
        return self._supervise(request, s.ExitSerializer, services.customer_exit_network)

    @extend_schema(request=s.RejoinSerializer, responses=s.CustomerSerializer)
    @action(detail=True, methods=["post"], url_path="rejoin")
    def rejoin_network(self, request, pk=None):
        return self._supervise(request, s.RejoinSerializer, services.customer_rejoin_network)


class ServiceWritesMixin:
    """A model viewset whose writes call the services the pages use.

    The serializer only reads the fields; ``<entity>_create``, ``_update`` and
    ``_delete`` of ``crm.services`` validate the whole row (as the page does),
    save it and audit the delete. The services are looked up when called.
    """

    entity = None  # "grade" → services.grade_create(…), grade_update(grade=…, …)
    keyword = None  # the instance's keyword in update and delete, when not ``entity``

    def _service(self, step):
        return getattr(services, f"{self.entity}_{step}")

    def perform_create(self, serializer):
        serializer.instance = self._service("create")(
            actor=self.request.user, data=serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = self._service("update")(
            **{self.keyword or self.entity: serializer.instance},
            actor=self.request.user,
            data=serializer.validated_data,
        )

    def perform_destroy(self, instance):
        self._service("delete")(**{self.keyword or self.entity: instance}, actor=self.request.user)


class GradeViewSet(ServiceWritesMixin, viewsets.ModelViewSet):
    """The grading scheme: everyone reads it, admins edit it."""

    queryset = Grade.objects.order_by("rank")
    serializer_class = s.GradeSerializer
    permission_classes = [ReadOrAdmin]
    pagination_class = None
    entity = "grade"


class RegionViewSet(ServiceWritesMixin, viewsets.ModelViewSet):
    queryset = Region.objects.order_by("code")
    serializer_class = s.RegionSerializer
    permission_classes = [ReadOrAdmin]
    entity = "region"


class UserFilter(filters.FilterSet):
    region = filters.CharFilter(field_name="region__code")
    # true or false; django-filter's own boolean read "null" or "unknown" as no filter.
    is_active = filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")], method="filter_is_active"
    )

    class Meta:
        model = User
        fields = ["role", "region", "is_active"]

    def filter_is_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "true")


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("is_active", {"type": "string", "enum": ["true", "false"]})]
    )
)
class UserViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Users, for admins only. Users are deactivated, never deleted."""

    queryset = User.objects.select_related("region").order_by("username")
    serializer_class = s.UserSerializer
    permission_classes = [IsCrmAdmin]
    filterset_class = UserFilter

    def get_serializer_class(self):
        return s.UserCreateSerializer if self.action == "create" else s.UserSerializer


class SalesViewSet(ExportMixin, viewsets.ReadOnlyModelViewSet):
    """Monthly sales of the customers the user may see."""

    export_name = "sales"

    serializer_class = s.SalesRecordSerializer
    filterset_class = SalesFilter
    pagination_class = BigTablePagination
    ordering_fields = ["month", "amount"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SalesRecord.objects.none()
        return selectors.sales_list(user=self.request.user)

    @extend_schema(
        request={"multipart/form-data": s.SalesImportRequestSerializer},
        responses={201: s.SalesImportResultSerializer, 202: s.SalesImportStatusSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_file(self, request):
        """Import a CSV/XLSX file: every row is checked; one bad row and nothing is imported.

        A large file is queued for the worker: 202 with the import's id and its
        status URL, which says when the rows are in (or which were wrong).
        """
        form = s.SalesImportRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            batch = services.sales_import_file(
                actor=request.user, upload=form.validated_data["file"]
            )
        except SalesImportError as exc:
            return Response(
                {
                    "detail": _("Nothing was imported: %(count)s rows have errors.")
                    % {"count": exc.count},
                    "errors": [
                        {"row": row, "message": message}
                        for row, message in exc.errors[:LISTED_ERRORS]
                    ],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        if batch.status == SalesImport.Status.QUEUED:
            data = s.SalesImportStatusSerializer(batch, context={"request": request}).data
            return Response(data, status=status.HTTP_202_ACCEPTED)
        return Response(s.SalesImportResultSerializer(batch).data, status=status.HTTP_201_CREATED)


class SalesImportStatusView(APIView):
    """Where an import stands: queued, running (rows checked of the total),
    done, or failed with the bad rows listed. Someone else's import is a 404."""

    @extend_schema(responses=s.SalesImportStatusSerializer)
    def get(self, request, pk):
        batch = sales_import_for_user(request.user, pk)
        return Response(s.SalesImportStatusSerializer(batch, context={"request": request}).data)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 9999})
class _YearFilter(filters.NumberFilter):
    # A whole year: a decimal like 0.0 or 1e9 made the year lookup fail with a 500.
    field_class = forms.IntegerField


class CalendarFilter(filters.FilterSet):
    year = _YearFilter(field_name="date", lookup_expr="year", min_value=1, max_value=9999)

    class Meta:
        model = CalendarDay
        fields = ["year", "kind"]


class CalendarViewSet(ServiceWritesMixin, viewsets.ModelViewSet):
    """Holidays and make-up working days; everyone reads, admins maintain."""

    queryset = CalendarDay.objects.order_by("date")
    serializer_class = s.CalendarDaySerializer
    permission_classes = [ReadOrAdmin]
    filterset_class = CalendarFilter
    entity = "calendar_day"
    keyword = "day"

    @extend_schema(
        parameters=[
            OpenApiParameter("date", BUSINESS_DATE, required=True),
            OpenApiParameter(
                "add",
                {"type": "integer", "minimum": 0, "maximum": 366},
                description="working days to add (default 0)",
            ),
        ],
        responses=s.WorkingDaySerializer,
    )
    @action(detail=False, methods=["get"], url_path="working-day")
    def working_day(self, request):
        """Whether a date is a working day, the next one on or after it, date + N working days."""
        query = _WorkingDayQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        day = query.validated_data["date"]
        add = query.validated_data.get("add", 0)
        return Response(
            s.WorkingDaySerializer(
                {
                    "date": day,
                    "is_working_day": workdays.is_working_day(day),
                    "next_working_day": workdays.next_working_day(day),
                    "plus_working_days": add,
                    "date_plus_working_days": workdays.add_working_days(day, add),
                }
            ).data
        )


class _WorkingDayQuery(serializers.Serializer):
    date = BusinessDateSerializerField()
    add = serializers.IntegerField(min_value=0, max_value=366, required=False)
