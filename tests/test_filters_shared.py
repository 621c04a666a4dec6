"""One FilterSet per list, shared by the page and the API.

The same query parameters find the same rows on the page and from the API; a
bad value is a form error on the page (200, never a 500) and a 400 naming
the parameter from the API.
"""

import pytest
from django.urls import reverse

from tests import factories
from tests.visits.conftest import make_violation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _page_ids(client, url, params):
    response = client.get(url, params)
    assert response.status_code == 200
    return sorted(row.pk for row in response.context["page"].object_list)


def _api_ids(client, url, params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


def _refused(page_client, api_client, urls, params, field, form="form"):
    """The API answers 400 naming ``field``; the page shows the form with its error."""
    page_url, api_url = urls
    api = api_client.get(api_url, params)
    assert api.status_code == 400
    assert field in api.json()
    page = page_client.get(page_url, params)
    assert page.status_code == 200
    assert page.context[form].errors[field]


# Visits ------------------------------------------------------------------------------


@pytest.fixture
def visits(manager):
    peace = factories.CustomerFactory(manager=manager, name="和平便利店", code="C10001")
    river = factories.CustomerFactory(manager=manager, name="江边烟酒", code="C10002")
    return {
        "peace": factories.VisitFactory(customer=peace, arrived="2026-10-09 10:00"),
        "peace_locked": factories.VisitFactory(
            customer=peace, arrived="2026-10-12 10:00", signed=True
        ),
        "river": factories.VisitFactory(customer=river, arrived="2026-10-13 10:00"),
    }


VISITS_PAGE = reverse("visits:visit_list")
VISITS_API = "/api/visits/records/"


# Filters and the rows they find, on the page and in the API (the test at the end).
VISIT_FINDS = [
    ({"q": "和平"}, ["peace", "peace_locked"]),
    ({"q": "C10002"}, ["river"]),
    ({"q": "和平", "status": "locked"}, ["peace_locked"]),
    ({"date_from": "2026-10-12", "date_to": "2026-10-12"}, ["peace_locked"]),
    ({"kind": "special", "date_to": "2026-10-10"}, ["peace"]),
]


def test_visits_by_customer_id_on_page_and_api(visits, manager, login, api_login):
    customer = visits["river"].customer_id
    rows = [visits["river"].pk]
    assert _page_ids(login(manager), VISITS_PAGE, {"customer": customer}) == rows
    assert _api_ids(api_login(manager), VISITS_API, {"customer": customer}) == rows


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "x"}, "date_from"),
        ({"date_from": "2026-10-12", "date_to": "2026-10-01"}, "date_to"),
        ({"status": "nonsense"}, "status"),
        ({"customer": "abc"}, "customer"),
        ({"customer": "1.5"}, "customer"),
    ],
)
def test_bad_visit_filters_are_field_errors(visits, manager, login, api_login, params, field):
    urls = (VISITS_PAGE, VISITS_API)
    _refused(login(manager), api_login(manager), urls, params, field)


# Complaints ----------------------------------------------------------------------------


COMPLAINTS_PAGE = reverse("complaints:list")
COMPLAINTS_API = "/api/complaints/"


@pytest.fixture
def complaints(manager):
    peace = factories.CustomerFactory(manager=manager, name="和平便利店", code="C20001")
    river = factories.CustomerFactory(manager=manager, name="江边烟酒", code="C20002")
    return {
        "peace": factories.ComplaintFactory(customer=peace),
        "peace_submitted": factories.ComplaintFactory(customer=peace, stage="submitted"),
        "river": factories.ComplaintFactory(customer=river),
    }


# Filters and the rows they find, on the page and in the API (the test at the end).
COMPLAINT_FINDS = [
    ({"customer": "和平"}, ["peace", "peace_submitted"]),
    ({"customer": "C20002"}, ["river"]),
    ({"status": "submitted"}, ["peace_submitted"]),
    ({"to_decide": "true"}, ["peace_submitted"]),
]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "nonsense"}, "status"),
        ({"overdue": "perhaps"}, "overdue"),
        ({"customer_id": "1.5"}, "customer_id"),
    ],
)
def test_bad_complaint_filters_are_field_errors(
    complaints, manager, login, api_login, params, field
):
    urls = (COMPLAINTS_PAGE, COMPLAINTS_API)
    _refused(login(manager), api_login(manager), urls, params, field, form="filter_form")


# Monthly reports -------------------------------------------------------------------------


REPORTS_PAGE = reverse("reports:report_list")
REPORTS_API = "/api/reports/"


