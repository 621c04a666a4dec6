"""PDFs with WeasyPrint that can read nothing but the product's own files.

The URL fetcher resolves ``/static/...`` through the static-files finders (or
STATIC_ROOT) and ``/media/...`` under MEDIA_ROOT, accepts ``data:`` URIs, and
refuses everything else: ``file://``, ``http(s)://`` and paths outside those
folders, so text a user typed can never pull a file or a network resource
into a document.
"""

import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
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


def _local_file(url):
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.netloc != urlsplit(BASE_URL).netloc:
        raise RefusedURL(url)
    path = unquote(parts.path)
    static_url = "/" + settings.STATIC_URL.strip("/") + "/"
    media_url = "/" + settings.MEDIA_URL.strip("/") + "/"
    if path.startswith(static_url):
        relative = path[len(static_url) :]
        try:
            found = finders.find(relative)
        except SuspiciousFileOperation:
            raise RefusedURL(url) from None
        if found and not isinstance(found, list):
            return found
        if settings.STATIC_ROOT and _inside(
            Path(settings.STATIC_ROOT) / relative, settings.STATIC_ROOT
        ):
            candidate = Path(settings.STATIC_ROOT) / relative
            if candidate.is_file():
                return str(candidate)
    elif path.startswith(media_url):
        candidate = Path(settings.MEDIA_ROOT) / path[len(media_url) :]
        if _inside(candidate, settings.MEDIA_ROOT) and candidate.is_file():
            return str(candidate)
    raise RefusedURL(url)


def url_fetcher(url, timeout=10, ssl_context=None):
    from weasyprint import default_url_fetcher

    if url.startswith("data:"):
        return default_url_fetcher(url, timeout=timeout, ssl_context=ssl_context)
    path = _local_file(url)
    mime_type, _encoding = mimetypes.guess_type(path)
    return {"string": Path(path).read_bytes(), "mime_type": mime_type, "filename": Path(path).name}


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
