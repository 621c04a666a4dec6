"""Bad input at the edges is answered with a clear 400/413 (or a message), never a 500.

An outside attack in production mode found 500s for NUL bytes in parameters,
dates at the ends of the calendar, JSON nested 100,000 deep and bodies of
any size; and the API answered its own errors with the HTML page. Each class
is tested here across the routes that take such input.
"""

import json

import pytest
from django.urls import reverse

from complaints.models import Complaint
from core.models import CalendarDay
from crm.models import Customer

pytestmark = pytest.mark.django_db

NUL_VALUE = "a\x00b"


@pytest.fixture
def browser(client, english):
    def _as(user):
        client.force_login(user)
        return client

    return _as


# NUL characters -------------------------------------------------------------------

API_LISTS = [
    ("/api/reports/", "status"),
    ("/api/reports/", "month"),
    ("/api/customers/", "region"),
    ("/api/customers/", "q"),
    ("/api/customers/", "grade"),
    ("/api/complaints/", "status"),
    ("/api/complaints/", "customer"),
    ("/api/visits/records/", "status"),
    ("/api/visits/schedules/", "week_start"),
    ("/api/sales/", "customer"),
    ("/api/users/", "region"),
    ("/api/calendar/", "kind"),
    ("/api/visits/work-logs/", "kind"),
]

PAGES = [
    ("/customers/", "region"),
    ("/customers/", "q"),
    ("/reports/", "status"),
    ("/reports/", "month"),
    ("/complaints/", "status"),
    ("/visits/list/", "q"),
    ("/visits/schedule/", "week"),
    ("/visits/suggestions/", "show"),
    ("/sales/", "customer"),
    ("/calendar/", "year"),
    ("/audit/", "object_type"),
]


@pytest.mark.parametrize("persona", ["manager", "admin_user"])
@pytest.mark.parametrize(("url", "param"), API_LISTS)
def test_nul_in_an_api_query_parameter_is_a_400_field_message(
    request, api_login, persona, url, param
):
    client = api_login(request.getfixturevalue(persona))

    response = client.get(url, {param: NUL_VALUE})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {param: ["Null characters are not allowed."]}


@pytest.mark.parametrize("persona", ["manager", "admin_user"])
@pytest.mark.parametrize(("url", "param"), PAGES)
def test_nul_in_a_page_query_parameter_is_the_400_page(request, browser, persona, url, param):
    client = browser(request.getfixturevalue(persona))

    response = client.get(url, {param: NUL_VALUE})

    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]
    assert "Null characters are not allowed." in response.content.decode()


def test_nul_in_a_parameter_name_is_refused_too(api_login, manager):
    response = api_login(manager).get("/api/customers/", {"st\x00atus": "x"})
    assert response.status_code == 400


def test_nul_in_a_browser_form_field_is_refused(browser, manager, customer):
    url = reverse("customer_edit", args=[customer.pk])
    response = browser(manager).post(url, {"name": NUL_VALUE})
    assert response.status_code == 400
    customer.refresh_from_db()
    assert customer.name == "和平便利店"


def test_nul_in_a_json_body_string_is_a_field_message(api_login, manager, customer):
    response = api_login(manager).patch(
        f"/api/customers/{customer.pk}/",
        {"credit_standing": NUL_VALUE, "contacts": [{"name": "x", "phone": "1\x002"}]},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) in (["credit_standing"], ["contacts.0.phone"])


def test_nul_in_a_json_key_is_refused(api_login, manager, customer):
    response = api_login(manager).patch(
        f"/api/customers/{customer.pk}/", {"credit\x00": "x"}, format="json"
    )
    assert response.status_code == 400


