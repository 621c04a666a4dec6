"""The OpenAPI schema lists the errors the API answers, not only its successes.

drf-spectacular documents the success of each operation; a client (and
schemathesis) then meets undocumented 400s, 404s and 409s. Every operation
gets the error answers it can give, all with the JSON error body of
``core.api.exceptions``.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_field

from core import business_dates

ERROR_BODY = {
    "type": "object",
    "description": "`detail` with a message, or field names with their messages.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}

# The dates of core.business_dates (2000-01-01 to 2100-12-31) and no others: a
# date outside them is refused with a field message, so the schema says which
# dates are valid (tests/test_api_schema_dates.py checks it day by day).
BUSINESS_DATE_PATTERN = (
    r"^(?:(?:20\d\d|2100)-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|02-(?:0[1-9]|1\d|2[0-8]))"
    r"|20(?:[02468][048]|[13579][26])-02-29)$"
)
BUSINESS_DATE = {
    "type": "string",
    "format": "date",
    "pattern": BUSINESS_DATE_PATTERN,
    "description": "2000-01-01 to 2100-12-31",
}
# A month as YYYY-MM in the same range (core.business_dates.parse_month).
BUSINESS_MONTH = {
    "type": "string",
    "pattern": r"^(?:20\d\d|2100)-(?:0[1-9]|1[0-2])$",
    "example": "2026-10",
}

# The login answers 429 to a locked-out account (core.lockout); nothing else is throttled.
LOCKOUT_PATHS = {"/api/auth/token/"}

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

# core.idempotency: a write sent again with its key runs once.
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "pattern": r"^[A-Za-z0-9_-]{8,64}$"},
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "An id the client makes for this action (a UUID). Sent again - the answer was "
        "lost - the action runs once and the first answer comes back, with the header "
        "Idempotent-Replayed: true. The same key with another request gets 422."
    ),
)


class AutoSchema(SpectacularAutoSchema):
    def get_filter_backends(self):
        # A list's export/ action (core.api.exports) takes the list's filters.
        if getattr(self.view, "action", None) == "export":
            from django_filters.rest_framework import DjangoFilterBackend

            backends = getattr(self.view, "filter_backends", [])
            return [b for b in backends if issubclass(b, DjangoFilterBackend)]
        return super().get_filter_backends()

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method in UNSAFE_METHODS and self.path not in LOCKOUT_PATHS:
            parameters.append(IDEMPOTENCY_KEY)
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, description in self._error_codes():
            responses.setdefault(
                str(code),
                {
                    "description": description,
                    "content": {"application/json": {"schema": ERROR_BODY}},
                },
            )
        return responses

    def _error_codes(self):
        # Any request can be refused as invalid: fields and query parameters
        # are checked, and the request guard refuses bad bytes everywhere.
        yield 400, _("Invalid input, with a message per field.")
        yield 401, _("No valid token or session.")
        yield 403, _("Logged in, but not allowed to do this.")
        if "{" in self.path:
            # "Not yours" and "does not exist" are the same answer.
            yield 404, _("No such object, or not one the user may see.")
        elif self.method == "GET" and self._is_list_view() and self._get_paginator():
            yield 404, _("No such page.")
        if self.method in UNSAFE_METHODS:
            yield 409, _("The object's state does not allow this step (now).")
            yield 422, _("This Idempotency-Key was sent with another request.")
            yield 413, _("The request body is too large.")
            yield 415, _("The request body is not in a supported format.")
        if self.path in LOCKOUT_PATHS:
            yield 429, _("Too many failed logins: the account is locked for a while.")


class BusinessDateField(OpenApiSerializerFieldExtension):
    """A date the user gives is one of the business range; a stored date is any date."""

    target_class = "core.business_dates.BusinessDateSerializerField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema = {**schema, **BUSINESS_DATE}
        return schema


extend_schema_field(BUSINESS_DATE)(business_dates.BusinessDateFilter)


def error(description):
    """An error answer the rules above do not give an operation: a 404 for a query
    naming something unknown, a 409 for a read the state does not allow."""
    return OpenApiResponse(ERROR_BODY, description=description)


class DecimalInput(OpenApiSerializerFieldExtension):
    """A decimal the user gives, as DRF reads it: at least one digit, no sign when
    it may not be negative. drf-spectacular's pattern took "-" and "." for numbers."""

    target_class = "rest_framework.fields.DecimalField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        schema = auto_schema._map_serializer_field(field, direction, bypass_extensions=True)
        if direction != "request" or "pattern" not in schema:
            return schema
        sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
        whole, places = field.max_whole_digits, field.decimal_places
        # A maximum that is a power of ten (a weight up to 100) is said in the
        # pattern too: fewer digits, or the maximum itself.
        top = None
        if not sign and field.max_value is not None and field.max_value >= 1:
            digits = len(str(int(field.max_value))) - 1
            if field.max_value == 10**digits and digits <= whole:
                top, whole = str(int(field.max_value)), digits
        fraction = rf"(?:\.\d{{0,{places}}})?" if places else ""
        options = [rf"\d{{1,{whole}}}{fraction}"]
        if places:
            options.append(rf"\.\d{{1,{places}}}")
        if top:
            options.insert(0, rf"{top}(?:\.0{{0,{places}}})?" if places else top)
        number = options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"
        return {**schema, "pattern": rf"^{sign}{number}$"}
