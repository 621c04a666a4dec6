"""Exactly-once API writes: a queued action sent again with its Idempotency-Key
changes nothing and answers as the first time."""

import uuid

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.services import token_create
from core import idempotency
from core.models import ClientAction
from tests import factories
from tests.browser_support import seeded  # noqa: F401 - the grades a flush removed
from tests.clock import at
from tests.races import run_at_once
from visits.models import Visit

START = "/api/visits/records/"


def client_for(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_create(user=user, device='phone')[1]}")
    return client


def start_body(customer):
    return {
        "customer": customer.pk,
        "special_reason": "补货",
        "arrived_at": "2026-10-09T10:00:00+08:00",
    }


@pytest.fixture
def customer(manager):
    return factories.CustomerFactory(manager=manager)


@pytest.mark.django_db
def test_a_replay_creates_nothing_and_answers_as_the_first_time(manager, customer):
    client = client_for(manager)
    key = str(uuid.uuid4())
    first = client.post(START, start_body(customer), format="json", HTTP_IDEMPOTENCY_KEY=key)
    again = client.post(START, start_body(customer), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Visit.objects.filter(customer=customer).count() == 1
    # Another key is another action: a second visit's start, refused or not, runs.
    other = client.post(START, start_body(customer), format="json", HTTP_IDEMPOTENCY_KEY="k" * 20)
    assert "Idempotent-Replayed" not in other


@pytest.mark.django_db
def test_the_phones_time_is_kept_with_the_servers_receipt_beside_it(manager, customer):
    with time_machine.travel(at("2026-10-09 11:30"), tick=False):
        response = client_for(manager).post(
            START, start_body(customer), format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
        )
    visit = Visit.objects.get(pk=response.json()["id"])
    assert visit.arrived_at == at("2026-10-09 10:00")
    assert visit.created_at == at("2026-10-09 11:30")


@pytest.mark.django_db
def test_the_same_key_with_another_request_is_422(manager, customer):
    client = client_for(manager)
    client.post(START, start_body(customer), format="json", HTTP_IDEMPOTENCY_KEY="same-key-1")
    other = {**start_body(customer), "special_reason": "别的"}
    response = client.post(START, other, format="json", HTTP_IDEMPOTENCY_KEY="same-key-1")
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]
    assert Visit.objects.filter(customer=customer).count() == 1


@pytest.mark.django_db
def test_a_refusal_is_kept_but_not_a_401_or_403(manager, teammate, customer):
    client = client_for(manager)
    bad = {"customer": customer.pk}  # no reason for a special visit
    first = client.post(START, bad, format="json", HTTP_IDEMPOTENCY_KEY="bad-request-1")
    again = client.post(START, bad, format="json", HTTP_IDEMPOTENCY_KEY="bad-request-1")
    assert first.status_code == again.status_code == 400
    assert again["Idempotent-Replayed"] == "true"
    # Without a valid token nothing is kept: after logging in again the retry runs.
    anonymous = APIClient()
    assert (
        anonymous.post(
            START, start_body(customer), format="json", HTTP_IDEMPOTENCY_KEY="later-ok-1"
        ).status_code
        == 401
    )
    assert (
        client.post(
            START, start_body(customer), format="json", HTTP_IDEMPOTENCY_KEY="later-ok-1"
        ).status_code
        == 201
    )
    # Keys are the user's own: a teammate's same key runs their own request.
    response = client_for(teammate).post(
        START, start_body(customer), format="json", HTTP_IDEMPOTENCY_KEY="later-ok-1"
    )
    assert "Idempotent-Replayed" not in response
    assert response.status_code == 400  # not their customer


@pytest.mark.django_db
def test_a_malformed_key_is_refused(manager, customer):
    response = client_for(manager).post(
        START, start_body(customer), format="json", HTTP_IDEMPOTENCY_KEY="short"
    )
    assert response.status_code == 400
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_old_keys_are_purged(manager, customer):
    with time_machine.travel(at("2026-09-01 10:00"), tick=False):
        client_for(manager).post(
            START, start_body(customer), format="json", HTTP_IDEMPOTENCY_KEY="old-key-01"
        )
    with time_machine.travel(at("2026-10-09 10:00"), tick=False):
        assert idempotency.purge() == 1
    assert not ClientAction.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_sends_at_the_same_instant_start_one_visit(seeded, manager):  # noqa: F811
    customer = factories.CustomerFactory(manager=manager)
    key = str(uuid.uuid4())
    token = token_create(user=manager, device="phone")[1]

    def send():
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client.post(START, start_body(customer), format="json", HTTP_IDEMPOTENCY_KEY=key)

    results = run_at_once(send, send)
    statuses = sorted(getattr(result, "status_code", repr(result)) for result in results)
    assert statuses == [201, 201], results
    assert Visit.objects.filter(customer=customer).count() == 1


@pytest.mark.django_db
def test_a_browser_session_with_its_csrf_token_runs_once(manager, customer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(manager)
    client.get("/visits/today/")
    token = client.cookies["csrftoken"].value
    for _ in range(2):
        response = client.post(
            START,
            start_body(customer),
            content_type="application/json",
            HTTP_X_CSRFTOKEN=token,
            HTTP_IDEMPOTENCY_KEY="browser-key-1",
        )
        assert response.status_code == 201
    assert Visit.objects.filter(customer=customer).count() == 1
    # Without the CSRF token: refused, and nothing kept for the key.
    refused = client.post(
        START,
        start_body(customer),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="browser-key-2",
    )
    assert refused.status_code == 403
    assert not ClientAction.objects.filter(key="browser-key-2").exists()


@pytest.mark.django_db
def test_a_photo_upload_runs_once(manager, customer, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from visits.models import VisitPhoto

    settings.MEDIA_ROOT = tmp_path
    client = client_for(manager)
    visit = client.post(START, start_body(customer), format="json").json()
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (10, 200, 10)).save(out, format="JPEG")

    def send(data):
        photo = SimpleUploadedFile("shelf.jpg", data, content_type="image/jpeg")
        return client.post(
            f"{START}{visit['id']}/photos/",
            {"stage": "before", "photo": photo},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="photo-key-1",
        )

    assert send(out.getvalue()).status_code == 201
    again = send(out.getvalue())
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert VisitPhoto.objects.count() == 1
    # Another photo under the same key is another request.
    other = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 10, 10)).save(other, format="JPEG")
    assert send(other.getvalue()).status_code == 422


@pytest.mark.django_db
def test_a_method_the_route_does_not_take_is_405_whatever_the_key(manager):
    client = client_for(manager)
    for method in ("patch", "put"):
        response = getattr(client, method)("/api/auth/logout/", HTTP_IDEMPOTENCY_KEY="same-key-9")
        assert response.status_code == 405
    assert client.post("/api/no-such-route/", HTTP_IDEMPOTENCY_KEY="same-key-9").status_code == 404
    assert not ClientAction.objects.exists()
