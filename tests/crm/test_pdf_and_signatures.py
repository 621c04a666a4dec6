"""Shared building blocks: PDFs that fetch only the product's own files, PNG signatures."""

import base64
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import engines
from PIL import Image, ImageDraw

from core import pdf
from core.images import checked_photo, checked_signature


def _png_data_url(blank=False, size=(300, 120), fmt="PNG"):
    image = Image.new("RGB", size, "white")
    if not blank:
        ImageDraw.Draw(image).line([(10, 100), (150, 20), (290, 90)], fill="black", width=4)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def test_a_drawn_png_signature_is_accepted_with_its_hash():
    file, digest = checked_signature(_png_data_url())

    assert file.name.endswith(".png")
    assert len(digest) == 64


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "required"),
        ("data:image/jpeg;base64,/9j/4AAQ", "invalid"),
        ("data:image/png;base64,not-base64!!", "invalid"),
        ("data:image/png;base64," + base64.b64encode(b"GIF89a not a png").decode(), "invalid"),
        (_png_data_url(fmt="JPEG"), "invalid"),
        (_png_data_url(blank=True), "blank"),
    ],
)
def test_bad_signatures_are_refused_with_a_reason(value, code):
    with pytest.raises(ValidationError) as error:
        checked_signature(value)

    assert error.value.code == code


def test_an_oversized_signature_is_refused():
    with pytest.raises(ValidationError) as error:
        checked_signature(_png_data_url(), max_bytes=100)

    assert error.value.code == "too_large"


def _photo(fmt="JPEG", size=(64, 48)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format=fmt)
    return SimpleUploadedFile(f"x.{fmt.lower()}", buffer.getvalue(), "image/jpeg")


def test_a_photo_is_judged_by_its_content_not_its_name():
    content, content_type = checked_photo(_photo("PNG"), max_bytes=100_000)
    assert content_type == "image/png"
    assert content.name == "photo.png"


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (None, "required"),
        ("data:image/png;base64,AAAA", "invalid"),
        (SimpleUploadedFile("photo.jpg", b"MZ not an image", "image/jpeg"), "invalid"),
        (SimpleUploadedFile("photo.jpg", b"", "image/jpeg"), "invalid"),
        (_photo("GIF"), "invalid"),
        (_photo(size=(400, 300)), "too_large"),
    ],
)
def test_bad_photos_are_refused_with_a_reason(upload, code):
    with pytest.raises(ValidationError) as error:
        checked_photo(upload, max_bytes=2_000, max_pixels=100_000)
    assert error.value.code == code


def test_a_photo_with_too_many_pixels_is_refused():
    with pytest.raises(ValidationError) as error:
        checked_photo(_photo(size=(400, 300)), max_bytes=100_000, max_pixels=1000)
    assert error.value.code == "too_large"


def _render(html):
    from weasyprint import HTML

    return HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=pdf.url_fetcher)


def _images(html):
    document = _render(html).render()
    return [box for page in document.pages for box in _walk(page._page_box) if _is_image(box)]


def test_pdf_fetcher_refuses_local_files_and_network_urls():
    assert len(_images(f'<img src="{_png_data_url()}">')) == 1

    assert (
        _images(
            '<p>x</p><img src="file:///etc/passwd"><img src="http://example.com/a.png">'
            '<img src="/media/../../../../etc/passwd">'
        )
        == []
    )


def test_pdf_fetcher_serves_the_products_static_files():
    css = pdf.url_fetcher(pdf.BASE_URL + "static/css/signature.css")

    assert b"signature-canvas" in css["string"]
    with pytest.raises(pdf.RefusedURL):
        pdf.url_fetcher("file:///etc/passwd")
    with pytest.raises(pdf.RefusedURL):
        pdf.url_fetcher(pdf.BASE_URL + "static/../../config/settings.py")


def test_render_pdf_produces_a_pdf(settings):
    template = engines["django"].from_string("<h1>{{ title }}</h1>")
    html = template.render({"title": "客户月度销售情况分析报告"})

    data = _render(html).write_pdf()

    assert data.startswith(b"%PDF")


def _walk(box):
    yield box
    for child in getattr(box, "children", []):
        yield from _walk(child)


def _is_image(box):
    return type(box).__name__ in {"InlineReplacedBox", "BlockReplacedBox"}


def test_warm_up_loads_the_pdf_engine_through_the_safe_fetcher(monkeypatch):
    fetched = []
    real_fetcher = pdf.url_fetcher
    monkeypatch.setattr(
        pdf, "url_fetcher", lambda url, **kw: fetched.append(url) or real_fetcher(url, **kw)
    )
    seconds = pdf.warm_up()
    assert seconds > 0
    assert fetched == []  # the warm-up page pulls in nothing


def test_web_and_celery_workers_warm_up_as_they_start(monkeypatch):
    import importlib.util
    from pathlib import Path

    from config import celery as celery_app

    calls = []
    monkeypatch.setattr(pdf, "warm_up", lambda: calls.append("warm") or 0.1)
    path = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", path)
    config = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(config)

    class Worker:
        class log:
            @staticmethod
            def info(*args):
                calls.append("logged")

    config.post_worker_init(Worker())
    celery_app._warm_up_pdf()
    assert calls == ["warm", "logged", "warm"]
