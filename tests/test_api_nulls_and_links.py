"""API fields that can be empty answer null (and the schema says so); image links
lead to the routes that check access, not to ``/media/``.

Before: an undecided price violation answered ``"decided_by": "<method-wrapper
'__str__' of NoneType object at 0x...>"`` (the same for ``answered_by`` and
``forwarded_by``), and signature and photo links were ``/media/...`` paths,
which production does not serve.
"""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.services import token_create
from tests import factories
from tests.visits.conftest import at
from tests.world import _image
from visits.services import schedules, suggestions, unlicensed, violations
from visits.services import visits as visit_services

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _get(user, url):
    response = _client(user).get(url)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def assert_nullable(user, component, *fields):
    """The schema says these fields of the component may be null (a client must expect it)."""
    schema = _client(user).get("/api/schema/?format=json").json()
    properties = schema["components"]["schemas"][component]["properties"]
    assert [f for f in fields if not _nullable(properties[f])] == []


# Empty relations answer null -----------------------------------------------------------


def test_undecided_price_violation_has_no_decider(world, manager, regional_manager):
    violation = world["violation"]
    url = f"/api/visits/price-violations/{violation.pk}/"

    assert _get(manager, url)["decided_by"] is None

    violations.price_violation_dismiss(violation=violation, actor=regional_manager, note="已整改")
    assert _get(manager, url)["decided_by"] == str(regional_manager)


def test_unanswered_suggestion_has_no_answerer(world, manager):
    suggestion = world["suggestion"]
    url = f"/api/visits/suggestions/{suggestion.pk}/"

    assert _get(manager, url)["answered_by"] is None

    suggestions.suggestion_answer(suggestion=suggestion, actor=manager, answer="下周加送")
    assert _get(manager, url)["answered_by"] == str(manager)


def test_unforwarded_report_has_no_forwarder_and_no_photo_link_without_photo(
    world, manager, regional_manager
):
    bare = unlicensed.unlicensed_report(
        actor=manager, address="解放路 3 号", description="无证售烟"
    )
    body = _get(manager, f"/api/visits/unlicensed/{bare.pk}/")
    assert body["forwarded_by"] is None
    assert body["photo"] is None

    unlicensed.unlicensed_forward(report=bare, actor=regional_manager, note="")
    body = _get(manager, f"/api/visits/unlicensed/{bare.pk}/")
    assert body["forwarded_by"] == str(regional_manager)


def test_unassigned_ungraded_customer_has_no_manager_and_no_grade(admin_user, region):
    customer = factories.CustomerFactory(manager=None, region=region, grade=None)

    body = _get(admin_user, f"/api/customers/{customer.pk}/")

    assert body["manager"] is None
    assert body["grade"] is None
    assert_nullable(admin_user, "Customer", "manager", "grade")


def test_admin_has_no_region_in_me(admin_user):
    assert _get(admin_user, "/api/me/")["region"] is None
    assert_nullable(admin_user, "Me", "region")


def test_visit_of_ungraded_customer_has_no_grade(manager):
    customer = factories.CustomerFactory(manager=manager, grade=None)
    visit = visit_services.visit_start(actor=manager, customer=customer, special_reason="电话约访")

    body = _get(manager, f"/api/visits/records/{visit.pk}/")

    assert body["customer_grade"] is None
    assert_nullable(manager, "Visit", "customer_grade")


def test_submitting_a_schedule_is_a_change_of_no_customer(world, manager):
    schedule = world["schedule"]
    with time_machine.travel(at("2026-10-09 12:00"), tick=False):
        schedules.schedule_submit(schedule=schedule, actor=manager)

    changes = _get(manager, f"/api/visits/schedules/{schedule.pk}/")["changes"]

    assert [(c["action"], c["customer"], c["customer_code"]) for c in changes] == [
        ("submit", None, None)
    ]
    assert_nullable(manager, "ScheduleChange", "customer", "customer_code")


def test_open_complaint_has_no_signatures_yet(world, manager):
    from tests.complaints.conftest import make_complaint

    complaint = make_complaint(manager, world["customer"], stage="open")

    body = _get(manager, f"/api/complaints/{complaint.pk}/")

    assert body["inspection_signature"] is None
    assert body["receipt_signature"] is None
    assert_nullable(manager, "ComplaintDetail", "inspection_signature", "receipt_signature")


NULLABLE = {
    "PriceViolation": ["decided_by", "customer_grade"],
    "Suggestion": ["answered_by"],
    "UnlicensedReport": ["forwarded_by", "photo"],
    "Customer": ["manager", "grade"],
    "Me": ["region"],
    "VisitList": ["customer_grade"],
    "Visit": ["customer_grade"],
    "PlannedVisit": ["customer_grade"],
    "ScheduleChange": ["customer", "customer_code"],
    "ComplaintDetail": ["inspection_signature", "receipt_signature"],
}


def _nullable(prop):
    if prop.get("nullable"):
        return True
    # A nullable reference is drawn as allOf/oneOf with a null alternative.
    return any(part.get("nullable") or part.get("type") == "null" for part in prop.get("oneOf", []))


