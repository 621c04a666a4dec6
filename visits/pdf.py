"""A signed visit record as a PDF (WeasyPrint), with both signatures.

WeasyPrint fetches every image and stylesheet the HTML names. The fetcher
here serves only the product's own static and media files, read from disk
through Django's finders and storage: ``file://`` URLs, other hosts and
paths that climb out of those folders are refused, so a record's text can
never make the renderer read a server file or call the network.
"""

import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.errors import DomainError
from visits.models import Visit

# Relative URLs in the template resolve against this origin; it is never contacted.
BASE_URL = "https://crm.internal/"
_ALLOWED_TYPES = ("image/", "text/css", "font/", "application/font", "application/x-font")


class RefusedURL(ValueError):
    pass


def _prefix(url_setting):
    return "/" + url_setting.strip("/") + "/"


def _relative(path, prefix):
    relative = posixpath.normpath(path[len(prefix) :])
    if relative.startswith(("/", "..")) or relative in (".", "") or "\\" in relative:
        raise RefusedURL(path)
    return relative


def url_fetcher(url, timeout=10, ssl_context=None):
    """Serve /static/ and /media/ files of this product; refuse everything else."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or parts.query:
        raise RefusedURL(url)
    path = unquote(parts.path)
    if path.startswith(_prefix(settings.STATIC_URL)):
        found = finders.find(_relative(path, _prefix(settings.STATIC_URL)))
        if not found:
            raise RefusedURL(url)
        with open(found, "rb") as handle:
            data = handle.read()
    elif path.startswith(_prefix(settings.MEDIA_URL)):
        relative = _relative(path, _prefix(settings.MEDIA_URL))
        try:
            with default_storage.open(relative, "rb") as handle:
                data = handle.read()
        except (OSError, ValueError) as exc:
            raise RefusedURL(url) from exc
    else:
        raise RefusedURL(url)
    mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if not mime_type.startswith(_ALLOWED_TYPES):
        raise RefusedURL(url)
    return {"string": data, "mime_type": mime_type, "redirected_url": url}


def visit_pdf(*, visit):
    """The PDF of a locked (fully signed) visit record, as bytes."""
    from weasyprint import HTML

    if visit.status != Visit.Status.LOCKED:
        raise DomainError(_("Only a record signed by the manager and the customer is printed."))
    signatures = {s.role: s for s in visit.signatures.all()}
    html = render_to_string(
        "visits/visit_pdf.html",
        {
            "visit": visit,
            "checklist": visit.checklist(),
            "manager_signature": signatures.get("manager"),
            "customer_signature": signatures.get("customer"),
            "suggestions": list(visit.suggestions.all()),
            "printed_at": timezone.localtime(),
        },
    )
    return HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher).write_pdf()
