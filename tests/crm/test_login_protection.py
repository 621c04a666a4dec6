"""Login protection: lockout after repeated failures, idle sessions, the CSP header."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "right-pass-2026"


@pytest.fixture
def person(db):
    return factories.ManagerFactory(username="locked_candidate", password=PASSWORD)


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_sixth_login_is_refused_even_with_the_right_password(client, person):
    for _attempt in range(4):
        response = _login(client, person.username, "wrong")
        assert response.status_code == 200  # the form again, with its error
    _login(client, person.username, "wrong")

    response = _login(client, person.username, PASSWORD)

    assert response.status_code == 429
    assert "15" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_locked_account_does_not_lock_anyone_else(client, person, manager):
    manager.set_password(PASSWORD)
    manager.save()
    for _attempt in range(6):
        _login(client, person.username, "wrong")

    response = _login(client, manager.username, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(manager.pk)


def test_api_token_requests_are_locked_out_too(api_client, person):
    url = reverse("api_token")
    for _attempt in range(4):
        response = api_client.post(url, {"username": person.username, "password": "wrong"})
        assert response.status_code == 400
    api_client.post(url, {"username": person.username, "password": "wrong"})

    response = api_client.post(url, {"username": person.username, "password": PASSWORD})

    assert response.status_code == 429
    assert "locked" in response.json()["detail"] or "锁定" in response.json()["detail"]


def test_the_lock_lifts_after_the_cool_off(client, person):
    for _attempt in range(5):
        _login(client, person.username, "wrong")

    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=16)):
        response = _login(client, person.username, PASSWORD)

    assert response.status_code == 302


def test_an_idle_session_ends(client, manager):
    client.force_login(manager)
    assert client.get(reverse("home")).status_code == 200

    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(hours=9)):
        response = client.get(reverse("home"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_session_in_use_stays_alive_past_the_idle_timeout(client, manager):
    client.force_login(manager)
    start = dt.datetime.now(tz=dt.UTC)
    for hours in (2, 4, 6, 8, 10, 12):
        with time_machine.travel(start + dt.timedelta(hours=hours)):
            assert client.get(reverse("home")).status_code == 200


def test_pages_in_quick_succession_do_not_write_the_session(client, manager):
    from django.contrib.sessions.models import Session

    client.force_login(manager)
    start = dt.datetime.now(tz=dt.UTC)
    with time_machine.travel(start):
        client.get(reverse("home"))
    key = client.session.session_key
    saved = Session.objects.get(pk=key).expire_date
    with time_machine.travel(start + dt.timedelta(minutes=4)):
        assert client.get(reverse("home")).status_code == 200
    assert Session.objects.get(pk=key).expire_date == saved
    # Past the refresh interval the next page restarts the idle time.
    with time_machine.travel(start + dt.timedelta(minutes=6)):
        assert client.get(reverse("home")).status_code == 200
    assert Session.objects.get(pk=key).expire_date > saved


def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    response = client.get(reverse("login"))

    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'self'" in script_src
    assert "unsafe-inline" not in script_src
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
