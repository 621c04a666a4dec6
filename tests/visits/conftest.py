"""Helpers for the visits tests: drawn signatures, visits at a given stage."""

import base64
import datetime
import io

import pytest
import time_machine
from PIL import Image, ImageDraw

from tests.clock import at
from visits.models import PriceViolation, Visit
from visits.services import visits as visit_services


def png_bytes(size=(300, 120), blank=False, fmt="PNG"):
    image = Image.new("RGBA" if fmt == "PNG" else "RGB", size, (255, 255, 255, 0))
    if not blank:
        ImageDraw.Draw(image).line([(10, 100), (120, 20), (290, 90)], fill="black", width=4)
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def data_url(data=None):
    data = png_bytes() if data is None else data
    return "data:image/png;base64," + base64.b64encode(data).decode()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def record(customer, manager, arrived_at):
    """A visit row written straight to the table (lists and scopes, not the workflow)."""
    return Visit.objects.create(
        customer=customer,
        manager=manager,
        kind="special",
        special_reason="电话约访",
        arrived_at=arrived_at,
    )


def promotion_fields(**fields):
    """A promotion receipt's content (service keywords, API fields): two posters, signed."""
    return {
        "item": "宣传海报",
        "quantity": 2,
        "signer_name": "王店主",
        "signature": data_url(),
        **fields,
    }


def make_visit(manager, customer, *, stage="ended", arrived="2026-10-09 10:00", **content):
    """A special visit of ``customer`` taken to ``stage`` through the services."""
    with time_machine.travel(at(arrived), tick=False):
        visit = visit_services.visit_start(
            actor=manager, customer=customer, special_reason="电话约访"
        )
        if content:
            visit = visit_services.visit_update(visit=visit, actor=manager, data=content)
        if stage == "in_progress":
            return visit
    with time_machine.travel(at(arrived) + datetime.timedelta(minutes=30), tick=False):
        visit = visit_services.visit_end(visit=visit, actor=manager)
        if stage == "ended":
            return visit
        visit = visit_services.visit_sign(
            visit=visit, actor=manager, role="manager", image=data_url()
        )
        if stage == "manager_signed":
            return visit
        visit = visit_services.visit_sign(
            visit=visit, actor=manager, role="customer", image=data_url(), signer_name="王店主"
        )
    assert visit.status == Visit.Status.LOCKED
    return visit


def make_violation(
    manager, customer, *, stage="manager_signed", note="低于指导价 5 元销售", **content
):
    """The price violation that a visit of ``customer`` reports (F checked, sold below the guide).

    The visit is taken to ``stage`` (manager_signed or locked: the violation
    is reported when the manager signs); other keywords are ``make_visit``'s.
    """
    visit = make_visit(
        manager,
        customer,
        stage=stage,
        price_checked=True,
        price_checked_note=note,
        price_violation=True,
        **content,
    )
    return PriceViolation.objects.get(visit=visit)


def completed_visit(manager, customer, day):
    """A visit that ended on ``day`` (a date), for last-visit dates."""
    return make_visit(manager, customer, stage="ended", arrived=f"{day:%Y-%m-%d} 09:00")
