"""The complaint list's filters, one FilterSet for the page and the API.

The page shows its form (a bad value is a form error); the API declares it as
``filterset_class`` (a bad value is a 400 with the parameter's messages).
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint
from crm.filters import CustomerTextMixin, IdFilter, customer_text_filter


def _yes_no_filter(label, method):
    """A yes / no filter: ``true`` or ``false`` (another value is refused, not read as
    "no filter"); its empty choice reads "All"."""
    return django_filters.ChoiceFilter(
        label=label,
        method=method,
        choices=[("true", _("Yes")), ("false", _("No"))],
        empty_label=_("All"),
    )


class ComplaintFilter(CustomerTextMixin, django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Complaint.Status.choices, empty_label=_("All")
    )
    customer = customer_text_filter()
    customer_id = IdFilter(label=_("Customer id"), field_name="customer_id")
    product = django_filters.CharFilter(
        label=_("Product"), field_name="product", lookup_expr="icontains"
    )
    overdue = _yes_no_filter(_("Overdue"), "filter_overdue")
    to_decide = _yes_no_filter(_("To decide"), "filter_to_decide")

    class Meta:
        model = Complaint
        fields = ["status", "customer", "customer_id", "product", "overdue", "to_decide"]

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue=value == "true")

    def filter_to_decide(self, queryset, name, value):
        if value == "true":
            return queryset.awaiting_decision()
        return queryset
