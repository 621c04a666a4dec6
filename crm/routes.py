"""Where each role may go: ``crm.access.may_open_route`` applied to pages and the API.

The service centre has pages of its own (satisfaction) and reads customers; the
visits, complaints, reports, sales and administration pages are other roles'.
Rather than every view of every app repeating the question, the middleware
asks it of each page before its view runs (403), and the API's default
permission asks it of each endpoint (a token user is known only there).
"""

from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from crm.access import may_open_route


def _route(request):
    match = getattr(request, "resolver_match", None)
    return match.route if match is not None else ""


class RoleRoutesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        route = _route(request)
        # The API answers for itself (RoleRoutes below), with its JSON errors.
        if user is None or not user.is_authenticated or route.startswith("api/"):
            return None
        if not may_open_route(user, route):
            raise PermissionDenied
        return None


class RoleRoutes(BasePermission):
    """The API's side of the same rule: another role's endpoint is 403."""

    def has_permission(self, request, view):
        return may_open_route(request.user, _route(request))