def test_schema_declares_the_empty_fields_nullable(manager):
    components = _client(manager).get("/api/schema/?format=json").json()["components"]["schemas"]

    not_nullable = [
        f"{name}.{field}"
        for name, fields in NULLABLE.items()
        for field in fields
        if not _nullable(components[name]["properties"][field])
    ]

    assert not_nullable == []


# Image links lead to the routes that check access -----------------------------------------


def _fetch_link(link, *, user, outsider):
    assert link.startswith("http://testserver/"), link
    assert "/media/" not in link
    path = link.removeprefix("http://testserver")
    response = _client(user).get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")
    assert b"".join(response.streaming_content if response.streaming else [response.content])
    assert _client(outsider).get(path).status_code == 404
    # A program holding only an API token follows the link the API gave it.
    by_token = _token_client(user).get(path)
    assert by_token.status_code == 200
    assert by_token["Content-Type"].startswith("image/")
    assert _token_client(outsider).get(path).status_code == 404
    wrong = Client(HTTP_AUTHORIZATION="Token not-a-token").get(path)
    assert wrong.status_code == 401
    assert wrong["WWW-Authenticate"] == "Token"


def _token_client(user):
    _token, key = token_create(user=user, device="script")
    return Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Token {key}")


def test_visit_signature_link(world, manager, outsider):
    visit = world["visit"]

    signatures = _get(manager, f"/api/visits/records/{visit.pk}/")["signatures"]

    assert {s["role"] for s in signatures} == {"manager", "customer"}
    for signature in signatures:
        assert signature["image"].endswith(f"/visits/{visit.pk}/signature/{signature['role']}.png")
        _fetch_link(signature["image"], user=manager, outsider=outsider)


def test_promotion_signature_link(world, manager, outsider):
    promotion = world["promotion"]

    link = _get(manager, f"/api/visits/promotions/{promotion.pk}/")["signature_url"]

    assert link.endswith(f"/visits/promotions/{promotion.pk}/signature.png")
    _fetch_link(link, user=manager, outsider=outsider)


def test_promotion_link_in_the_answer_to_recording_it(world, manager, outsider):
    from tests.visits.conftest import promotion_fields

    response = _client(manager).post(
        "/api/visits/promotions/",
        {"customer": world["customer"].pk, **promotion_fields(quantity=1)},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    _fetch_link(response.json()["signature_url"], user=manager, outsider=outsider)


def test_unlicensed_photo_link(world, manager, outsider):
    report = world["unlicensed"]

    link = _get(manager, f"/api/visits/unlicensed/{report.pk}/")["photo"]

    assert link.endswith(f"/visits/unlicensed/{report.pk}/photo/")
    _fetch_link(link, user=manager, outsider=outsider)


def test_unlicensed_photo_link_in_the_answer_to_reporting(manager, outsider, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"

    response = _client(manager).post(
        "/api/visits/unlicensed/",
        {
            "address": "解放路 3 号",
            "description": "无证售烟",
            "photo": SimpleUploadedFile("x.jpg", _image(), content_type="image/jpeg"),
        },
    )

    assert response.status_code == 201, response.content
    _fetch_link(response.json()["photo"], user=manager, outsider=outsider)


def test_complaint_signature_and_photo_links(world, manager, outsider):
    complaint = world["complaint"]
    photo_complaint = world["complaint_photo"].complaint

    body = _get(manager, f"/api/complaints/{complaint.pk}/")
    photos = _get(manager, f"/api/complaints/{photo_complaint.pk}/")["photos"]

    assert body["inspection_signature"]["url"].endswith(
        f"/complaints/signatures/{body['inspection_signature']['id']}/"
    )
    _fetch_link(body["inspection_signature"]["url"], user=manager, outsider=outsider)
    assert [p["id"] for p in photos] == [world["complaint_photo"].pk]
    _fetch_link(photos[0]["url"], user=manager, outsider=outsider)


def test_complaint_photo_link_in_the_answer_to_uploading(world, manager, outsider):
    complaint = world["complaint_photo"].complaint

    response = _client(manager).post(
        f"/api/complaints/{complaint.pk}/photos/",
        {"photo": SimpleUploadedFile("more.jpg", _image(), content_type="image/jpeg")},
    )

    assert response.status_code == 201, response.content
    _fetch_link(response.json()["url"], user=manager, outsider=outsider)


def test_signature_links_in_the_answer_to_signing(manager, customer, outsider, settings, tmp_path):
    from tests.visits.conftest import data_url

    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(at("2026-10-09 10:00"), tick=False):
        visit = visit_services.visit_start(
            actor=manager, customer=customer, special_reason="电话约访"
        )
        visit_services.visit_end(visit=visit, actor=manager)

        response = _client(manager).post(
            f"/api/visits/records/{visit.pk}/sign/",
            {"role": "manager", "image": data_url()},
            content_type="application/json",
        )

    assert response.status_code == 200, response.content
    [signature] = response.json()["signatures"]
    _fetch_link(signature["image"], user=manager, outsider=outsider)
