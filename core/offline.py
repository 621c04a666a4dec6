"""The installable app: the web app manifest, the service worker (served from the
site's root so it looks after every page) and the page shown when a page was
never opened online."""

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def service_worker(request):
    path = finders.find("js/sw.js")
    if path is None:  # collected: the file is in the static root
        path = staticfiles_storage.path("js/sw.js")
    with open(path, "rb") as source:
        response = HttpResponse(source.read(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def manifest(request):
    return JsonResponse(
        {
            "name": _("Customer CRM"),
            "short_name": _("CRM"),
            "start_url": "/visits/today/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#f8f9fa",
            "theme_color": "#0d6efd",
            "icons": [
                {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {
                    "src": static("icons/icon-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
            ],
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def offline(request):
    """Shown by the service worker for a page never opened online."""
    return render(request, "offline.html")
