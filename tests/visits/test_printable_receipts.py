"""Promotion receipts and unlicensed-operation reports print as PDF like visits and
complaints (core.pdf, core.web.pdf_response): the signature, the photo, the course;
someone else's is 404."""

import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEvent
from tests import factories
from tests.visits.conftest import png_bytes, promotion_fields
from visits.services import promotions
from visits.services import unlicensed as unlicensed_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "en"


def _text(response, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    path = tmp_path / "out.pdf"
    path.write_bytes(response.content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout


def test_promotion_receipt_pdf(client, manager, teammate, outsider, regional_manager, tmp_path):
    customer = factories.CustomerFactory(
        manager=manager, name="合格烟酒店", grade=factories.grade("A1")
    )
    receipt = promotions.promotion_record(customer=customer, actor=manager, **promotion_fields())
    url = reverse("visits:promotion_pdf", args=[receipt.pk])
    for user in (manager, regional_manager):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert f"promotion-{receipt.pk}-" in response["Content-Disposition"]
    text = _text(response, tmp_path)
    assert "合格烟酒店" in text and "宣传海报" in text and "王店主" in text
    assert AuditEvent.objects.filter(action="pdf").exists()
    for someone in (teammate, outsider):
        client.force_login(someone)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_unlicensed_report_pdf(client, manager, outsider, regional_manager, tmp_path):
    report = unlicensed_services.unlicensed_report(
        actor=manager,
        address="人民路 9 号",
        description="无证售烟",
        photo=SimpleUploadedFile("x.png", png_bytes(fmt="PNG"), content_type="image/png"),
    )
    url = reverse("visits:unlicensed_pdf", args=[report.pk])
    client.force_login(regional_manager)
    page = client.get(reverse("visits:unlicensed_detail", args=[report.pk])).text
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert f"unlicensed-{report.pk}-" in response["Content-Disposition"]
    text = _text(response, tmp_path)
    assert "人民路 9 号" in text and "无证售烟" in text
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_the_api_gives_the_same_files(api_login, manager, outsider, settings):
    customer = factories.CustomerFactory(manager=manager, grade=factories.grade("A1"))
    receipt = promotions.promotion_record(customer=customer, actor=manager, **promotion_fields())
    report = unlicensed_services.unlicensed_report(
        actor=manager, address="人民路 9 号", description="无证售烟"
    )
    api = api_login(manager)
    for path, name in (
        (f"/api/visits/promotions/{receipt.pk}/pdf/", f"promotion-{receipt.pk}-"),
        (f"/api/visits/unlicensed/{report.pk}/pdf/", f"unlicensed-{report.pk}-"),
    ):
        response = api.get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"] == "application/pdf"
        assert name in response["Content-Disposition"]
        assert api_login(outsider).get(path).status_code == 404
        api = api_login(manager)
