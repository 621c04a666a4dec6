"""Helpers shared by the API views of every visits aggregate."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from crm import business_dates
from crm.api.parsers import FormParser, JSONParser, MultiPartParser

PARSERS = [JSONParser, MultiPartParser, FormParser]

# The largest id the database holds (a bigint); larger ones overflowed the query.
ID_MAX = 2**63 - 1
ID_PARAM = {"type": "integer", "minimum": 0, "maximum": ID_MAX}


def _id_param(request, name):
    """An id from the query: None when absent; anything but digits is a 400.

    Such values were ignored, so "?customer=x" listed everything, as if the
    filter had been applied and matched all.
    """
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    if not (value.isascii() and value.isdigit()) or int(value) > ID_MAX:
        raise serializers.ValidationError(
            {name: [serializers.IntegerField.default_error_messages["invalid"]]}
        )
    return value


def _date_param(value):
    try:
        return business_dates.parse_date(value)
    except DjangoValidationError as exc:
        raise serializers.ValidationError({"week_start": exc.messages}) from None
