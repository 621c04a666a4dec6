"""API tokens: one per login and device, expiring, stored hashed, revocable.

Revoked by a password change (every way one is changed), deactivation, the
API's logout and logoutall, the account page and an admin. API logins are in
the audit trail. Over-long usernames are refused before django-axes sees them.
"""

import datetime
import hashlib
import io

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import token_create
from core.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-horse-staple-2026"


def _login(username="manager", password=PASSWORD, **extra):
    return APIClient(HTTP_ACCEPT_LANGUAGE="en").post(
        "/api/auth/token/", {"username": username, "password": password, **extra}, format="json"
    )


def _token_for(user, device=""):
    return token_create(user=user, device=device)[1]


def _me(key):
    return APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/me/")


def _browser(user):
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(user)
    return browser


# Login ----------------------------------------------------------------------------------


def test_two_logins_give_two_tokens_that_both_work(manager):
    phone = _login(device="Phone")
    laptop = _login(device="Laptop")

    assert phone.status_code == 200 and laptop.status_code == 200
    assert phone.json()["token"] != laptop.json()["token"]
    assert _me(phone.json()["token"]).json()["username"] == "manager"
    assert _me(laptop.json()["token"]).json()["username"] == "manager"
    assert sorted(ApiToken.objects.filter(user=manager).values_list("device", flat=True)) == [
        "Laptop",
        "Phone",
    ]


def test_login_answers_the_expiry_set_in_the_settings(settings, manager):
    with time_machine.travel("2026-11-02 09:00 +08:00", tick=False):
        response = _login()

    expiry = datetime.datetime.fromisoformat(response.json()["expiry"])
    assert expiry == datetime.datetime.fromisoformat("2026-11-12 09:00+08:00")  # 240 hours


