"""Signatures and photos are not kept in the browser's cache: they were sent
with ``private, max-age=3600``, so for an hour after a logout (a shared
counter PC) or after the customer changed hands, the browser went on showing
a customer's signature without asking the server, whose access check is the
only one. They carry ``no-store`` like every other authenticated answer."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from complaints.models import ComplaintPhoto
from tests.complaints.conftest import make_complaint
from tests.visits.conftest import make_visit
from visits.models import Signature

pytestmark = pytest.mark.django_db


def _directives(response):
    return {d.strip() for d in response["Cache-Control"].split(",")}


def test_visit_signature_is_not_cached(client, manager, customer):
    visit = make_visit(manager, customer, stage="manager_signed")
    assert Signature.objects.filter(visit=visit).exists()
    client.force_login(manager)
    response = client.get(reverse("visits:signature_image", args=[visit.pk, "manager"]))
    assert response.status_code == 200
    assert "no-store" in _directives(response)
    assert not any(d.startswith("max-age=") and d != "max-age=0" for d in _directives(response))


def test_complaint_photo_is_not_cached(api_login, client, manager, customer, regional_manager):
    complaint = make_complaint(manager, customer, regional_manager, stage="open")
    jpeg = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(jpeg, format="JPEG")
    response = api_login(manager).post(
        f"/api/complaints/{complaint.pk}/photos/",
        {"photo": SimpleUploadedFile("p.jpg", jpeg.getvalue(), content_type="image/jpeg")},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    client.force_login(manager)
    response = client.get(reverse("complaints:photo", args=[ComplaintPhoto.objects.get().pk]))
    assert response.status_code == 200
    assert "no-store" in _directives(response)
