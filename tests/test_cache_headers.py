"""No page, API answer or download is left in a browser's or a proxy's cache."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def _not_stored(response):
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    assert "no-store" in directives, response.get("Cache-Control")


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/customers/",
        "/visits/suggestions/",
        "/complaints/",
        "/reports/",
        "/sales/import/template.csv",
    ],
)
def test_pages_of_a_signed_in_user_are_not_stored(login, manager, url):
    response = login(manager).get(url)
    assert response.status_code == 200
    _not_stored(response)


def test_customer_page_is_not_stored(login, manager, customer):
    response = login(manager).get(customer.get_absolute_url())
    assert response.status_code == 200
    _not_stored(response)


def test_redirects_and_errors_are_not_stored(login, manager, client):
    _not_stored(client.get("/customers/"))  # to the login page
    _not_stored(login(manager).get("/customers/999999/"))  # not yours / not there


def test_login_page_with_its_csrf_token_is_not_stored(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    _not_stored(response)


@pytest.mark.parametrize("url", ["/api/customers/", "/api/me/", "/api/grades/"])
def test_api_answers_are_not_stored(api_login, manager, url):
    response = api_login(manager).get(url)
    assert response.status_code == 200
    _not_stored(response)


def test_api_refusal_is_not_stored(api_client):
    response = api_client.get("/api/customers/")
    assert response.status_code == 401
    _not_stored(response)


def test_api_with_a_token_is_not_stored(api_client, manager):
    # The token authenticates inside the API view, after the middleware saw
    # an anonymous request: /api/ is covered by its path.
    login = api_client.post(
        "/api/auth/token/", {"username": manager.username, "password": factories.PASSWORD}
    )
    assert login.status_code == 200
    _not_stored(login)
    response = api_client.get(
        "/api/customers/", HTTP_AUTHORIZATION=f"Token {login.json()['token']}"
    )
    assert response.status_code == 200
    _not_stored(response)


@pytest.mark.parametrize(
    ("url_name", "key"),
    [
        ("visits:visit_pdf", "visit"),
        ("complaints:pdf", "complaint"),
        ("reports:report_pdf", "report"),
    ],
)
def test_pdf_downloads_are_not_stored(client, world, manager, regional_manager, url_name, key):
    obj = world[key]
    if key == "report":
        # Only an approved report is printed.
        obj = factories.take_report(obj, "approved", reviewer=regional_manager)
    client.force_login(manager)
    response = client.get(reverse(url_name, args=[obj.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    _not_stored(response)


def test_region_month_pdf_is_not_stored(client, world, regional_manager):
    client.force_login(regional_manager)
    response = client.get(reverse("reports:region_month_pdf", args=["2026-09"]))
    assert response.status_code == 200
    _not_stored(response)


def test_health_check_and_static_files_are_left_alone(rf):
    from django.http import HttpResponse

    from core.cache_headers import NoStoreMiddleware

    middleware = NoStoreMiddleware(lambda request: HttpResponse("ok"))
    for path in ("/healthz/", "/static/css/app.css"):
        assert not middleware(rf.get(path)).has_header("Cache-Control")


def test_a_view_that_chose_its_cache_control_keeps_it(login, manager, rf):
    from django.http import HttpResponse

    from core.cache_headers import NoStoreMiddleware

    def view(request):
        response = HttpResponse("public")
        response["Cache-Control"] = "max-age=60"
        return response

    request = rf.get("/")
    request.user = manager
    assert NoStoreMiddleware(view)(request)["Cache-Control"] == "max-age=60"
