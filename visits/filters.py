"""The filters of the visits lists, one FilterSet per list for the page and the API alike.

The page shows the FilterSet's form (a bad value is a form error); the API
declares it as ``filterset_class`` (a bad value is a 400 with the field's
messages). The same parameters find the same rows in both.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.business_dates import BusinessDateFilter
from crm.access import manager_filter_choices, sees_all, works_customers
from crm.filters import CustomerTextMixin, IdFilter, customer_text_filter
from crm.forms import follow_region
from crm.models import Region, User
from visits.models import (
    PriceViolation,
    PromotionReceipt,
    Suggestion,
    UnlicensedReport,
    Visit,
    WeeklySchedule,
    WorkLog,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
SELECT = {"class": "form-select"}


class _DateRangeForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end is before the start."))
        return data


class VisitFilter(CustomerTextMixin, django_filters.FilterSet):
    """The visit list: by day, customer (code or name, or id), status, kind, region, manager.

    An admin filters by region too; a manager's list is their own, so it has
    no manager filter.
    """

    date_from = BusinessDateFilter(
        label=_("From"), field_name="arrived_at", lookup_expr="date__gte", widget=DATE_INPUT
    )
    date_to = BusinessDateFilter(
        label=_("To"), field_name="arrived_at", lookup_expr="date__lte", widget=DATE_INPUT
    )
    q = customer_text_filter()
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Visit.Status.choices,
        empty_label=_("Any status"),
        widget=forms.Select(attrs=SELECT),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=Visit.Kind.choices,
        empty_label=_("Any kind"),
        widget=forms.Select(attrs=SELECT),
    )
    check_in = django_filters.ChoiceFilter(
        label=_("Check-in"),
        choices=Visit.CheckIn.choices,
        empty_label=_("Any check-in"),
        widget=forms.Select(attrs=SELECT),
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        field_name="customer__region",
        to_field_name="code",
        queryset=Region.objects.order_by("code"),
        empty_label=_("Any region"),
        widget=forms.Select(attrs=SELECT),
    )
    manager = django_filters.ModelChoiceFilter(
        label=_("Manager"),
        queryset=User.objects.none(),
        empty_label=_("Any manager"),
        widget=forms.Select(attrs=SELECT),
    )
    customer = IdFilter(label=_("Customer id"), field_name="customer_id", widget=forms.HiddenInput)

    class Meta:
        model = Visit
        fields = [
            "date_from",
            "date_to",
            "q",
            "status",
            "kind",
            "check_in",
            "region",
            "manager",
            "customer",
        ]
        form = _DateRangeForm

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        if not sees_all(user):
            # Only an admin chooses a region; anybody else may name their own (the API
            # still refuses any other value), and the page does not offer the field.
            region = self.filters["region"]
            region.queryset = region.queryset.filter(pk=user.region_id)
            region.extra["widget"] = forms.HiddenInput
        if works_customers(user):
            # A manager's list is their own: naming themself is all they may do.
            manager = self.filters["manager"]
            manager.queryset = User.objects.filter(pk=user.pk)
            manager.extra["widget"] = forms.HiddenInput
        else:
            self.filters["manager"].queryset = manager_filter_choices(user, self.data)

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            user = getattr(self.request, "user", None)
            form.fields["q"].widget.attrs["class"] = "form-control"
            if user is not None and sees_all(user):
                follow_region(form)
        return self._form


class ViolationFilter(django_filters.FilterSet):
    """The price violations: by status."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=PriceViolation.Status.choices)

    class Meta:
        model = PriceViolation
        fields = ["status"]


class UnlicensedFilter(django_filters.FilterSet):
    """The unlicensed-operation reports: by status."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=UnlicensedReport.Status.choices)

    class Meta:
        model = UnlicensedReport
        fields = ["status"]


class WorkLogFilter(django_filters.FilterSet):
    """The work logs: by kind (daily log or weekly summary) and author."""

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=WorkLog.Kind.choices)
    author = IdFilter(label=_("Author"), field_name="author_id")

    class Meta:
        model = WorkLog
        fields = ["kind", "author"]


class SuggestionFilter(django_filters.FilterSet):
    """The suggestions: ``open`` (true or 1) keeps those still to answer."""

    open = django_filters.ChoiceFilter(
        label=_("To answer"),
        choices=[("true", "true"), ("false", "false"), ("1", "1"), ("0", "0")],
        method="filter_open",
    )

    class Meta:
        model = Suggestion
        fields = ["open"]

    def filter_open(self, queryset, name, value):
        return queryset.open() if value in ("true", "1") else queryset


class PromotionFilter(django_filters.FilterSet):
    """The promotional items handed out: by customer."""

    customer = IdFilter(label=_("Customer id"), field_name="customer_id")

    class Meta:
        model = PromotionReceipt
        fields = ["customer"]


class ScheduleFilter(django_filters.FilterSet):
    """The weekly schedules: by week (its Monday) and manager."""

    week_start = BusinessDateFilter(label=_("Week"), field_name="week_start")
    manager = IdFilter(label=_("Manager"), field_name="manager_id")

    class Meta:
        model = WeeklySchedule
        fields = ["week_start", "manager"]
