"""Number formats of the CRM pages.

Django's zh-hans locale does not group digits, but amounts on the users'
paper forms are written 12,345.60; these filters group by thousands in
every language (and config/formats does for Django's own filters).

``amount`` and ``quantity`` give the unit (元, 条); ``short_date`` leaves the
year out only when it is this year's.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def money(value, places=2):
    """12345.6 → "12,345.60"; empty stays empty."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return value
    return f"{number:,.{int(places)}f}"


@register.filter
def row_count(paginator):
    """A list's number of rows: "12,345", or "≈ 120,000" when the paginator
    estimated it (core.pagination: a big table or a long filtered list)."""
    text = number(paginator.count)
    return f"≈ {text}" if getattr(paginator, "approximate", False) else text


@register.filter
def number(value):
    """12345 → "12,345"."""
    if value is None or value == "":
        return ""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value


@register.filter
def amount(value, places=2):
    """An amount of money with its unit: 12345.6 → "12,345.60 元" ("12,345.60 yuan")."""
    text = money(value, places)
    if text == "" or text is value:
        return text
    return _("%(amount)s yuan") % {"amount": text}


@register.filter
def quantity(value, unit=None):
    """A quantity with its unit, cartons unless named: 1200 → "1,200 条" ("1,200 cartons").

    Whole numbers print without decimals, others with two.
    """
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return value
    text = f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,.2f}"
    if unit:
        return f"{text} {unit}"
    return _("%(quantity)s cartons") % {"quantity": text}


@register.filter
def short_date(value, with_time=False):
    """A date as short as it can be read without doubt: "12-08" this year,
    "2024-12-08" any other year (the year is never left to guess); with_time adds
    the time of a datetime ("12-08 09:30")."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        return value
    text = f"{day:%m-%d}" if day.year == timezone.localdate().year else f"{day:%Y-%m-%d}"
    if with_time and isinstance(value, datetime.datetime):
        text = f"{text} {value:%H:%M}"
    return text
