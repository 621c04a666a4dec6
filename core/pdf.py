"""PDFs with WeasyPrint that can read nothing but the product's own files.

The URL fetcher resolves ``/static/...`` through the static-files finders (or
STATIC_ROOT) and ``/media/<name>`` through the file storage (the local disk or
the S3 bucket: ``{{ field_file|pdf_src }}`` in a template, from
``core/templatetags/pdf_files.py``), accepts ``data:`` URIs, and refuses
everything else: ``file://``, ``http(s)://`` and names outside those places,
so text a user typed can never pull a file or a network resource into a
document.
"""

import mimetypes
import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation, SuspiciousOperation
from django.core.files.storage import default_storage
from django.template.loader import render_to_string

BASE_URL = "https://crm.invalid/"


class RefusedURL(ValueError):
    pass


@dataclass(frozen=True)
class Document:
    """A rendered PDF with the name it is saved under, whichever page or API asks.

    ``core.web.pdf_response`` answers it and writes the audit row (``obj``,
    ``summary``); ``inline`` opens it in the browser instead of saving it.
    """

    content: bytes
    filename: str
    obj: object
    summary: str
    inline: bool = False


def _inside(path, root):
    try:
        return Path(path).resolve().is_relative_to(Path(root).resolve())
    except (OSError, ValueError):
        return False


def media_path(name):
    """The path a document links a stored file by (``core.pdf.url_fetcher`` reads it)."""
    return "/" + settings.MEDIA_URL.strip("/") + "/" + quote(name)


def _static_file(url, relative):
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        raise RefusedURL(url) from None
    if found and not isinstance(found, list):
        return Path(found)
    if settings.STATIC_ROOT:
        candidate = Path(settings.STATIC_ROOT) / relative
        if _inside(candidate, settings.STATIC_ROOT) and candidate.is_file():
            return candidate
    raise RefusedURL(url)


def _stored_file(url, name):
    """The bytes of a stored file, read through the storage: on disk or in the bucket."""
    if (
        not name
        or posixpath.normpath(name) != name
        or name.startswith(("/", "../"))
        or "\\" in name
        or "\x00" in name
    ):
        raise RefusedURL(url)
    try:
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    except (OSError, SuspiciousOperation):
        raise RefusedURL(url) from None


def _fetch(url):
    """``(bytes, file name)`` of a product's own file at ``url``, or ``RefusedURL``."""
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.netloc != urlsplit(BASE_URL).netloc:
        raise RefusedURL(url)
    path = unquote(parts.path)
    static_url = "/" + settings.STATIC_URL.strip("/") + "/"
    media_url = "/" + settings.MEDIA_URL.strip("/") + "/"
    if path.startswith(static_url):
        found = _static_file(url, path[len(static_url) :])
        return found.read_bytes(), found.name
    if path.startswith(media_url):
        name = path[len(media_url) :]
        return _stored_file(url, name), posixpath.basename(name)
    raise RefusedURL(url)


def url_fetcher(url, timeout=10, ssl_context=None):
    from weasyprint import default_url_fetcher

    if url.startswith("data:"):
        return default_url_fetcher(url, timeout=timeout, ssl_context=ssl_context)
    content, filename = _fetch(url)
    mime_type, _encoding = mimetypes.guess_type(filename)
    return {"string": content, "mime_type": mime_type, "filename": filename}


WARM_UP_HTML = (
    "<body style=\"font-family: 'Noto Sans CJK SC', sans-serif\">"
    "<h1>客户经理 CRM</h1><p>月度销售分析报告 0123456789 <b>粗体</b></p>"
    '<table><tr><td style="font-family: monospace">sha256</td></tr></table>'
    '<svg width="10" height="10"><rect width="10" height="10"/></svg></body>'
)


def warm_up():
    """Load WeasyPrint, Pango and the fonts the documents use by rendering a
    small page, so that a process's first real document does not pay for it
    (about a second and a half). The web and Celery workers call it as they
    start; returns the seconds it took."""
    import time

    started = time.monotonic()
    from weasyprint import HTML

    HTML(string=WARM_UP_HTML, base_url=BASE_URL, url_fetcher=url_fetcher).write_pdf()
    return time.monotonic() - started


def render_pdf(template_name, context, request=None):
    """Render a template to PDF bytes. Links like {% static %} and .url resolve locally."""
    from weasyprint import HTML

    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher).write_pdf()
