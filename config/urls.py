from django.contrib import admin
from django.urls import include, path

from config import api_docs as docs
from config.health import health

urlpatterns = [
    path("healthz/", health, name="health"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", docs.schema, name="api_schema"),
    path("api/docs/", docs.swagger, name="api_docs"),
    path("api/redoc/", docs.redoc, name="api_redoc"),
    path("api/", include("config.api_urls")),
    path("visits/", include("visits.urls")),
    path("complaints/", include("complaints.urls")),
    path("reports/", include("reports.urls")),
    path("satisfaction/", include("satisfaction.urls")),
    path("", include("accounts.urls")),
    path("", include("core.urls")),
    path("", include("home.urls")),
    path("", include("crm.urls")),
]

# JSON under /api/, the product's pages elsewhere (config/error_pages.py).
handler400 = "config.error_pages.bad_request"
handler403 = "config.error_pages.permission_denied"
handler404 = "config.error_pages.page_not_found"
handler500 = "config.error_pages.server_error"

# No /media/ route, not even with DEBUG: a stored file (a signature, a photo, an
# export) is reached only through its object's access-checked route, which
# streams it from the file storage (the local disk or the S3 bucket).
