"""Number formats of the CRM pages.

Django's zh-hans locale does not group digits, but amounts on the users'
paper forms are written 12,345.60; these filters group by thousands in
every language.
"""

from decimal import Decimal, InvalidOperation

from django import template

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
def number(value):
    """12345 → "12,345"."""
    if value is None or value == "":
        return ""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value
