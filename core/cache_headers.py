"""No page of the CRM is kept by a browser's or a proxy's cache.

Every page, API answer and download (PDF, CSV, Excel) is about customers and
is meant for the one user who asked; even the login page carries that
browser's CSRF token. Kept in a shared computer's cache or by a proxy, it
would be shown to the next person. So every response says ``no-store``,
unless its view chose its own Cache-Control. Static files (served by
WhiteNoise before this middleware runs) and the health check are left as
they are.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control

EXEMPT_PREFIXES = ("/healthz/",)


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control") or self._exempt(request.path):
            return response
        patch_cache_control(response, private=True, no_store=True)
        return response

    def _exempt(self, path):
        prefixes = [*EXEMPT_PREFIXES]
        if settings.STATIC_URL:
            prefixes.append(settings.STATIC_URL)
        return path.startswith(tuple(prefixes))
