"""Every route, as every persona: who gets what, proven from the URL resolver.

The walk takes every URL pattern of the project from ``get_resolver()`` (the
browser pages and, through the routers, every API route of the OpenAPI
schema), fills its path parameters with objects that belong to ``manager``
and their region, and requests it as:

- anonymous: pages redirect to the login page, the API answers exactly 401
  (token authentication comes first in REST_FRAMEWORK, so DRF asks for it);
- ``manager`` (the owner): pages of their own objects are found (so the map
  below really points at their objects);
- ``teammate`` (same region), ``outsider`` (other region) and
  ``other_regional_manager``: someone else's object answers exactly 404, as
  an id that does not exist would, so no answer tells "it exists". The only
  other answers are the ones an id that does not exist gets too: 405 for a
  method the route does not take, and 403 on the routes of ``ROLE_GATED``,
  refused for the role before any object is looked up. Shared reference data
  (``SHARED_OBJECTS``) may be read by all and changed by the admin only (403).
  Lists, searches, exports and PDFs never show the foreign customer; POST
  with empty data never succeeds and never fails with a 500.

A new route with a ``pk`` needs a line in ``OBJECT_OF_PREFIX``; the walk
fails loudly until it has one, so a new route is covered automatically.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.world import FOREIGN_CODE, FOREIGN_NAME, module_world

pytestmark = pytest.mark.django_db

# Every test here reads the world and changes nothing it keeps: built once for the module.
world = module_world

# The object a route's ``pk`` names, by the part of the route before the pk.
# Keys not found here fail the walk: add the new route's object.
OBJECT_OF_PREFIX = {
    "customers/": "customer",
    "grades/": "grade",
    "regrading/": "regrading_run",
    "calendar/": "calendar_day",
    "sales/imports/": "sales_import",
    "visits/schedule/": "schedule",
    "visits/schedule/entry/": "planned_visit",
    "visits/": "visit",
    "visits/suggestions/": "suggestion",
    "visits/violations/": "violation",
    "visits/promotions/": "promotion",
    "visits/unlicensed/": "unlicensed",
    "visits/logs/": "work_log",
    "visits/photos/": "visit_photo",
    "complaints/": "complaint",
    "complaints/photos/": "complaint_photo",
    "complaints/signatures/": "complaint_signature",
    "reports/": "report",
    "satisfaction/rounds/": "satisfaction_round",
    "satisfaction/sample/": "satisfaction_sample",
    "satisfaction/answers/": "satisfaction_answer",
    "satisfaction/measures/": "satisfaction_measure",
    "satisfaction/questionnaires/": "satisfaction_questionnaire",
    "api/satisfaction/rounds/": "satisfaction_round",
    "api/satisfaction/answers/": "satisfaction_answer",
    "api/satisfaction/measures/": "satisfaction_measure",
    "api/satisfaction/questionnaires/": "satisfaction_questionnaire",
    "api/visits/schedules/": "schedule",
    "api/visits/records/": "visit",
    "api/visits/suggestions/": "suggestion",
    "api/visits/price-violations/": "violation",
    "api/visits/promotions/": "promotion",
    "api/visits/unlicensed/": "unlicensed",
    "api/visits/work-logs/": "work_log",
    "api/customers/": "customer",
    "api/grades/": "grade",
    "api/regions/": "region",
    "api/users/": "user",
    "api/kpis/managers/": "user",
    "api/sales/imports/": "sales_import",
    "api/sales/": "sales_record",
    "exports/jobs/": "export_job",
    "api/exports/": "export_job",
    "api/calendar/": "calendar_day",
    "api/complaints/": "complaint",
    "api/reports/": "report",
    "users/": "user",
    "regions/": "region",
    "reminders/robots/": "region",
    "reminders/robot-messages/": "robot_message",
}

# Reference data shared by everyone: reading it is allowed, changing it is the admin's.
# Everyone may know these exist, so a 403 for changing them tells nothing.
# A questionnaire, and a satisfaction round of every region: everyone taking part reads
# it (its sample shows each only the customers they may see); the round is closed by
# the service centre, an admin or the region's manager.
SHARED_OBJECTS = {
    "grade",
    "region",
    "calendar_day",
    "regrading_run",
    "satisfaction_questionnaire",
    "satisfaction_round",
}

# Routes refused for a role whatever the object: 403 for every persona of the
# walk but the admin, for an id that does not exist as well (the walk checks).
ROLE_GATED = {
    "grade_edit": "the grading scheme is the admin's to change",
    # (a regional manager confirms their region's downgrades: REGIONAL_MANAGER_ROUTES)
    "regrading_detail": "a regrading run is the admin's; managers never see one",
    "calendar_day_edit": "the working-day calendar is the admin's to change",
    "calendar_day_delete": "the working-day calendar is the admin's to change",
    "user-detail": "the API's users are the admin's; no other role reads any user",
    "satisfaction:questionnaire_edit": "questionnaires are the admin's to change",
    "robot_edit": "a region's group robot is the admin's to set",
    "robot_delete": "a region's group robot is the admin's to remove",
    "robot_message_retry": "group robot messages are the admin's to send again",
    "user_detail": "users are managed by admins; no other role opens a user's page",
    "user_edit": "users are managed by admins",
    "user_password": "only an admin resets a user's password",
    "user_deactivate": "only an admin deactivates a user",
    "user_reactivate": "only an admin reactivates a user",
    "user_unlock": "only an admin lifts a login lockout",
    "region_edit": "regions are the admin's to rename",
}

# Other path parameters.
OTHER_PARAMETERS = {
    "role": "manager",
    "action": "approve",
    "name": "customers",
    "file_format": "csv",
    "month": "2026-09",
    "format": "json",
}

# Open to anyone: the login itself, the health check, the language switch, the schema.
PUBLIC = {
    "login",
    "logout",
    "health",
    "set_language",
    "api_schema",
    "api_docs",
    "api_redoc",
    "api_token",
    # The installable app: the same file for everyone, no data.
    "service_worker",
    "manifest",
    "offline",
}

# Not walked, with the reason.
SKIPPED = {
    # Django's own admin has its own staff check and tests.
    "admin",
    # Served only with DEBUG on, never in production (media go through the checked views).
    "media",
}


def _route_text(pattern):
    text = str(pattern.pattern)
    return text.replace("^", "").replace("$", "").replace("\\", "")


def _parameters(pattern):
    if hasattr(pattern.pattern, "converters"):
        return list(pattern.pattern.converters)
    return list(pattern.pattern.regex.groupindex)


def iter_routes(resolver=None, prefix="", namespace=""):
    """(route text, url name, parameter names) for every pattern, recursively."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}{pattern.namespace}:"
            sub_prefix = prefix + _route_text(pattern)
            if sub_prefix.split("/")[0] in SKIPPED:
                continue
            yield from iter_routes(pattern, sub_prefix, ns)
        elif isinstance(pattern, URLPattern):
            route = prefix + _route_text(pattern)
            if route.split("/")[0] in SKIPPED:
                continue
            params = list(pattern.pattern.regex.groupindex) or _parameters(pattern)
            yield route, f"{namespace}{pattern.name}", params


