"""Deactivated users, password rules, uploads and the 500 page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import path, reverse
from PIL import Image
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import token_create
from complaints.models import ComplaintPhoto
from config import urls as crm_urls
from crm.models import SalesRecord, User
from tests.complaints.conftest import make_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _jpeg(size=(64, 48)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="JPEG")
    return out.getvalue()


# Deactivation -----------------------------------------------------------------------


def test_deactivating_a_user_ends_their_session_and_token(admin_user, manager, customer):
    browser = Client()
    browser.force_login(manager)
    assert browser.get(reverse("customer_list")).status_code == 200
    _token, key = token_create(user=manager)
    api = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/customers/").status_code == 200

    admin = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    admin.force_authenticate(admin_user)
    response = admin.patch(f"/api/users/{manager.pk}/", {"is_active": False}, format="json")
    assert response.status_code == 200, response.content

    response = browser.get(reverse("customer_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert api.get("/api/customers/").status_code == 401
    assert not ApiToken.objects.filter(user=manager).exists()
    # The session is gone, not just refused: reactivating does not revive it.
    manager.refresh_from_db()
    manager.is_active = True
    manager.save()
    assert browser.get(reverse("customer_list")).status_code == 302


def test_deactivated_in_the_django_admin_too(client, admin_user, manager):
    """The admin site saves the user directly: the session and token still stop working."""
    _token, key = token_create(user=manager)
    browser = Client()
    browser.force_login(manager)
    User.objects.filter(pk=manager.pk).update(is_active=False)
    assert browser.get(reverse("home")).status_code == 302
    api = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/me/").status_code == 401


# Password validation ------------------------------------------------------------------


def test_weak_password_refused_on_create_and_change(admin_user, manager, region):
    admin = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    admin.force_authenticate(admin_user)
    response = admin.post(
        "/api/users/",
        {
            "username": "newbie",
            "password": "12345678",
            "role": "manager",
            "region": region.code,
            "email": "newbie@example.com",
        },
        format="json",
    )
    assert response.status_code == 400
    messages = " ".join(response.json()["password"])
    assert "too common" in messages or "entirely numeric" in messages
    assert not User.objects.filter(username="newbie").exists()

    response = admin.patch(f"/api/users/{manager.pk}/", {"password": "manager"}, format="json")
    assert response.status_code == 400
    assert response.json()["password"]
    manager.refresh_from_db()
    assert manager.check_password("correct-horse-battery")


def test_weak_password_refused_in_the_django_admin(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:crm_user_add"),
        {"username": "weakling", "password1": "password", "password2": "password"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert not User.objects.filter(username="weakling").exists()


# Uploads --------------------------------------------------------------------------------


@pytest.fixture
def complaint(manager, customer, regional_manager):
    return make_complaint(manager, customer, regional_manager, stage="open")


def _upload_photo(api_login, manager, complaint, content, name="photo.jpg", ctype="image/jpeg"):
    return api_login(manager).post(
        f"/api/complaints/{complaint.pk}/photos/",
        {"photo": SimpleUploadedFile(name, content, content_type=ctype)},
        format="multipart",
    )


def test_photo_judged_by_content_not_by_name(api_login, manager, complaint):
    html = b"<html><script>alert(1)</script></html>"
    response = _upload_photo(api_login, manager, complaint, html, name="evil.jpg")
    assert response.status_code == 400
    assert not ComplaintPhoto.objects.exists()


def test_photo_size_limited(api_login, manager, complaint, settings):
    settings.COMPLAINTS_PHOTO_MAX_BYTES = 1000
    response = _upload_photo(api_login, manager, complaint, _jpeg((400, 400)) + b"\0" * 2000)
    assert response.status_code == 400
    assert not ComplaintPhoto.objects.exists()


def test_photo_stored_under_a_generated_name_and_served_safely(
    api_login, client, manager, complaint
):
    response = _upload_photo(
        api_login, manager, complaint, _jpeg(), name="../../etc/看这里 <x>.html"
    )
    assert response.status_code == 201, response.content
    photo = ComplaintPhoto.objects.get()
    stored = photo.image.name
    assert stored.startswith("complaints/photos/") and stored.endswith(".jpg")
    assert "etc" not in stored and "html" not in stored and "看" not in stored

    client.force_login(manager)
    response = client.get(reverse("complaints:photo", args=[photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'attachment; filename="{stored.split("/")[-1]}"'
    assert "private" in response["Cache-Control"]


def test_sales_import_judged_by_content_and_size(api_login, admin_user, settings):
    client = api_login(admin_user)
    response = client.post(
        "/api/sales/import/",
        {"file": SimpleUploadedFile("sales.xlsx", b"not a spreadsheet at all")},
        format="multipart",
    )
    assert response.status_code == 400
    settings.SALES_IMPORT_MAX_BYTES = 10
    response = client.post(
        "/api/sales/import/",
        {"file": SimpleUploadedFile("sales.csv", b"customer_code,month,quantity,amount\n" * 5)},
        format="multipart",
    )
    assert response.status_code == 400
    assert not SalesRecord.objects.exists()


# The 500 page ------------------------------------------------------------------------------


def _boom(request):
    raise RuntimeError("secret-internal-detail")


urlpatterns = [path("boom/", _boom), *crm_urls.urlpatterns]


@pytest.mark.urls(__name__)
def test_500_is_the_plain_page_without_a_traceback(settings, manager):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(manager)
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "secret-internal-detail" not in page
    assert "Traceback" not in page and "RuntimeError" not in page
    with open(settings.BASE_DIR / "templates" / "500.html", encoding="utf-8") as template:
        # The plain template, rendered without context.
        assert template.read().strip()[:40] in page


def test_visit_signature_images_are_served_as_attachments(client, manager, customer):
    from demo.activity import signature_png
    from visits.services import visits as visit_services

    visit = visit_services.visit_start(actor=manager, customer=customer, special_reason="补货")
    visit_services.visit_end(visit=visit, actor=manager)
    visit_services.visit_sign(
        visit=visit, actor=manager, role="manager", image=signature_png("张", 1), signer_name="张伟"
    )
    client.force_login(manager)

    response = client.get(reverse("visits:signature_image", args=[visit.pk, "manager"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
