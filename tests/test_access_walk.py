"""Every route, as every persona: who gets what, proven from the URL resolver.

The walk takes every URL pattern of the project from ``get_resolver()`` (the
browser pages and, through the routers, every API route of the OpenAPI
schema), fills its path parameters with objects that belong to ``manager``
and their region, and requests it as:

- anonymous: pages redirect to the login page, the API answers 401/403;
- ``manager`` (the owner): pages of their own objects are found (so the map
  below really points at their objects);
- ``teammate`` (same region), ``outsider`` (other region) and
  ``other_regional_manager``: someone else's object answers 404 (403 where
  seeing is allowed but changing is not, 405 for a method the route does not
  take); lists, searches, exports and PDFs never show the foreign customer;
  POST with empty data never succeeds and never fails with a 500.

A new route with a ``pk`` needs a line in ``OBJECT_OF_PREFIX``; the walk
fails loudly until it has one, so a new route is covered automatically.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.world import FOREIGN_CODE, FOREIGN_NAME, build_world

pytestmark = pytest.mark.django_db

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
    "complaints/": "complaint",
    "complaints/photos/": "complaint_photo",
    "complaints/signatures/": "complaint_signature",
    "reports/": "report",
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
    "api/sales/imports/": "sales_import",
    "api/sales/": "sales_record",
    "api/calendar/": "calendar_day",
    "api/complaints/": "complaint",
    "api/reports/": "report",
    "users/": "user",
}

# Reference data shared by everyone: reading it is allowed, changing it is the admin's.
SHARED_OBJECTS = {"grade", "region", "calendar_day", "regrading_run"}

# Other path parameters.
OTHER_PARAMETERS = {
    "role": "manager",
    "action": "approve",
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


@pytest.fixture
def world(settings, tmp_path, manager, teammate, outsider, regional_manager):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(
        manager=manager, teammate=teammate, outsider=outsider, regional_manager=regional_manager
    )


def build_urls(world):
    """(route, name, url, object key or None) for every walked route."""
    urls = []
    for route, name, params in iter_routes():
        kwargs = {}
        key = None
        for param in params:
            if param == "pk":
                key = object_key(route)
                kwargs["pk"] = world[key].pk
            elif param == "uid":
                # An API token is named by its uid (accounts.urls), never its key.
                key = "api_token"
                kwargs["uid"] = world[key].uid
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
                ok = response.status_code in (401, 403)
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

# Routes a regional manager takes part in: they read the shared object (their
# region's part only) and post to it.
REGIONAL_MANAGER_ROUTES = {
    "regrading_detail": "a regional manager confirms the downgrades of their region",
}


@pytest.mark.parametrize("persona", FOREIGN_PERSONAS)
def test_someone_elses_objects(request, client, world, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    failures = []
    for _route, _name, url, key in build_urls(world):
        if key is None:
            continue
        shared = key in SHARED_OBJECTS
        response = client.get(url)
        allowed = {200, 403, 404, 405} if shared else {403, 404, 405}
        if response.status_code not in allowed:
            failures.append(f"GET {url}: {response.status_code}")
        elif response.status_code == 200 and FOREIGN_NAME in _text(response):
            failures.append(f"GET {url}: shows {FOREIGN_NAME}")
        response = client.post(url, {})
        if persona == "other_regional_manager" and _name in REGIONAL_MANAGER_ROUTES:
            # Theirs to take part in: the run holds downgrades of their region.
            if response.status_code != 302:
                failures.append(f"POST {url} (empty): {response.status_code}")
        elif response.status_code not in (403, 404, 405):
            failures.append(f"POST {url} (empty): {response.status_code}")
    assert not failures, "\n".join(failures)


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
