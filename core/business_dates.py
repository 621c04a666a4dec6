"""The range of dates the business uses, and the fields and parsers that enforce it.

Every date a user gives — a visit day, a schedule week, a report month, a
birthday, a filter bound — must fall between ``BUSINESS_DATE_MIN`` and
``BUSINESS_DATE_MAX``. Outside it a date is a typing mistake or an attack
(``?week=9999-12-31`` made the week's end overflow the calendar), and it is
refused with a field message instead of reaching the database or the date
arithmetic. Forms, serializers, filters and hand-parsed query parameters all
use the definitions here.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as drf_filters
from rest_framework import serializers

BUSINESS_DATE_MIN = datetime.date(2000, 1, 1)
BUSINESS_DATE_MAX = datetime.date(2100, 12, 31)

_RANGE_MESSAGE = _("Enter a date between %(min)s and %(max)s.")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def _range_error():
    return ValidationError(
        _RANGE_MESSAGE,
        code="date_range",
        params={"min": f"{BUSINESS_DATE_MIN:%Y-%m-%d}", "max": f"{BUSINESS_DATE_MAX:%Y-%m-%d}"},
    )


def validate_business_date(value):
    """Validator for any date a user gives (forms, serializers, filters)."""
    if value is None:
        return
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not BUSINESS_DATE_MIN <= value <= BUSINESS_DATE_MAX:
        raise _range_error()


def parse_date(value):
    """'YYYY-MM-DD' → a date in the business range; ``ValidationError`` otherwise.

    For query parameters read by hand. Empty gives ``None``.
    """
    if value in (None, ""):
        return None
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(_("Enter a valid date (YYYY-MM-DD)."), code="invalid") from None
    validate_business_date(day)
    return day


def parse_month(value):
    """'YYYY-MM' → the first day of that month; ``ValidationError`` otherwise.

    Strict: '2026-13', '2026-2', '2026-02-30' and '0001-01' are errors, never
    quietly turned into another month.
    """
    match = _MONTH_RE.match(str(value or "").strip())
    if not match:
        raise ValidationError(_("Give the month as YYYY-MM."), code="invalid")
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise ValidationError(_("Give the month as YYYY-MM."), code="invalid")
    first = datetime.date(year, month, 1)
    validate_business_date(first)
    return first


# A birthday or a founding day (关怀时刻) lies before the business range: from 1900
# to today, never in the future.
PAST_DATE_MIN = datetime.date(1900, 1, 1)


def validate_past_date(value):
    """Validator for a day in a life: a birthday, a company's founding day."""
    from django.utils import timezone

    if value is None:
        return
    if isinstance(value, datetime.datetime):
        value = value.date()
    today = timezone.localdate()
    if not PAST_DATE_MIN <= value <= today:
        raise ValidationError(
            _RANGE_MESSAGE,
            code="date_range",
            params={"min": f"{PAST_DATE_MIN:%Y-%m-%d}", "max": f"{today:%Y-%m-%d}"},
        )


class PastDateFormField(forms.DateField):
    """A form's birthday or founding day: 1900 to today."""

    default_validators = [validate_past_date]


class PastDateSerializerField(serializers.DateField):
    """A serializer's birthday or founding day: 1900 to today."""

    def __init__(self, **kwargs):
        kwargs["validators"] = [*kwargs.get("validators", []), validate_past_date]
        super().__init__(**kwargs)


class BusinessDateFormField(forms.DateField):
    """A form's date field limited to the business range."""

    default_validators = [validate_business_date]


class BusinessMonthFormField(forms.DateField):
    """A form's month (YYYY-MM) field: the first day of the month, strictly parsed."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        return parse_month(value)


class BusinessDateSerializerField(serializers.DateField):
    """A serializer's date field limited to the business range."""

    def __init__(self, **kwargs):
        kwargs["validators"] = [*kwargs.get("validators", []), validate_business_date]
        super().__init__(**kwargs)


def limit_model_serializer_dates():
    """Make every ModelSerializer's date field a business date (called once, at start).

    A model's DateField becomes ``BusinessDateSerializerField`` in all
    ModelSerializers, present and future, so no writable date can be left out.
    """
    from django.db import models

    serializers.ModelSerializer.serializer_field_mapping[models.DateField] = (
        BusinessDateSerializerField
    )


class BusinessDateFilter(drf_filters.DateFilter):
    """A django-filter date filter limited to the business range."""

    field_class = BusinessDateFormField