def object_key(route):
    """The object a route's pk names, from the longest matching prefix."""
    head = re.split(r"<int:pk>|\(\?P<pk>", route)[0]
    if head not in OBJECT_OF_PREFIX:
        pytest.fail(f"Route {route!r} has a pk: add {head!r} to OBJECT_OF_PREFIX")
    return OBJECT_OF_PREFIX[head]


# Ids no row has: what a route answers for them is what it may answer for a foreign one.
MISSING = {"pk": 987654321, "uid": "00000000-0000-4000-8000-000000000000"}


def build_urls(world, *, missing=False):
    """(route, name, url, object key or None) for every walked route.

    With ``missing``, the object's id in each URL is one that no row has.
    """
    urls = []
    for route, name, params in iter_routes():
        kwargs = {}
        key = None
        for param in params:
            if param == "pk":
                key = object_key(route)
                kwargs["pk"] = MISSING["pk"] if missing else world[key].pk
            elif param == "uid":
                # An API token is named by its uid (accounts.urls), never its key.
                key = "api_token"
                kwargs["uid"] = MISSING["uid"] if missing else world[key].uid
            elif param in OTHER_PARAMETERS:
                kwargs[param] = OTHER_PARAMETERS[param]
            else:
                pytest.fail(f"Route {route!r}: no value for the parameter {param!r}")
        if "format" in kwargs:
            # Format-suffix twins answer like the plain route; one is enough.
            continue
        urls.append((route, name, reverse(name, kwargs=kwargs), key))
    return urls


def _is_api(route):
    return route.startswith("api/")


def _login_redirect(response):
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


