"""Users and regions managed by admins on the product's pages (crm/user_views.py).

Every action, every refusal, and the people who must not pass: managers,
regional managers and the service centre get 403 on every page and button; a
staff user who is not a superuser does not reach the Django admin.
"""

import pytest
from django.contrib.auth import authenticate
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import ApiToken
from accounts.services import token_create
from core.models import AuditEvent
from crm.models import Region, User
from tests import factories

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Lantern-orchard-2026"


@pytest.fixture
def crm_admin(db):
    """An admin of the CRM who is no superuser (as made on the user pages)."""
    return factories.UserFactory(username="office_admin", role=User.Role.ADMIN, region=None)


@pytest.fixture
def service_desk(db):
    return factories.UserFactory(
        username="service_desk", role=User.Role.SERVICE_CENTRE, region=None
    )


@pytest.fixture
def as_admin(client, english, crm_admin):
    client.force_login(crm_admin)
    return client


def _text(response):
    return response.content.decode()


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def _logs_in(username, password):
    request = RequestFactory().post("/accounts/login/")
    return authenticate(request, username=username, password=password) is not None


def _fail_logins(client, username, times):
    for _ in range(times):
        client.post(reverse("login"), {"username": username, "password": "wrong-password"})


# Who passes --------------------------------------------------------------------------------

ROUTES = [
    ("user_list", False),
    ("user_create", False),
    ("user_detail", True),
    ("user_edit", True),
    ("user_password", True),
    ("user_deactivate", True),
    ("user_reactivate", True),
    ("user_unlock", True),
    ("region_list", False),
    ("region_create", False),
]


@pytest.mark.parametrize("persona", ["manager", "regional_manager", "service_desk"])
def test_nobody_but_an_admin_opens_the_pages_or_presses_the_buttons(
    request, client, persona, teammate, region
):
    client.force_login(request.getfixturevalue(persona))
    urls = [reverse(name, args=[teammate.pk] if takes_pk else []) for name, takes_pk in ROUTES]
    urls.append(reverse("region_edit", args=[region.pk]))
    for url in urls:
        assert client.get(url).status_code in (403, 405), url
        assert client.post(url, {"role": "admin", "password": NEW_PASSWORD}).status_code == 403
    teammate.refresh_from_db()
    assert teammate.role == User.Role.MANAGER and teammate.is_active
    assert not AuditEvent.objects.exclude(action__in=["login", "logout"]).exists()


def test_the_django_admin_is_for_superusers_only(client, crm_admin, admin_user):
    staff = factories.UserFactory(username="staff", role=User.Role.ADMIN, region=None)
    staff.is_staff = True
    staff.save()
    for user in (crm_admin, staff):
        client.force_login(user)
        response = client.get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        assert client.get(reverse("admin:crm_user_changelist")).status_code == 302
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200


def test_the_bar_leads_admins_to_the_users_page_and_only_superusers_to_the_django_admin(
    client, english, crm_admin, admin_user
):
    client.force_login(crm_admin)
    html = _text(client.get(reverse("customer_list")))
    assert f'href="{reverse("user_list")}"' in html
    assert f'href="{reverse("region_list")}"' in html
    assert 'href="/admin/' not in html

    client.force_login(admin_user)
    html = _text(client.get(reverse("customer_list")))
    assert f'href="{reverse("user_list")}"' in html
    assert 'href="/admin/"' in html


# The list ----------------------------------------------------------------------------------


def test_the_list_searches_and_filters(as_admin, manager, regional_manager, other_region):
    liu = factories.ManagerFactory(
        username="mgr_liu", last_name="刘", first_name="洋", region=other_region
    )
    gone = factories.ManagerFactory(username="gone", region=other_region, is_active=False)
    url = reverse("user_list")

    def listed(**query):
        response = as_admin.get(url, query)
        assert response.status_code == 200
        return {user.username for user in response.context["rows"]}

    assert {"manager", "regional", "mgr_liu", "gone", "office_admin"} <= listed()
    assert listed(q="刘洋") == {"mgr_liu"}
    assert listed(q="LIU") == {"mgr_liu"}
    assert listed(q=liu.email) == {"mgr_liu"}
    assert listed(role="regional_manager") == {"regional"}
    assert listed(region=other_region.code) == {"mgr_liu", "gone"}
    assert listed(region=other_region.code, status="active") == {"mgr_liu"}
    assert listed(status="inactive") == {gone.username}
    # A bad value filters nothing and says so.
    response = as_admin.get(url, {"role": "king"})
    assert response.status_code == 200
    assert "not understood" in " ".join(_messages(response))