@pytest.fixture
def reports(manager, teammate):
    import datetime

    return {
        "september": factories.ReportFactory(manager=manager, status="approved"),
        "august": factories.ReportFactory(manager=manager, month=datetime.date(2026, 8, 1)),
        "teammate": factories.ReportFactory(manager=teammate, status="submitted"),
    }


# Filters and the rows they find, on the page and in the API (the test at the end).
REPORT_FINDS = [
    ({"month": "2026-09"}, ["september", "teammate"]),
    ({"status": "submitted"}, ["teammate"]),
    ({"month": "2026-08", "status": "draft"}, ["august"]),
]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"month": "sept"}, "month"), ({"month": "2026-13"}, "month"), ({"status": "late"}, "status")],
)
def test_bad_report_filters_are_field_errors(
    reports, regional_manager, login, api_login, params, field
):
    urls = (REPORTS_PAGE, REPORTS_API)
    _refused(
        login(regional_manager),
        api_login(regional_manager),
        urls,
        params,
        field,
        form="filter_form",
    )


# Sales -------------------------------------------------------------------------------------


SALES_PAGE = reverse("sales_list")
SALES_API = "/api/sales/"


@pytest.fixture
def sales(manager):
    import datetime

    peace = factories.CustomerFactory(manager=manager, name="和平便利店", code="C30001")
    river = factories.CustomerFactory(manager=manager, name="江边烟酒", code="C30002")
    return {
        "peace_aug": factories.SalesRecordFactory(customer=peace, month=datetime.date(2026, 8, 1)),
        "peace_sep": factories.SalesRecordFactory(customer=peace, month=datetime.date(2026, 9, 1)),
        "river_sep": factories.SalesRecordFactory(customer=river, month=datetime.date(2026, 9, 1)),
    }


# Filters and the rows they find, on the page and in the API (the test at the end).
SALES_FINDS = [
    ({"customer": "和平"}, ["peace_aug", "peace_sep"]),
    ({"customer": "C30002"}, ["river_sep"]),
    ({"month": "2026-09"}, ["peace_sep", "river_sep"]),
    ({"month": "2026-08-01"}, ["peace_aug"]),
    ({"customer": "和平", "month_from": "2026-09"}, ["peace_sep"]),
]


@pytest.mark.parametrize("params", [{"month": "2026-13"}, {"month_to": "x"}])
def test_bad_sales_filters_are_field_errors(sales, manager, login, api_login, params):
    (field,) = params
    _refused(login(manager), api_login(manager), (SALES_PAGE, SALES_API), params, field)


# Price violations, unlicensed operation, work logs ----------------------------------------


def _violation(manager, customer, *, dismissed_by=None):
    from visits.services import violations

    violation = make_violation(manager, customer)
    if dismissed_by:
        violations.price_violation_dismiss(violation=violation, actor=dismissed_by, note="误报")
    return violation


@pytest.fixture
def worked(manager, regional_manager):
    import datetime

    from visits.models import WorkLog
    from visits.services import unlicensed, work_logs

    customer = factories.CustomerFactory(manager=manager)
    reported = unlicensed.unlicensed_report(
        actor=manager, address="人民路 9 号", description="无证"
    )
    forwarded = unlicensed.unlicensed_report(
        actor=manager, address="人民路 10 号", description="无证"
    )
    unlicensed.unlicensed_forward(report=forwarded, actor=regional_manager, note="已转")
    return {
        "open_violation": _violation(manager, customer),
        "dismissed_violation": _violation(manager, customer, dismissed_by=regional_manager),
        "reported": reported,
        "forwarded": forwarded,
        "daily": work_logs.work_log_write(
            actor=manager, kind=WorkLog.Kind.DAILY, day=datetime.date(2026, 10, 13), content="走访"
        ),
        "weekly": work_logs.work_log_write(
            actor=manager, kind=WorkLog.Kind.WEEKLY, day=datetime.date(2026, 10, 12), content="周报"
        ),
    }


LISTS = {
    "violations": (reverse("visits:violation_list"), "/api/visits/price-violations/"),
    "unlicensed": (reverse("visits:unlicensed_list"), "/api/visits/unlicensed/"),
    "work_logs": (reverse("visits:work_log_list"), "/api/visits/work-logs/"),
}