def _text(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def test_every_route_is_walked(world):
    urls = build_urls(world)
    # The browser and API routes of the apps, not just a handful.
    assert len(urls) > 150
    names = {name for _, name, _, _ in urls}
    for expected in ("customer_detail", "visits:visit_pdf", "complaints:photo", "report-pdf"):
        assert expected in names


def test_anonymous(client, world):
    failures = []
    for route, name, url, _ in build_urls(world):
        if name in PUBLIC:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if _is_api(route):
                ok = response.status_code == 401
            else:
                # 405: a POST-only page refuses the method before asking who you are.
                ok = _login_redirect(response) or (method == "get" and response.status_code == 405)
            if not ok:
                failures.append(f"{method.upper()} {url}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_owner_finds_their_objects(client, world, manager):
    """The map points at the manager's objects: the owner is not told 404."""
    client.force_login(manager)
    failures = []
    for _route, _name, url, key in build_urls(world):
        if key is None or key in SHARED_OBJECTS:
            continue
        response = client.get(url)
        if response.status_code in (404, 500):
            failures.append(f"GET {url}: {response.status_code}")
    assert not failures, "\n".join(failures)


FOREIGN_PERSONAS = ["teammate", "outsider", "other_regional_manager"]

# Role-gated routes a regional manager takes part in: they read the shared
# object (200, showing their region's part only) and post to it (a redirect
# back; the walk's run holds downgrades of their region).
REGIONAL_MANAGER_ROUTES = {
    "regrading_detail": "a regional manager confirms the downgrades of their region",
}


def _expected(name, key, method, missing_status):
    """The answers allowed for someone else's object, given the answer for a missing id."""
    if key in SHARED_OBJECTS:
        if method == "get" and name not in ROLE_GATED:
            # A POST-only step of a shared object refuses a GET like a missing id does.
            return {405} if missing_status == 405 else {200}
        # Changing reference data is the admin's; it exists for everyone.
        return {403, 405} if name not in ROLE_GATED else {403}
    allowed = {404}
    if missing_status == 405:
        # The route does not take the method: refused before the object is looked up.
        allowed.add(405)
    if name in ROLE_GATED and missing_status == 403:
        allowed.add(403)
    return allowed


@pytest.mark.parametrize("persona", FOREIGN_PERSONAS)
def test_someone_elses_objects(request, client, world, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    missing_urls = {name: url for _, name, url, _ in build_urls(world, missing=True)}
    failures = []
    for _route, name, url, key in build_urls(world):
        if key is None:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url, {})
            status = response.status_code
            if status == 404:
                continue
            missing_status = getattr(client, method)(missing_urls[name], {}).status_code
            expected = _expected(name, key, method, missing_status)
            if persona == "other_regional_manager" and name in REGIONAL_MANAGER_ROUTES:
                expected = {200} if method == "get" else {302}
            if status not in expected:
                failures.append(
                    f"{method.upper()} {url}: {status} (an id that does not exist: "
                    f"{missing_status})"
                )
            elif status == 200 and FOREIGN_NAME in _text(response):
                failures.append(f"{method.upper()} {url}: shows {FOREIGN_NAME}")
    assert not failures, "\n".join(failures)


def test_role_gated_routes_are_named_with_a_reason(client, world):
    """Every exception to the 404 is a real route (a renamed route must not keep a stale pass)."""
    names = {name for _, name, _, _ in build_urls(world)}
    assert set(ROLE_GATED) <= names
    assert all(reason for reason in ROLE_GATED.values())


@pytest.mark.parametrize("persona", FOREIGN_PERSONAS)
def test_lists_searches_exports_show_nothing_foreign(request, client, world, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    # Search for parts of the code and name, so the search box echoing the
    # query does not count as showing the customer.
    searches = (
        {},
        {"q": FOREIGN_CODE[:-1], "search": FOREIGN_CODE[:-1]},
        {"q": FOREIGN_NAME[:2], "search": FOREIGN_NAME[:2], "customer": world["customer"].pk},
    )
    failures = []
    for _route, name, url, key in build_urls(world):
        if key is not None or name in PUBLIC:
            continue
        for query in searches:
            response = client.get(url, query)
            if response.status_code >= 500:
                failures.append(f"GET {url} {query}: {response.status_code}")
                continue
            text = _text(response)
            if FOREIGN_NAME in text or FOREIGN_CODE in text:
                failures.append(f"GET {url} {query}: shows the foreign customer")
        response = client.post(url, {})
        if response.status_code >= 500:
            failures.append(f"POST {url} (empty): {response.status_code}")
    assert not failures, "\n".join(failures)


def test_the_owner_sees_their_customer_in_lists(client, world, manager):
    """The other way round: the foreign-name check above can fail."""
    client.force_login(manager)
    assert FOREIGN_NAME in _text(client.get(reverse("customer_list"), {"q": FOREIGN_CODE}))
    assert FOREIGN_NAME in _text(client.get("/api/customers/", {"search": FOREIGN_CODE}))