def test_the_list_shows_who_is_locked_out(client, as_admin, manager, settings):
    _fail_logins(client.__class__(), manager.username, settings.AXES_FAILURE_LIMIT)
    response = as_admin.get(reverse("user_list"), {"status": "locked"})
    assert [user.username for user in response.context["rows"]] == ["manager"]
    assert 'data-testid="locked"' in _text(response)


def test_the_list_asks_the_same_queries_for_3_or_60_users(as_admin, region):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert as_admin.get(reverse("user_list")).status_code == 200
        return len(captured)

    for _ in range(2):
        factories.CustomerFactory(manager=factories.ManagerFactory(region=region))
    small = queries()
    for _ in range(58):
        factories.CustomerFactory(manager=factories.ManagerFactory(region=region))
    assert queries() == small


# Creating ----------------------------------------------------------------------------------


def test_an_admin_creates_a_user_with_a_typed_password(as_admin, crm_admin, region):
    response = as_admin.post(
        reverse("user_create"),
        {
            "username": "mgr_chen",
            "last_name": "陈",
            "first_name": "静",
            "email": "chen@example.com",
            "phone": "13800000000",
            "role": "manager",
            "region": region.pk,
            "password": NEW_PASSWORD,
        },
        follow=True,
    )
    user = User.objects.get(username="mgr_chen")
    assert response.redirect_chain[-1][0] == reverse("user_detail", args=[user.pk])
    assert (user.get_full_name(), user.role, user.region, user.is_staff) == (
        "陈静",
        "manager",
        region,
        False,
    )
    assert _logs_in("mgr_chen", NEW_PASSWORD)
    assert 'data-testid="generated-password"' not in _text(response)
    row = AuditEvent.objects.get(action="user_created")
    assert (row.actor, row.object_id, row.data["role"]) == (crm_admin, str(user.pk), "manager")