# Filters and the rows they find, on the page and in the API (the test at the end).
WORKFLOW_FINDS = [
    ("violations", {"status": "dismissed"}, ["dismissed_violation"]),
    ("violations", {}, ["open_violation", "dismissed_violation"]),
    ("unlicensed", {"status": "forwarded"}, ["forwarded"]),
    ("work_logs", {"kind": "weekly"}, ["weekly"]),
]


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("violations", {"status": "nonsense"}),
        ("unlicensed", {"status": "nonsense"}),
        ("work_logs", {"kind": "monthly"}),
        ("work_logs", {"author": "١"}),
    ],
)
def test_bad_visit_workflow_filters(worked, regional_manager, login, api_login, name, params):
    """The API said nothing and listed everything; the page quietly showed all."""
    page_url, api_url = LISTS[name]
    (field,) = params
    api = api_login(regional_manager).get(api_url, params)
    assert api.status_code == 400
    assert field in api.json()
    page = login(regional_manager).get(page_url, params, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert [m.level_tag for m in page.context["messages"]] == ["error"]


def test_suggestions_and_promotions_filters_on_page_and_api(manager, login, api_login):
    from visits.services import suggestions

    customer = factories.CustomerFactory(manager=manager)
    visit = factories.VisitFactory(customer=customer)
    waiting = suggestions.suggestion_add(visit=visit, actor=manager, text="希望上午送货")
    answered = suggestions.suggestion_add(visit=visit, actor=manager, text="希望多送")
    suggestions.suggestion_answer(suggestion=answered, actor=manager, answer="可以")
    page = reverse("visits:suggestion_list")
    api = "/api/visits/suggestions/"
    assert _page_ids(login(manager), page, {"open": "true"}) == [waiting.pk]
    assert _api_ids(api_login(manager), api, {"open": "true"}) == [waiting.pk]
    assert _page_ids(login(manager), page, {"show": "all"}) == sorted([waiting.pk, answered.pk])
    assert _api_ids(api_login(manager), api, {}) == sorted([waiting.pk, answered.pk])
    assert api_login(manager).get(api, {"open": "maybe"}).status_code == 400
    assert api_login(manager).get("/api/visits/promotions/", {"customer": "x"}).status_code == 400
    assert (
        login(manager).get(reverse("visits:promotion_list"), {"customer": "x"}).status_code == 200
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [({"manager": "x"}, "manager"), ({"week_start": "2026-02-30"}, "week_start")],
)
def test_schedule_api_filters_refuse_bad_values(regional_manager, api_login, params, field):
    response = api_login(regional_manager).get("/api/visits/schedules/", params)
    assert response.status_code == 400
    assert field in response.json()


def test_customers_page_and_api_share_customer_filter(manager, login, api_login):
    peace = factories.CustomerFactory(manager=manager, name="和平便利店", code="C40001")
    factories.CustomerFactory(manager=manager, name="江边烟酒", code="C40002")
    page = reverse("customer_list")
    assert _page_ids(login(manager), page, {"q": "和平"}) == [peace.pk]
    assert _api_ids(api_login(manager), "/api/customers/", {"q": "和平"}) == [peace.pk]
    assert api_login(manager).get("/api/customers/", {"grade": "Z9"}).status_code == 400


def test_a_page_number_is_not_a_filter(visits, manager, login):
    assert login(manager).get(VISITS_PAGE, {"page": "1"}).context["filtered"] is False
    assert login(manager).get(VISITS_PAGE, {"q": "和平"}).context["filtered"] is True


# Every list above: the page and the API find the same rows ------------------------------


def _finds(rows, persona, urls, cases):
    """Cases of ``test_page_and_api_find_the_same_rows``: ``rows`` is the fixture they read."""
    return [
        pytest.param(rows, persona, urls, params, expected, id=f"{rows}-{i}")
        for i, (params, expected) in enumerate(cases)
    ]


@pytest.mark.parametrize(
    ("rows", "persona", "urls", "params", "expected"),
    [
        *_finds("visits", "manager", (VISITS_PAGE, VISITS_API), VISIT_FINDS),
        *_finds("complaints", "manager", (COMPLAINTS_PAGE, COMPLAINTS_API), COMPLAINT_FINDS),
        *_finds("reports", "regional_manager", (REPORTS_PAGE, REPORTS_API), REPORT_FINDS),
        *_finds("sales", "manager", (SALES_PAGE, SALES_API), SALES_FINDS),
        *(
            pytest.param("worked", "regional_manager", LISTS[name], params, expected, id=name)
            for name, params, expected in WORKFLOW_FINDS
        ),
    ],
)
def test_page_and_api_find_the_same_rows(
    request, login, api_login, rows, persona, urls, params, expected
):
    objects = request.getfixturevalue(rows)
    user = request.getfixturevalue(persona)
    page_url, api_url = urls
    found = sorted(objects[name].pk for name in expected)
    assert _page_ids(login(user), page_url, params) == found
    assert _api_ids(api_login(user), api_url, params) == found
