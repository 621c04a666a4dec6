"""The report list's filters, one FilterSet for the page and the API.

The page reads its form (a bad value is shown as the field's message); the
API declares it as ``filterset_class`` (a bad value is a 400 naming the
parameter). ``overdue`` is ``MonthlyReportQuerySet.overdue``, the one rule.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from core.api.schema import BUSINESS_MONTH
from core.business_dates import BusinessMonthFormField
from reports.models import MonthlyReport


@extend_schema_field(BUSINESS_MONTH)
class MonthFilter(django_filters.DateFilter):
    """A month as YYYY-MM, strictly (``2026-13`` or ``sept`` are refused)."""

    field_class = BusinessMonthFormField


STATUS_CHOICES = [*MonthlyReport.Status.choices, ("overdue", _("Overdue"))]


class ReportFilter(django_filters.FilterSet):
    month = MonthFilter(label=_("Month"), field_name="month")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=_("All")
    )

    class Meta:
        model = MonthlyReport
        fields = ["month", "status"]

    def filter_status(self, queryset, name, value):
        if value == "overdue":
            return queryset.overdue()
        return queryset.filter(status=value)
