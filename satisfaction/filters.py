"""The satisfaction lists' filters, one FilterSet each for the API (a bad value is a 400
naming the parameter) and the exports."""

import django_filters
from django.utils.translation import gettext_lazy as _

from crm.filters import IdFilter
from satisfaction.models import Answer, Measure, Round


class RoundFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Round.Status.choices, empty_label=_("All")
    )
    region = IdFilter(label=_("Region id"), field_name="region_id")

    class Meta:
        model = Round
        fields = ["status", "region"]


class AnswerFilter(django_filters.FilterSet):
    round = IdFilter(label=_("Round id"), field_name="round_id")
    customer = IdFilter(label=_("Customer id"), field_name="customer_id")
    channel = django_filters.ChoiceFilter(
        label=_("Recorded"), choices=Answer.Channel.choices, empty_label=_("All")
    )

    class Meta:
        model = Answer
        fields = ["round", "customer", "channel"]


class MeasureFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Measure.Status.choices, empty_label=_("All")
    )
    round = IdFilter(label=_("Round id"), field_name="round_id")

    class Meta:
        model = Measure
        fields = ["status", "round"]