def test_nul_in_a_json_choice_field_is_a_400(api_login, regional_manager, customer):
    """Not only CharFields: a slug looked up in the database (grade code) too."""
    response = api_login(regional_manager).post(
        f"/api/customers/{customer.pk}/grade/", {"grade": "B\x001", "reason": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "grade" in response.json()


def test_nul_in_a_put_form_body_is_refused(api_login, admin_user):
    """Django parses form bodies of POST only: DRF's form parser checks PUT and PATCH."""
    day = CalendarDay.objects.order_by("date").first()
    response = api_login(admin_user).patch(
        f"/api/calendar/{day.pk}/", "name=a%00b", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert response.json() == {"name": ["Null characters are not allowed."]}


def test_nul_in_a_multipart_field_is_refused(api_login, manager, customer):
    response = api_login(manager).post(
        "/api/complaints/",
        {
            "customer": customer.pk,
            "product": NUL_VALUE,
            "quantity": "1",
            "unit": "条",
            "problem": "p",
            "reported_on": "2026-01-05",
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json() == {"product": ["Null characters are not allowed."]}
    assert not Complaint.objects.exists()


def test_nul_in_the_path_and_in_a_token_header(api_client, manager):
    assert api_client.get("/api/customers/%00/").status_code in (400, 404)
    response = api_client.get("/api/customers/", HTTP_AUTHORIZATION="Token ab\x00cd")
    assert response.status_code == 400


def test_nul_in_the_session_cookie_is_refused(client, settings):
    client.cookies[settings.SESSION_COOKIE_NAME] = "abcdefgh\x00ijk"
    assert client.get("/customers/").status_code == 400


# Dates at the ends of the calendar ------------------------------------------------

EXTREMES = ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"]


@pytest.mark.parametrize("day", EXTREMES)
@pytest.mark.parametrize(
    ("persona", "url", "param"),
    [
        ("manager", "/api/visits/schedules/", "week_start"),
        ("regional_manager", "/api/visits/schedules/region/", "week_start"),
        ("manager", "/api/visits/records/", "date_from"),
        ("manager", "/api/visits/records/", "date_to"),
        ("manager", "/api/sales/", "month"),
        ("manager", "/api/sales/", "month_from"),
        ("manager", "/api/sales/", "month_to"),
        ("manager", "/api/calendar/working-day/", "date"),
    ],
)
def test_api_date_parameter_outside_the_business_range_is_a_400(
    request, api_login, persona, url, param, day
):
    client = api_login(request.getfixturevalue(persona))

    response = client.get(url, {param: day})

    assert response.status_code == 400, response.content
    assert "between 2000-01-01 and 2100-12-31" in json.dumps(response.json())


@pytest.mark.parametrize(
    "month", ["2026-13", "2026-00", "2026-02-30", "2026-2", "9999-12", "0001-01"]
)
def test_a_month_that_does_not_exist_is_an_error_not_another_month(
    api_login, browser, manager, month
):
    api = api_login(manager).get("/api/reports/", {"month": month})
    assert api.status_code == 400
    assert "month" in api.json()

    page = browser(manager).get("/reports/", {"month": month})
    assert page.status_code == 200
    assert "Give the month as YYYY-MM." in page.content.decode() or "between" in (
        page.content.decode()
    )


@pytest.mark.parametrize("month", ["2026-13", "2026-02-30", "9999-12"])
def test_sales_page_month_that_does_not_exist_is_a_form_error(browser, manager, month):
    page = browser(manager).get(reverse("sales_list"), {"month": month})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Give the month as YYYY-MM." in text or "between 2000-01-01 and 2100-12-31" in text


def test_a_good_month_still_filters(api_login, manager):
    assert api_login(manager).get("/api/reports/", {"month": "2026-09"}).status_code == 200


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "2026-02-30"])
@pytest.mark.parametrize(
    ("persona", "name"),
    [("manager", "visits:schedule"), ("regional_manager", "visits:region_schedules")],
)
def test_schedule_pages_with_a_week_off_the_calendar_show_this_week(
    request, browser, persona, name, week
):
    client = browser(request.getfixturevalue(persona))

    response = client.get(reverse(name), {"week": week})

    assert response.status_code == 200
    assert "This week is shown." in response.content.decode()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_page_filters_with_extreme_dates_answer_a_form_error(browser, manager, admin_user, day):
    for user, url, param in (
        (manager, "/visits/list/", "date_from"),
        (admin_user, "/audit/", "since"),
        (manager, "/visits/logs/write/", "day"),
    ):
        response = browser(user).get(url, {param: day})
        assert response.status_code == 200, (url, response.status_code)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_api_writes_with_extreme_dates_answer_field_messages(
    api_login, manager, regional_manager, admin_user, customer, day
):
    cases = [
        (
            regional_manager,
            f"/api/customers/{customer.pk}/exit/",
            {"exited_on": day, "reason": "r"},
            "exited_on",
        ),
        (
            manager,
            f"/api/customers/{customer.pk}/",
            {"operator_birthday": day},
            "operator_birthday",
        ),
        (admin_user, "/api/calendar/", {"date": day, "kind": "holiday", "name": "x"}, "date"),
        (manager, "/api/visits/schedules/propose/", {"week_start": day}, "week_start"),
        (
            manager,
            "/api/complaints/",
            {
                "customer": customer.pk,
                "product": "p",
                "quantity": "1",
                "unit": "条",
                "problem": "p",
                "reported_on": day,
            },
            "reported_on",
        ),
        (manager, "/api/visits/work-logs/", {"kind": "daily", "day": day, "content": "c"}, "day"),
    ]
    for user, url, body, field in cases:
        client = api_login(user)
        method = client.patch if url.endswith(f"/{customer.pk}/") else client.post
        response = method(url, body, format="json")
        assert response.status_code == 400, (url, response.status_code, response.content)
        assert field in response.json(), (url, response.json())
    customer.refresh_from_db()
    assert customer.network_status == Customer.NetworkStatus.ACTIVE
    assert customer.operator_birthday is None


def test_browser_forms_with_extreme_dates_answer_form_errors(
    browser, regional_manager, admin_user, customer
):
    page = browser(regional_manager).post(
        reverse("customer_exit_network", args=[customer.pk]),
        {"exited_on": "9999-12-31", "reason": "停业"},
    )
    assert page.status_code == 200
    assert "between 2000-01-01 and 2100-12-31" in page.content.decode()
    page = browser(admin_user).post(
        reverse("calendar"), {"date": "0001-01-01", "kind": "holiday", "name": "x"}
    )
    assert page.status_code == 200
    assert "between 2000-01-01 and 2100-12-31" in page.content.decode()
    customer.refresh_from_db()
    assert customer.network_status == Customer.NetworkStatus.ACTIVE


# Deep JSON --------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [33, 100_000])
def test_json_nested_too_deep_is_a_400(api_login, manager, customer, depth):
    body = "[" * depth + "]" * depth
    response = api_login(manager).patch(
        f"/api/customers/{customer.pk}/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested deeper than 32" in response.json()["detail"]


def test_json_nested_within_the_limit_is_read(api_login, manager, customer):
    body = json.dumps({"credit_standing": "良好", "contacts": [{"name": "王", "phone": "1"}]})
    response = api_login(manager).patch(
        f"/api/customers/{customer.pk}/", body, content_type="application/json"
    )
    assert response.status_code == 200


# Body size -------------------------------------------------------------------------


def test_json_body_over_the_limit_is_a_413_before_parsing(api_login, manager, customer, settings):
    big = json.dumps({"credit_standing": "x" * (settings.REQUEST_BODY_MAX_BYTES + 1)})
    response = api_login(manager).patch(
        f"/api/customers/{customer.pk}/", big, content_type="application/json"
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "too large" in response.json()["detail"]


def test_api_errors_outside_drf_are_readable_utf8(api_login, manager, customer, settings):
    """As DRF writes its errors: the Chinese text itself, not \\u escapes."""
    big = json.dumps({"credit_standing": "x" * (settings.REQUEST_BODY_MAX_BYTES + 1)})
    response = api_login(manager).patch(
        f"/api/customers/{customer.pk}/",
        big,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 413
    assert "请求过大".encode() in response.content
    missing = api_login(manager).get("/api/no-such-thing/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert missing.status_code == 404
    assert "未找到".encode() in missing.content


def test_browser_form_over_the_limit_is_the_413_page(browser, manager, customer, settings):
    url = reverse("customer_edit", args=[customer.pk])
    response = browser(manager).post(
        url,
        "name=" + "x" * settings.REQUEST_BODY_MAX_BYTES,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()


def test_a_chunked_body_without_a_length_is_refused_not_taken_as_empty(
    api_login, manager, customer
):
    """Django reads no byte of a body without Content-Length: say so instead of a quiet 200."""
    response = api_login(manager).generic(
        "PATCH",
        f"/api/customers/{customer.pk}/",
        json.dumps({"credit_standing": "良好"}),
        content_type="application/json",
        HTTP_TRANSFER_ENCODING="chunked",
        CONTENT_LENGTH="",
    )
    assert response.status_code == 411
    assert "Content-Length" in response.json()["detail"]


def test_uploads_may_be_larger_than_other_bodies_up_to_their_own_limit(
    api_login, admin_user, settings
):
    client = api_login(admin_user)
    settings.REQUEST_BODY_MAX_BYTES = 1024
    settings.REQUEST_UPLOAD_MAX_BYTES = 64 * 1024
    from django.core.files.uploadedfile import SimpleUploadedFile

    small = SimpleUploadedFile("s.csv", b"customer_code,month,quantity,amount\n" + b"#" * 4000)
    response = client.post("/api/sales/import/", {"file": small}, format="multipart")
    assert response.status_code != 413

    big = SimpleUploadedFile("b.csv", b"x" * (70 * 1024))
    response = client.post("/api/sales/import/", {"file": big}, format="multipart")
    assert response.status_code == 413


# Errors of the API in JSON ------------------------------------------------------------


def test_unknown_api_path_is_a_json_404(api_login, manager, settings):
    settings.DEBUG = False
    response = api_login(manager).get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_unknown_page_is_still_the_html_404(browser, manager, settings):
    settings.DEBUG = False
    response = browser(manager).get("/no-such-page/")
    assert response.status_code == 404
    assert "text/html" in response["Content-Type"]


def test_a_crash_under_the_api_answers_json_500(api_login, manager, settings, monkeypatch):
    from crm import selectors

    def crash(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "sales_list", crash)
    settings.DEBUG = False
    client = api_login(manager)
    client.raise_request_exception = False

    response = client.get("/api/sales/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Server error."}
    assert "boom" not in response.content.decode()


def test_a_crash_in_a_page_answers_the_html_500(browser, manager, settings, monkeypatch):
    from crm import views

    monkeypatch.setattr(views, "render", lambda *a, **k: 1 / 0)
    settings.DEBUG = False
    client = browser(manager)
    client.raise_request_exception = False

    response = client.get("/customers/")

    assert response.status_code == 500
    assert "text/html" in response["Content-Type"]
