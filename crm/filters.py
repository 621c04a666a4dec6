"""Filters for the customer list, shared by the browser page and the API; ``IdFilter``
for every list filtered by a row's id."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from core.api.schema import BUSINESS_MONTH
from core.business_dates import BusinessMonthFormField, parse_date
from core.ordering import found_rows_order
from crm import access
from crm.models import Customer, Grade, Region, SalesRecord, User

# The largest id the database holds (a bigint); larger ones overflowed the query.
ID_MAX = 2**63 - 1


class _IdField(forms.IntegerField):
    def to_python(self, value):
        # ASCII digits only: int() also reads "١" or "𝟏", a second spelling of an id.
        if value not in self.empty_values and not (str(value).isascii() and str(value).isdigit()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": ID_MAX})
class IdFilter(django_filters.NumberFilter):
    """A row's id: ASCII digits from 1 (``1.5``, ``x``, ``١`` or ``1e99`` are refused,
    not a 500 and not a filter matching everything)."""

    field_class = _IdField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


class CustomerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search", help_text=_("Name, code or licence number")
    )
    grade = django_filters.ModelMultipleChoiceFilter(
        label=_("Grade"),
        field_name="grade__code",
        to_field_name="code",
        queryset=Grade.objects.all(),
        # A customer has one grade: no duplicate rows to remove, so no DISTINCT
        # (which would make PostgreSQL sort the whole filtered set).
        distinct=False,
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        field_name="region",
        to_field_name="code",
        queryset=Region.objects.all(),
    )
    manager = django_filters.ModelChoiceFilter(
        label=_("Customer manager"),
        queryset=User.objects.filter(role=User.Role.MANAGER),
    )
    # The empty choice's label is given here: django-filter's choice field
    # turns its choices into a list as it is made, so a label set later
    # never reaches the select (it read "---------").
    network_status = django_filters.ChoiceFilter(
        label=_("Network status"), choices=Customer.NetworkStatus.choices, empty_label=_("All")
    )
    customer_type = django_filters.ChoiceFilter(
        label=_("Customer type"), choices=Customer.Type.choices, empty_label=_("All")
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("code", "code"),
            ("name", "name"),
            ("grade__rank", "grade"),
            ("region__code", "region"),
            ("manager__username", "manager"),
            ("joined_on", "joined_on"),
        ),
        field_labels={
            "code": _("Code"),
            "name": _("Name"),
            "grade__rank": _("Grade"),
            "region__code": _("Region"),
            "manager__username": _("Manager"),
            "joined_on": _("Joined on"),
        },
    )

    class Meta:
        model = Customer
        fields = ["q", "grade", "region", "manager", "network_status", "customer_type"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self.filters["manager"].queryset = access.manager_filter_choices(user, self.data)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        found = queryset.filter(
            Q(name__icontains=value) | Q(code__icontains=value) | Q(licence_number__icontains=value)
        )
        if len(value) < 3:
            # Too short for the trigram indexes: it matches many rows, which
            # the walk along the code index meets soon.
            return found
        # The matches come from the trigram indexes; sorting them beats walking
        # the code index for them (core.ordering). A chosen column still wins:
        # the ordering filter runs after this one.
        return found.order_by(found_rows_order("code"))


class _MonthOrDayField(BusinessMonthFormField):
    """A month as YYYY-MM (the page's month input), or any day of it as YYYY-MM-DD."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as month_error:
            try:
                return parse_date(value).replace(day=1)
            except ValidationError as day_error:
                # A day out of the range says so; anything else is no month at all.
                codes = {error.code for error in day_error.error_list}
                raise (month_error if "invalid" in codes else day_error) from None


# Documented as a month (YYYY-MM); a day of it (YYYY-MM-DD) is read as its month too.
@extend_schema_field(BUSINESS_MONTH)
class MonthFilter(django_filters.DateFilter):
    field_class = _MonthOrDayField


def customer_text_filter(label=None):
    """A customer's code (exactly), or part of their name: the lists' customer search
    (with ``CustomerTextMixin`` on the FilterSet)."""
    return django_filters.CharFilter(
        label=label or _("Customer"),
        method="filter_customer_text",
        max_length=100,
        help_text=_("A customer's code, or part of their name"),
        widget=forms.TextInput(attrs={"placeholder": _("Code or name"), "type": "search"}),
    )


class CustomerTextMixin:
    customer_field = "customer"

    def filter_customer_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        prefix = self.customer_field
        return queryset.filter(
            Q(**{f"{prefix}__code__iexact": value}) | Q(**{f"{prefix}__name__icontains": value})
        )


class SalesFilter(CustomerTextMixin, django_filters.FilterSet):
    """The sales list: a month (or a range of months) and a customer's code or name."""

    month = MonthFilter(label=_("Month"), field_name="month")
    month_from = MonthFilter(label=_("From month"), field_name="month", lookup_expr="gte")
    month_to = MonthFilter(label=_("To month"), field_name="month", lookup_expr="lte")
    customer = customer_text_filter()

    class Meta:
        model = SalesRecord
        fields = ["month", "month_from", "month_to", "customer"]
