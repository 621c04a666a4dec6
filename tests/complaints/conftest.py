"""Helpers for the complaints tests: drawn signatures, photos, complaints at a given step."""

import base64
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from complaints import services

STEPS = ["open", "inspected", "submitted", "approved", "exchanged", "closed"]


def png_bytes(size=(300, 120)):
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).line([(10, 100), (120, 20), (290, 90)], fill="black", width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def signature():
    return "data:image/png;base64," + base64.b64encode(png_bytes()).decode()


def photo_upload(name="defect.jpg", fmt="JPEG", size=(64, 48)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english(english):
    """These tests read the English messages, in services and on pages."""


def complaint_fields(**fields):
    """A complaint's content as opened (service keywords): two cartons gone damp."""
    return {"product": "中华(硬)", "quantity": 2, "unit": "条", "problem": "烟支受潮发霉", **fields}


def inspection_fields(**fields):
    """An inspection (service keywords, form and API fields): the cause, the owner's signature."""
    return {"cause": "仓储受潮", "signature": signature(), "signer_name": "王店主", **fields}


def exchange_fields(**fields):
    """A goods exchange (service keywords): like for like, signed for by the owner."""
    from django.utils import timezone

    return {
        "exchange_product": "中华(硬)",
        "exchange_quantity": 2,
        "exchanged_on": timezone.localdate(),
        "signature": signature(),
        "signer_name": "王店主",
        **fields,
    }


def make_complaint(manager, customer, regional_manager=None, *, stage="open", reported_on=None):
    """A goods complaint of ``customer`` taken to ``stage`` (one of STEPS) through the services."""
    from django.utils import timezone

    complaint = services.complaint_open(
        actor=manager,
        customer=customer,
        reported_on=reported_on or timezone.localdate(),
        **complaint_fields(),
    )
    # Each step of STEPS after "open", as the manager and the regional manager take it.
    take = {
        "inspected": lambda c: services.complaint_inspect(
            complaint=c, actor=manager, **inspection_fields()
        ),
        "submitted": lambda c: services.complaint_submit(complaint=c, actor=manager),
        "approved": lambda c: services.complaint_approve(complaint=c, actor=regional_manager),
        "exchanged": lambda c: services.complaint_record_exchange(
            complaint=c, actor=manager, **exchange_fields()
        ),
        "closed": lambda c: services.complaint_close(
            complaint=c, actor=manager, result="已调换合格卷烟，客户满意"
        ),
    }
    for step in STEPS[1 : STEPS.index(stage) + 1]:
        complaint = take[step](complaint)
    assert complaint.status == stage
    return complaint


def complaints_of(manager, count):
    """``count`` open complaints of ``manager``, each of another customer (for query budgets)."""
    from tests import factories

    return [
        make_complaint(manager, factories.CustomerFactory(manager=manager)) for _ in range(count)
    ]


@pytest.fixture
def complaint_at(manager, customer, regional_manager):
    """``complaint_at("submitted")``: a complaint of ``customer`` at that step."""

    def _make(stage, **kwargs):
        return make_complaint(manager, customer, regional_manager, stage=stage, **kwargs)

    return _make
