"""Helpers shared by the API views of every visits aggregate (the list filters are
``visits.filters``; a request body is checked by ``core.api.input.validated``)."""

from core.api.parsers import FormParser, JSONParser, MultiPartParser

PARSERS = [JSONParser, MultiPartParser, FormParser]