def test_a_generated_password_is_shown_once(as_admin, region):
    response = as_admin.post(
        reverse("user_create"),
        {"username": "mgr_wu", "role": "manager", "region": region.pk, "password": ""},
        follow=True,
    )
    password = response.context["generated_password"]
    assert len(password) >= 12 and password in _text(response)
    assert _logs_in("mgr_wu", password)
    again = as_admin.get(response.redirect_chain[-1][0])
    assert password not in _text(again)
    # Never written anywhere: not in the audit row.
    assert password not in str(AuditEvent.objects.get(action="user_created").data)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"username": "manager", "role": "admin"}, "username", ""),
        ({"username": "new_mgr", "role": "manager"}, "region", "need a region"),
        ({"username": "bad name!", "role": "admin"}, "username", ""),
        ({"username": "weak", "role": "admin", "password": "123"}, "password", "too short"),
        ({"username": "x", "role": "king"}, "role", ""),
        ({"username": "y", "role": "admin", "email": "not-mail"}, "email", ""),
    ],
)
def test_creating_refuses_bad_input_with_field_messages(as_admin, manager, data, field, message):
    before = User.objects.count()
    response = as_admin.post(reverse("user_create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert User.objects.count() == before
    assert not AuditEvent.objects.filter(action="user_created").exists()


# Editing -----------------------------------------------------------------------------------


def _edit_data(user, **changes):
    data = {
        "last_name": user.last_name,
        "first_name": user.first_name,
        "email": user.email,
        "phone": user.phone,
        "role": user.role,
        "region": user.region_id or "",
    }
    data.update(changes)
    return data


def test_an_admin_changes_name_email_role_and_region(as_admin, crm_admin, teammate, other_region):
    old_region = teammate.region.code
    response = as_admin.post(
        reverse("user_edit", args=[teammate.pk]),
        _edit_data(
            teammate,
            last_name="王",
            first_name="芳",
            email="wang@example.com",
            role="regional_manager",
            region=other_region.pk,
        ),
    )
    assert response.status_code == 302
    teammate.refresh_from_db()
    assert (teammate.get_full_name(), teammate.email, teammate.role, teammate.region) == (
        "王芳",
        "wang@example.com",
        "regional_manager",
        other_region,
    )
    row = AuditEvent.objects.get(action="user_changed")
    assert row.actor == crm_admin
    assert row.data["changed"]["role"] == ["manager", "regional_manager"]
    assert row.data["changed"]["region"] == [old_region, other_region.code]
    assert "陈" not in row.summary and teammate.username in row.summary


def test_a_manager_with_customers_keeps_the_role_until_they_are_reassigned(
    as_admin, manager, customer
):
    response = as_admin.post(
        reverse("user_edit", args=[manager.pk]), _edit_data(manager, role="regional_manager")
    )
    assert response.status_code == 200
    message = " ".join(response.context["form"].errors["role"])
    assert "still has 1 customer" in message and "reassign" in message
    manager.refresh_from_db()
    assert manager.role == "manager"
    assert not AuditEvent.objects.filter(action="user_changed").exists()
    # Another region is fine: the manager takes their customers along.


def test_an_admin_does_not_take_away_their_own_admin_role(as_admin, crm_admin, region):
    response = as_admin.post(
        reverse("user_edit", args=[crm_admin.pk]),
        _edit_data(crm_admin, role="manager", region=region.pk),
    )
    assert response.status_code == 200
    assert "your own admin role" in " ".join(response.context["form"].non_field_errors())
    crm_admin.refresh_from_db()
    assert crm_admin.role == "admin"


def test_only_a_superuser_changes_a_superuser(as_admin, admin_user):
    page = as_admin.get(reverse("user_detail", args=[admin_user.pk]))
    assert page.status_code == 200
    assert reverse("user_password", args=[admin_user.pk]) not in _text(page)
    for name in ("user_edit", "user_password", "user_deactivate"):
        url = reverse(name, args=[admin_user.pk])
        assert as_admin.post(url, {"password": NEW_PASSWORD, "role": "admin"}).status_code == 403
    admin_user.refresh_from_db()
    assert admin_user.is_active and not admin_user.check_password(NEW_PASSWORD)


# Deactivating ------------------------------------------------------------------------------


def test_deactivating_revokes_tokens_and_stops_logins_and_reactivating_lets_in(
    as_admin, crm_admin, teammate
):
    token_create(user=teammate, device="Phone")
    response = as_admin.post(reverse("user_deactivate", args=[teammate.pk]), follow=True)
    teammate.refresh_from_db()
    assert not teammate.is_active
    assert "was deactivated" in " ".join(_messages(response))
    assert 'data-testid="deactivated"' in _text(response)
    assert not ApiToken.objects.filter(user=teammate).exists()
    assert not _logs_in(teammate.username, factories.PASSWORD)
    revoked = AuditEvent.objects.get(action="tokens_revoked")
    assert (revoked.actor, revoked.data["reason"], revoked.data["count"]) == (
        crm_admin,
        "deactivated",
        1,
    )
    assert AuditEvent.objects.get(action="user_deactivated").actor == crm_admin
    assert User.objects.filter(pk=teammate.pk).exists()

    response = as_admin.post(reverse("user_reactivate", args=[teammate.pk]), follow=True)
    teammate.refresh_from_db()
    assert teammate.is_active
    assert "reactivated" in " ".join(_messages(response))
    assert _logs_in(teammate.username, factories.PASSWORD)
    assert AuditEvent.objects.get(action="user_reactivated").actor == crm_admin


def test_an_admin_cannot_deactivate_themselves(as_admin, crm_admin):
    response = as_admin.post(reverse("user_deactivate", args=[crm_admin.pk]), follow=True)
    assert "cannot deactivate yourself" in " ".join(_messages(response))
    crm_admin.refresh_from_db()
    assert crm_admin.is_active


def test_deactivation_is_a_post(as_admin, teammate):
    assert as_admin.get(reverse("user_deactivate", args=[teammate.pk])).status_code == 405
    teammate.refresh_from_db()
    assert teammate.is_active


# Passwords and lockouts --------------------------------------------------------------------


def test_an_admin_sets_a_temporary_password(as_admin, crm_admin, teammate):
    token_create(user=teammate, device="Phone")
    response = as_admin.post(
        reverse("user_password", args=[teammate.pk]), {"password": NEW_PASSWORD}, follow=True
    )
    assert "was reset" in " ".join(_messages(response))
    assert _logs_in(teammate.username, NEW_PASSWORD)
    assert not _logs_in(teammate.username, factories.PASSWORD)
    assert not ApiToken.objects.filter(user=teammate).exists()
    row = AuditEvent.objects.get(action="password_reset")
    assert (row.actor, row.object_id) == (crm_admin, str(teammate.pk))
    assert NEW_PASSWORD not in row.summary + str(row.data)


def test_a_generated_temporary_password_is_shown_once(as_admin, teammate):
    response = as_admin.post(
        reverse("user_password", args=[teammate.pk]), {"password": ""}, follow=True
    )
    password = response.context["generated_password"]
    assert password and password in _text(response)
    assert _logs_in(teammate.username, password)
    assert password not in _text(as_admin.get(reverse("user_detail", args=[teammate.pk])))


def test_a_weak_temporary_password_is_refused_on_its_field(as_admin, teammate):
    response = as_admin.post(reverse("user_password", args=[teammate.pk]), {"password": "abc"})
    assert response.status_code == 200
    assert "too short" in " ".join(response.context["form"].errors["password"])
    assert _logs_in(teammate.username, factories.PASSWORD)
    assert not AuditEvent.objects.filter(action="password_reset").exists()


def test_an_admin_lifts_a_lockout(client, as_admin, crm_admin, teammate, settings):
    stranger = client.__class__()
    _fail_logins(stranger, teammate.username, settings.AXES_FAILURE_LIMIT)
    locked = stranger.post(
        reverse("login"), {"username": teammate.username, "password": factories.PASSWORD}
    )
    assert locked.status_code == 429
    page = as_admin.get(reverse("user_detail", args=[teammate.pk]))
    assert page.context["locked"]

    response = as_admin.post(reverse("user_unlock", args=[teammate.pk]), follow=True)
    assert "may log in again" in " ".join(_messages(response))
    assert not response.context["locked"]
    logged_in = stranger.post(
        reverse("login"), {"username": teammate.username, "password": factories.PASSWORD}
    )
    assert logged_in.status_code == 302
    row = AuditEvent.objects.get(action="lockout_lifted")
    # The refused login with the right password counted as one more failure.
    assert (row.actor, row.data["failures"]) == (crm_admin, settings.AXES_FAILURE_LIMIT + 1)


def test_lifting_no_lockout_says_so_and_records_nothing(as_admin, teammate):
    response = as_admin.post(reverse("user_unlock", args=[teammate.pk]), follow=True)
    assert "no failed logins" in " ".join(_messages(response))
    assert not AuditEvent.objects.filter(action="lockout_lifted").exists()


def test_the_users_page_shows_the_history(as_admin, teammate):
    as_admin.post(reverse("user_deactivate", args=[teammate.pk]))
    response = as_admin.get(reverse("user_detail", args=[teammate.pk]))
    assert [event.action for event in response.context["history"]][:1] == ["user_deactivated"]


def test_a_missing_user_is_404(as_admin):
    assert as_admin.get(reverse("user_detail", args=[987654])).status_code == 404
    assert as_admin.post(reverse("user_deactivate", args=[987654])).status_code == 404


# Regions -----------------------------------------------------------------------------------


def test_an_admin_lists_creates_and_renames_regions(
    as_admin, crm_admin, region, regional_manager, manager, customer
):
    response = as_admin.get(reverse("region_list"))
    row = next(r for r in response.context["regions"] if r.pk == region.pk)
    assert (row.user_count, row.customer_count, row.leads) == (2, 1, [regional_manager])

    response = as_admin.post(reverse("region_create"), {"code": "N01", "name": "城北"})
    assert response.status_code == 302
    north = Region.objects.get(code="N01")
    created = AuditEvent.objects.get(action="region_created")
    assert (created.actor, created.object_id) == (crm_admin, str(north.pk))

    response = as_admin.post(reverse("region_edit", args=[north.pk]), {"name": "城北新区"})
    assert response.status_code == 302
    north.refresh_from_db()
    assert (north.code, north.name) == ("N01", "城北新区")
    changed = AuditEvent.objects.get(action="region_changed")
    assert changed.data["changed"] == {"name": ["城北", "城北新区"]}


def test_region_forms_refuse_bad_input(as_admin, region):
    response = as_admin.post(reverse("region_create"), {"code": region.code, "name": "X"})
    assert response.status_code == 200 and "code" in response.context["form"].errors
    response = as_admin.post(reverse("region_create"), {"code": "", "name": ""})
    assert set(response.context["form"].errors) == {"code", "name"}
    response = as_admin.post(reverse("region_edit", args=[region.pk]), {"name": ""})
    assert response.status_code == 200 and "name" in response.context["form"].errors
    assert not AuditEvent.objects.filter(action__startswith="region_").exists()


def test_revoking_a_users_tokens_on_their_page_comes_back_to_it(as_admin, teammate):
    token_create(user=teammate, device="Phone")
    page = reverse("user_detail", args=[teammate.pk])
    assert reverse("user_tokens_revoke", args=[teammate.pk]) in _text(as_admin.get(page))
    response = as_admin.post(reverse("user_tokens_revoke", args=[teammate.pk]), follow=True)
    assert response.redirect_chain[-1][0] == page
    assert not ApiToken.objects.filter(user=teammate).exists()


def test_an_admin_resetting_their_own_password_stays_logged_in(as_admin, crm_admin):
    response = as_admin.post(
        reverse("user_password", args=[crm_admin.pk]), {"password": NEW_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert as_admin.get(reverse("user_list")).status_code == 200
    assert _logs_in(crm_admin.username, NEW_PASSWORD)
