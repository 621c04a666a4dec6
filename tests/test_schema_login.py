"""The API's schema and its readers are for signed-in users only."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("accept", ["", "application/json", "application/vnd.oai.openapi"])
def test_anonymous_schema_is_refused_in_json(client, accept):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = client.get("/api/schema/", **headers)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()
    assert b"/api/customers/" not in response.content


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/", "/api/docs/?script="])
def test_anonymous_docs_go_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_schema_with_the_browser_session(client, manager):
    client.force_login(manager)
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/customers/{id}/reassign/" in response.content


def test_schema_with_a_token(api_client, manager):
    login = api_client.post(
        "/api/auth/token/", {"username": manager.username, "password": factories.PASSWORD}
    )
    token = login.json()["token"]
    response = api_client.get("/api/schema/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert b"/api/customers/{id}/reassign/" in response.content


def test_a_wrong_token_is_refused(api_client):
    response = api_client.get("/api/schema/", HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 401


@pytest.mark.parametrize("url", ["/api/docs/?script=", "/api/redoc/"])
def test_docs_for_a_signed_in_user(client, manager, url):
    client.force_login(manager)
    response = client.get(url)
    assert response.status_code == 200
    assert b"/api/schema/" in response.content
