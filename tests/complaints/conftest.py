"""Helpers for the complaints tests: drawn signatures, photos, complaints at a given step."""

import base64
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from complaints import services
from complaints.models import Complaint

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


def make_complaint(manager, customer, regional_manager=None, *, stage="open", reported_on=None):
    """A goods complaint of ``customer`` taken to ``stage`` through the services."""
    from django.utils import timezone

    complaint = services.complaint_open(
        actor=manager,
        customer=customer,
        product="中华(硬)",
        quantity=2,
        unit="条",
        problem="烟支受潮发霉",
        reported_on=reported_on or timezone.localdate(),
    )
    if stage == "open":
        return complaint
    complaint = services.complaint_inspect(
        complaint=complaint,
        actor=manager,
        cause="仓储受潮",
        signature=signature(),
        signer_name="王店主",
    )
    if stage == "inspected":
        return complaint
    complaint = services.complaint_submit(complaint=complaint, actor=manager)
    if stage == "submitted":
        return complaint
    complaint = services.complaint_approve(complaint=complaint, actor=regional_manager)
    if stage == "approved":
        return complaint
    complaint = services.complaint_record_exchange(
        complaint=complaint,
        actor=manager,
        exchange_product="中华(硬)",
        exchange_quantity=2,
        exchanged_on=timezone.localdate(),
        signature=signature(),
        signer_name="王店主",
    )
    if stage == "exchanged":
        return complaint
    complaint = services.complaint_close(
        complaint=complaint, actor=manager, result="已调换合格卷烟，客户满意"
    )
    assert complaint.status == Complaint.Status.CLOSED
    return complaint


@pytest.fixture
def complaint_at(manager, customer, regional_manager):
    """``complaint_at("submitted")``: a complaint of ``customer`` at that step."""

    def _make(stage, **kwargs):
        return make_complaint(manager, customer, regional_manager, stage=stage, **kwargs)

    return _make
