"""The schema says what the API answers and takes; query values the API used to
ignore silently are refused with a field message. Found by schemathesis
(tests/test_api_fuzz.py) with all its checks."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api_login, admin_user):
    return api_login(admin_user).get("/api/schema/?format=json").json()


def _parameter(schema, path, name, method="get"):
    [found] = [p for p in schema["paths"][path][method]["parameters"] if p["name"] == name]
    return found["schema"]


def test_errors_are_declared(schema):
    # Before: only the success of each operation was listed.
    detail = schema["paths"]["/api/visits/records/{id}/sign/"]["post"]["responses"]
    listing = schema["paths"]["/api/customers/"]["get"]["responses"]
    login = schema["paths"]["/api/auth/token/"]["post"]["responses"]

    assert {"400", "401", "403", "404", "409", "413", "415"} <= set(detail)
    assert "application/json" in detail["409"]["content"]
    # A page past the end is 404 ("Invalid page.").
    assert {"400", "401", "403", "404"} <= set(listing)
    assert "409" not in listing
    assert "429" in login
    # A draft report has no PDF yet.
    assert "409" in schema["paths"]["/api/reports/{id}/pdf/"]["get"]["responses"]


def test_page_size_out_of_range_is_refused(api_login, manager):
    client = api_login(manager)

    for wrong in ("abc", "0", "-1", "201", "²"):
        response = client.get("/api/customers/", {"page_size": wrong})
        assert response.status_code == 400, wrong
        assert response.json()["page_size"] == ["Give a whole number from 1 to 200."]
    assert client.get("/api/customers/", {"page_size": "200"}).status_code == 200


def test_page_size_range_in_schema(schema):
    assert _parameter(schema, "/api/customers/", "page_size") == {
        "type": "integer",
        "minimum": 1,
        "maximum": 200,
    }


@pytest.mark.parametrize(
    ("path", "name", "wrong"),
    [
        ("/api/visits/promotions/", "customer", "x"),
        ("/api/visits/work-logs/", "author", "null"),
        ("/api/visits/schedules/", "manager", "99999999999999999999"),
        ("/api/visits/suggestions/", "open", "null"),
        ("/api/users/", "is_active", "null"),
    ],
)
def test_query_values_once_ignored_are_refused(api_login, admin_user, path, name, wrong):
    # Before: the value was dropped and the whole list came back (200).
    response = api_login(admin_user).get(path, {name: wrong})

    assert response.status_code == 400
    assert list(response.json()) == [name]


def test_filters_say_what_they_take(schema):
    ordering = _parameter(schema, "/api/customers/", "ordering")
    year = _parameter(schema, "/api/calendar/", "year")
    month_on_list = _parameter(schema, "/api/reports/", "month")
    approve = schema["paths"]["/api/reports/{id}/approve/"]["post"].get("parameters", [])

    # Customers: regions by code (it said integer), the filter set's sort keys.
    assert _parameter(schema, "/api/customers/", "region")["type"] == "string"
    assert {"code", "-code", "grade", "-joined_on"} <= set(ordering["enum"])
    assert "updated_at" not in ordering["enum"]
    # true or false (it said a boolean with the enum "true", "false").
    assert _parameter(schema, "/api/users/", "is_active") == {
        "type": "string",
        "enum": ["true", "false"],
    }
    # A whole year (it said number: 0.5 was refused).
    assert year == {"type": "integer", "minimum": 1, "maximum": 9999}
    # A month on the list only (it was declared, and ignored, on every report operation).
    assert re.match(month_on_list["pattern"], "2026-10")
    assert [p["name"] for p in approve if p["in"] == "query"] == []


def test_bodies_say_what_they_take(schema):
    components = schema["components"]["schemas"]
    quantity = components["OpenRequest"]["properties"]["quantity"]["pattern"]

    assert "password" in components["UserCreateRequest"]["required"]
    assert components["VisitSignRequest"]["properties"]["image"]["minLength"] == 1
    assert "photo" not in components["UnlicensedReportTextRequest"]["properties"]
    # A file only in a multipart upload (a plain form cannot carry one).
    photos = schema["paths"]["/api/complaints/{id}/photos/"]["post"]["requestBody"]["content"]
    assert list(photos) == ["multipart/form-data"]
    # A decimal has a digit and, where it may not be negative, no sign
    # (drf-spectacular's pattern took "-" and "").
    assert re.match(quantity, "2.5") and re.match(quantity, "12")
    assert [v for v in ("-", "", "-1", ".") if re.match(quantity, v)] == []
