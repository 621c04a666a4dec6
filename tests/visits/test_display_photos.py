"""Photos of the display (checklist d): before and after, checked by content,
part of what is signed, on the record, in the PDF and on the violation page;
scaled down in the browser before they are sent."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.errors import ConflictError
from tests import factories
from tests.browser_support import browser_page, chromium, login_as, seeded  # noqa: F401
from tests.visits.conftest import data_url, make_visit
from visits.models import PriceViolation, VisitPhoto
from visits.services import photos
from visits.services import visits as visit_services


def jpeg(size=(640, 480), colour=(30, 120, 200)):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG", quality=90)
    return out.getvalue()


def upload(data=None, name="shelf.jpg"):
    return SimpleUploadedFile(name, jpeg() if data is None else data, content_type="image/jpeg")


@pytest.fixture
def open_visit(manager):
    return make_visit(manager, factories.CustomerFactory(manager=manager), stage="in_progress")


@pytest.mark.django_db
def test_before_and_after_photos_are_kept_with_their_hash(manager, open_visit):
    before = photos.visit_photo_add(
        visit=open_visit, actor=manager, stage="before", upload=upload()
    )
    photos.visit_photo_add(visit=open_visit, actor=manager, stage="after", upload=upload())
    assert before.content_type == "image/jpeg" and len(before.sha256) == 64
    stages = {stage: len(items) for stage, _label, items in open_visit.photo_stages()}
    assert stages == {"before": 1, "after": 1}
    assert [e.action for e in open_visit.events.all()][-2:] == ["photo", "photo"]


@pytest.mark.django_db
def test_a_file_that_is_no_photo_is_refused_and_nothing_is_saved(manager, open_visit):
    with pytest.raises(ValidationError) as error:
        photos.visit_photo_add(
            visit=open_visit,
            actor=manager,
            stage="before",
            upload=SimpleUploadedFile("shelf.jpg", b"%PDF-1.4 not a photo"),
        )
    assert "photo" in error.value.message_dict
    with pytest.raises(ValidationError):
        photos.visit_photo_add(visit=open_visit, actor=manager, stage="sideways", upload=upload())
    assert not VisitPhoto.objects.exists()


@pytest.mark.django_db
def test_photos_are_part_of_what_is_signed(manager, open_visit):
    photos.visit_photo_add(visit=open_visit, actor=manager, stage="before", upload=upload())
    visit = visit_services.visit_end(visit=open_visit, actor=manager)
    visit = visit_services.visit_sign(visit=visit, actor=manager, role="manager", image=data_url())
    visit = visit_services.visit_sign(
        visit=visit, actor=manager, role="customer", image=data_url(), signer_name="王店主"
    )
    assert visit_services.visit_verify(visit=visit)[0]
    with pytest.raises(ConflictError):
        photos.visit_photo_add(visit=visit, actor=manager, stage="after", upload=upload())
    # A photo swapped behind the application's back breaks the integrity check.
    VisitPhoto.objects.filter(visit=visit).update(sha256="0" * 64)
    intact, problems = visit_services.visit_verify(visit=visit)
    assert not intact and problems


@pytest.mark.django_db
def test_only_the_author_adds_photos(manager, teammate, regional_manager, open_visit):
    for other in (teammate, regional_manager):
        with pytest.raises(PermissionDenied):
            photos.visit_photo_add(visit=open_visit, actor=other, stage="before", upload=upload())


@pytest.mark.django_db
def test_pages_add_show_and_remove_photos(client, manager, teammate, outsider, open_visit):
    client.force_login(manager)
    add_url = reverse("visits:visit_photo_add", args=[open_visit.pk])
    response = client.post(add_url, {"stage": "before", "photo": upload()})
    assert response.status_code == 302
    photo = VisitPhoto.objects.get()
    page = client.get(open_visit.get_absolute_url()).content.decode()
    assert reverse("visits:visit_photo", args=[photo.pk]) in page
    image = client.get(reverse("visits:visit_photo", args=[photo.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    # Not theirs: exactly 404, the photo and the upload alike.
    client.force_login(outsider)
    assert client.get(reverse("visits:visit_photo", args=[photo.pk])).status_code == 404
    assert client.post(add_url, {"stage": "before", "photo": upload()}).status_code == 404
    remove_url = reverse("visits:visit_photo_remove", args=[photo.pk])
    assert client.post(remove_url).status_code == 404
    client.force_login(manager)
    assert client.post(remove_url).status_code == 302
    assert not VisitPhoto.objects.exists()


@pytest.mark.django_db
def test_the_pdf_carries_the_photos(client, manager, open_visit):
    photos.visit_photo_add(visit=open_visit, actor=manager, stage="after", upload=upload())
    visit = visit_services.visit_end(visit=open_visit, actor=manager)
    visit = visit_services.visit_sign(visit=visit, actor=manager, role="manager", image=data_url())
    visit = visit_services.visit_sign(
        visit=visit, actor=manager, role="customer", image=data_url(), signer_name="王店主"
    )
    client.force_login(manager)
    pdf = client.get(reverse("visits:visit_pdf", args=[visit.pk]))
    assert pdf.status_code == 200
    # Two signatures and the photo are embedded images.
    assert pdf.content.count(b"/Subtype /Image") >= 3


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_phone_scales_a_photo_down_before_sending(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
    tmp_path,
):
    customer = factories.CustomerFactory(manager=manager)
    visit = visit_services.visit_start(actor=manager, customer=customer, special_reason="补货")
    big = tmp_path / "shelf.jpg"
    big.write_bytes(jpeg(size=(4000, 3000)))
    page = browser_page
    login_as(page, live_server, manager)
    page.goto(f"{live_server.url}{visit.get_absolute_url()}")
    page.set_input_files("#photo-before", str(big))
    page.wait_for_selector("#photo-before[data-ready]")
    page.click("[data-testid=photos-before] button[type=submit]")
    page.wait_for_selector("[data-testid=photos-before] img")
    photo = VisitPhoto.objects.get()
    with Image.open(photo.image.open("rb")) as stored:
        assert max(stored.size) == 1600
    assert photo.size < big.stat().st_size


@pytest.mark.django_db
def test_the_api_takes_and_lists_photos(api_client, manager, outsider, open_visit):
    url = f"/api/visits/records/{open_visit.pk}/photos/"
    api_client.force_authenticate(outsider)
    assert api_client.post(url, {"stage": "before", "photo": upload()}).status_code == 404
    api_client.force_authenticate(manager)
    response = api_client.post(url, {"stage": "before", "photo": upload()}, format="multipart")
    assert response.status_code == 201
    (photo,) = response.json()["photos"]
    assert photo["stage"] == "before" and photo["image"].endswith(f"/visits/photos/{photo['id']}/")
    bad = api_client.post(
        url, {"stage": "before", "photo": upload(b"not an image")}, format="multipart"
    )
    assert bad.status_code == 400 and "photo" in bad.json()


@pytest.mark.django_db
def test_the_violation_page_shows_the_photos_as_evidence(
    client, manager, regional_manager, open_visit
):
    visit = visit_services.visit_update(
        visit=open_visit,
        actor=manager,
        data={"price_checked": True, "price_checked_note": "低于指导价", "price_violation": True},
    )
    photos.visit_photo_add(visit=visit, actor=manager, stage="before", upload=upload())
    visit = visit_services.visit_end(visit=visit, actor=manager)
    visit = visit_services.visit_sign(visit=visit, actor=manager, role="manager", image=data_url())
    violation = PriceViolation.objects.get(visit=visit)
    photo = VisitPhoto.objects.get()
    client.force_login(regional_manager)
    page = client.get(reverse("visits:violation_detail", args=[violation.pk])).content.decode()
    assert 'data-testid="evidence-photos-before"' in page
    assert reverse("visits:visit_photo", args=[photo.pk]) in page
    # The regional manager who decides sees the photo itself too.
    assert client.get(reverse("visits:visit_photo", args=[photo.pk])).status_code == 200
