"""The API's body parsers: DRF's, refusing what the product can never take in.

- JSON nested deeper than ``JSON_MAX_DEPTH`` (no request of the API nests
  more than three levels; 100,000 levels made the decoder overflow the
  stack and answer 500);
- a NUL character in any string, key or form value: PostgreSQL cannot hold
  it, and the query would fail with a 500. It is a field message (400),
  named by where it was found.

The size of a body is limited before any parser runs, by
``core.request_guard``.
"""

import codecs

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers, serializers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

JSON_MAX_DEPTH = 32

NUL = "\x00"


def _nul_message():
    return _("Null characters are not allowed.")


def check_json(data, *, max_depth=JSON_MAX_DEPTH):
    """Raise ParseError past ``max_depth``, ValidationError on a string holding NUL."""
    stack = [(data, 1, "")]
    while stack:
        value, depth, path = stack.pop()
        if isinstance(value, dict | list):
            if depth > max_depth:
                raise ParseError(
                    _("JSON nested deeper than %(depth)s levels is not accepted.")
                    % {"depth": max_depth}
                )
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and NUL in key:
                    raise serializers.ValidationError(
                        {path or "non_field_errors": [_nul_message()]}
                    )
                name = f"{path}.{key}" if path else str(key)
                stack.append((item, depth + 1, name))
        elif isinstance(value, str) and NUL in value:
            raise serializers.ValidationError({path or "non_field_errors": [_nul_message()]})


def check_query_dict(data):
    for key, values in data.lists():
        if NUL in key or any(isinstance(v, str) and NUL in v for v in values):
            raise serializers.ValidationError({key.replace(NUL, ""): [_nul_message()]})


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            decoded = codecs.getreader(encoding)(stream)
            parse_constant = json.strict_constant if self.strict else None
            data = json.load(decoded, parse_constant=parse_constant)
        except RecursionError:
            # The C decoder gives up on deep nesting before our own check can.
            raise ParseError(
                _("JSON nested deeper than %(depth)s levels is not accepted.")
                % {"depth": JSON_MAX_DEPTH}
            ) from None
        except ValueError as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from None
        check_json(data)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        check_query_dict(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        check_query_dict(result.data)
        return result