def test_an_expired_token_is_refused(manager):
    with time_machine.travel("2026-11-02 09:00 +08:00", tick=False):
        key = _login().json()["token"]
    with time_machine.travel("2026-11-12 08:59 +08:00", tick=False):
        assert _me(key).status_code == 200
    with time_machine.travel("2026-11-12 09:01 +08:00", tick=False):
        response = _me(key)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_without_a_token_the_answer_is_401_asking_for_one(db):
    response = APIClient().get("/api/me/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_key_that_is_not_utf8_is_an_invalid_token_not_a_500(manager):
    response = APIClient().get("/api/me/", HTTP_AUTHORIZATION="Token \xff\xfe")

    assert response.status_code == 401


def test_wrong_password_is_400_and_an_inactive_user_gets_no_token(manager):
    response = _login(password="wrong")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["Unable to log in with provided credentials."]

    manager.is_active = False
    manager.save()
    assert _login().status_code == 400
    assert not ApiToken.objects.exists()


def test_tokens_are_stored_as_a_hash_only(manager):
    key = _login().json()["token"]

    token = ApiToken.objects.get(user=manager)
    assert token.digest == hashlib.sha512(key.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.values_list().get()]
    assert not any(key in value for value in stored)
    # knox keeps the first 15 characters to find the row: not enough to log in.
    assert _me(token.token_key).status_code == 401


# Over-long input ------------------------------------------------------------------------


def test_a_10000_character_username_is_a_field_error_at_the_api(manager):
    response = _login(username="x" * 10_000)

    assert response.status_code == 400
    assert response.json()["username"] == ["Ensure this field has no more than 150 characters."]
    assert not AccessAttempt.objects.exists()


def test_an_over_long_password_and_device_are_field_errors_at_the_api(manager):
    response = _login(password="x" * 5000, device="d" * 101)

    assert response.status_code == 400
    assert set(response.json()) == {"password", "device"}


def test_a_10000_character_username_is_a_field_error_in_the_browser(client, english):
    response = client.post(reverse("login"), {"username": "x" * 10_000, "password": "whatever"})

    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [
        "Ensure this value has at most 150 characters (it has 10000)."
    ]
    assert "Ensure this value has at most 150 characters" in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_the_browser_login_still_works_and_still_counts_failures(client, manager):
    client.post(reverse("login"), {"username": "manager", "password": "wrong"})
    assert AccessAttempt.objects.get().failures_since_start == 1

    response = client.post(reverse("login"), {"username": "manager", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(manager.pk)


# Revocation: logout ---------------------------------------------------------------------


def test_logout_revokes_only_the_token_it_is_called_with(manager):
    phone, laptop = _token_for(manager, "Phone"), _token_for(manager, "Laptop")

    response = APIClient(HTTP_AUTHORIZATION=f"Token {phone}").post("/api/auth/logout/")

    assert response.status_code == 204
    assert _me(phone).status_code == 401
    assert _me(laptop).status_code == 200


def test_logoutall_revokes_every_token_of_the_user_only(manager, teammate):
    phone, laptop = _token_for(manager, "Phone"), _token_for(manager, "Laptop")
    theirs = _token_for(teammate)

    response = APIClient(HTTP_AUTHORIZATION=f"Token {phone}").post("/api/auth/logoutall/")

    assert response.status_code == 204
    assert _me(phone).status_code == 401
    assert _me(laptop).status_code == 401
    assert _me(theirs).status_code == 200
    row = AuditEvent.objects.get(action="tokens_revoked")
    assert (row.actor, row.data["reason"], row.data["count"]) == (manager, "logout_all", 2)


def test_logout_without_a_token_is_401(manager):
    assert APIClient().post("/api/auth/logout/").status_code == 401
    assert APIClient().post("/api/auth/logoutall/").status_code == 401


# Revocation: password change, every way --------------------------------------------------


def test_changing_the_password_on_the_password_page_revokes_all_tokens(manager):
    key = _token_for(manager)
    other_browser = _browser(manager)
    browser = _browser(manager)

    response = browser.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302 and response["Location"] == reverse("account")
    assert _me(key).status_code == 401
    # This browser stays logged in; the other one is logged out.
    assert browser.get(reverse("account")).status_code == 200
    assert other_browser.get(reverse("account")).status_code == 302
    row = AuditEvent.objects.get(action="tokens_revoked")
    assert (row.actor, row.data["reason"], row.data["count"]) == (manager, "password_changed", 1)


def test_a_wrong_old_password_changes_nothing(manager):
    key = _token_for(manager)

    response = _browser(manager).post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200 and response.context["form"].errors["old_password"]
    # The field in error keeps its look (Bootstrap's form-control), in red.
    assert 'class="form-control is-invalid"' in response.content.decode()
    assert _me(key).status_code == 200


def test_the_admins_set_password_form_revokes_all_tokens(admin_user, manager):
    key = _token_for(manager)

    response = _browser(admin_user).post(
        reverse("admin:auth_user_password_change", args=[manager.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302, response.context["form"].errors
    assert _me(key).status_code == 401


def test_a_new_password_through_the_users_api_revokes_all_tokens(api_login, admin_user, manager):
    key = _token_for(manager)

    response = api_login(admin_user).patch(
        f"/api/users/{manager.pk}/", {"password": NEW_PASSWORD}, format="json"
    )

    assert response.status_code == 200, response.content
    assert _me(key).status_code == 401


def test_changepassword_command_and_set_password_revoke_all_tokens(manager, monkeypatch):
    key = _token_for(manager)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)

    call_command("changepassword", "manager", stdout=io.StringIO())

    assert _me(key).status_code == 401
    again = _token_for(manager)
    manager.set_password("yet-another-staple-2027")
    manager.save()
    assert _me(again).status_code == 401


def test_saving_a_user_without_a_new_password_keeps_the_tokens(manager):
    key = _token_for(manager)

    manager.phone = "13800000000"
    manager.save()
    # A hash upgrade at login re-saves the password: not a change.
    assert manager.check_password(PASSWORD)

    assert _me(key).status_code == 200


# Revocation: deactivation ----------------------------------------------------------------


def test_deactivation_revokes_all_tokens(api_login, admin_user, manager):
    key = _token_for(manager)

    response = api_login(admin_user).patch(
        f"/api/users/{manager.pk}/", {"is_active": False}, format="json"
    )

    assert response.status_code == 200
    assert _me(key).status_code == 401
    manager.refresh_from_db()
    manager.is_active = True
    manager.save()
    # Revoked, not only refused: reactivating brings none back.
    assert _me(key).status_code == 401


# The account page ------------------------------------------------------------------------


def test_the_account_is_in_the_user_menu(manager):
    page = _browser(manager).get(reverse("home")).content.decode()

    assert f'href="{reverse("account")}"' in page


def test_the_account_page_lists_my_active_tokens_without_their_keys(manager, teammate):
    phone = _token_for(manager, "华为手机")
    _token_for(teammate, "Teammate's tablet")
    with time_machine.travel(timezone.now() - datetime.timedelta(days=30)):
        _token_for(manager, "Old laptop")  # expired by now
    _me(phone)  # sets "last used"

    response = _browser(manager).get(reverse("account"))

    page = response.content.decode()
    assert [t.device for t in response.context["tokens"]] == ["华为手机"]
    assert "华为手机" in page
    assert "Old laptop" not in page and "Teammate's tablet" not in page
    token = ApiToken.objects.get(device="华为手机")
    assert phone not in page and token.digest not in page and token.token_key not in page
    assert "Last used" in page and "not yet" not in page
    assert reverse("password_change") in page


def test_the_account_page_revokes_one_token_and_the_other_keeps_working(manager):
    phone, laptop = _token_for(manager, "Phone"), _token_for(manager, "Laptop")
    uid = ApiToken.objects.get(device="Phone").uid

    response = _browser(manager).post(reverse("account_token_revoke", args=[uid]), follow=True)

    assert "The token of Phone was revoked." in response.content.decode()
    assert [t.device for t in response.context["tokens"]] == ["Laptop"]
    assert _me(phone).status_code == 401
    assert _me(laptop).status_code == 200
    row = AuditEvent.objects.get(action="tokens_revoked")
    assert (row.actor, row.object_id, row.data["device"]) == (manager, str(manager.pk), "Phone")


def test_nobody_else_can_revoke_my_token(manager, teammate, regional_manager):
    key = _token_for(manager, "Phone")
    uid = ApiToken.objects.get().uid

    for other in (teammate, regional_manager):
        response = _browser(other).post(reverse("account_token_revoke", args=[uid]))
        assert response.status_code == 404

    assert _me(key).status_code == 200


def test_revoking_needs_a_post(manager):
    _token_for(manager)
    uid = ApiToken.objects.get().uid

    assert _browser(manager).get(reverse("account_token_revoke", args=[uid])).status_code == 405


def test_log_out_everywhere_revokes_all_tokens_and_ends_other_sessions(manager, teammate):
    keys = [_token_for(manager, "Phone"), _token_for(manager, "Laptop")]
    other_browser = _browser(manager)
    teammates_browser = _browser(teammate)
    browser = _browser(manager)

    response = browser.post(reverse("account_logout_everywhere"), follow=True)

    assert "2 API tokens revoked, 1 other browser session ended." in response.content.decode()
    assert all(_me(key).status_code == 401 for key in keys)
    assert browser.get(reverse("account")).status_code == 200
    assert other_browser.get(reverse("account")).status_code == 302
    assert teammates_browser.get(reverse("account")).status_code == 200
    assert Session.objects.count() == 2
    row = AuditEvent.objects.get(action="tokens_revoked")
    assert (row.data["reason"], row.data["count"], row.data["sessions"]) == (
        "logout_everywhere",
        2,
        1,
    )


def test_a_web_logout_leaves_api_tokens_alone(manager):
    key = _token_for(manager)
    browser = _browser(manager)

    browser.post(reverse("logout"))

    assert browser.get(reverse("account")).status_code == 302
    assert _me(key).status_code == 200


def test_the_password_change_page_renders(manager):
    response = _browser(manager).get(reverse("password_change"))

    assert response.status_code == 200
    assert 'name="new_password2"' in response.content.decode()


# An admin revokes another user's tokens ---------------------------------------------------


def test_an_admin_revokes_all_tokens_of_a_user_from_the_admin_site(admin_user, manager):
    keys = [_token_for(manager, "Phone"), _token_for(manager, "Laptop")]
    admin = _browser(admin_user)
    change_page = reverse("admin:crm_user_change", args=[manager.pk])
    revoke = reverse("user_tokens_revoke", args=[manager.pk])
    assert revoke in admin.get(change_page).content.decode()

    response = admin.post(revoke, {"next": change_page}, follow=True)

    assert response.redirect_chain[-1][0] == change_page
    assert "2 API tokens of manager revoked." in response.content.decode()
    assert all(_me(key).status_code == 401 for key in keys)
    row = AuditEvent.objects.get(action="tokens_revoked")
    assert (row.actor, row.object_id, row.data["reason"]) == (admin_user, str(manager.pk), "admin")


def test_managers_and_regional_managers_cannot_revoke_someone_elses_tokens(
    manager, teammate, regional_manager
):
    key = _token_for(manager)

    for other in (teammate, regional_manager):
        response = _browser(other).post(reverse("user_tokens_revoke", args=[manager.pk]))
        assert response.status_code == 404

    assert _me(key).status_code == 200
    assert not AuditEvent.objects.filter(action="tokens_revoked").exists()


# Audit trail -----------------------------------------------------------------------------


def test_api_logins_and_failed_logins_are_in_the_audit_trail(manager):
    APIClient().post(
        "/api/auth/token/",
        {"username": "manager", "password": "wrong", "device": "Phone"},
        REMOTE_ADDR="10.9.8.7",
    )
    APIClient().post(
        "/api/auth/token/",
        {"username": "manager", "password": PASSWORD, "device": "Phone"},
        REMOTE_ADDR="10.9.8.7",
    )

    failed, success = AuditEvent.objects.filter(action__in=["login", "login_failed"]).order_by("id")
    assert (failed.action, failed.actor, failed.username, failed.ip_address) == (
        "login_failed",
        manager,
        "manager",
        "10.9.8.7",
    )
    assert (success.action, success.actor, success.ip_address) == ("login", manager, "10.9.8.7")
    assert failed.data == success.data == {"via": "api", "device": "Phone"}
    manager.refresh_from_db()
    assert manager.last_login is not None


def test_browser_logins_are_not_marked_as_api(client, manager):
    client.post(reverse("login"), {"username": "manager", "password": PASSWORD})

    assert AuditEvent.objects.get(action="login").data == {}


def test_the_audit_page_names_token_revocations(admin_user, manager, english):
    _token_for(manager)
    APIClient(HTTP_AUTHORIZATION=f"Token {_token_for(manager)}").post("/api/auth/logoutall/")

    page = _browser(admin_user).get(reverse("audit_list")).content.decode()

    assert "API tokens revoked" in page
