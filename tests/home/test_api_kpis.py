"""/api/kpis/: the dashboards' figures with the home pages' visibility."""

import pytest

from tests import factories
from tests.home.test_dashboards import _world

pytestmark = pytest.mark.django_db


def _figure(figures, name):
    [found] = [figure for figure in figures if figure["name"] == name]
    return found


def test_manager_reads_their_own_figures(api_login, manager, teammate):
    _world(manager, 2)
    _world(teammate, 5)
    body = api_login(manager).get("/api/kpis/").json()

    assert body["scope"] == "manager" and body["rows"] == []
    plan = _figure(body["figures"], "plan_done")
    assert (plan["done"], plan["total"]) == ("1.00", 2)
    assert plan["value"] == 50.0
    sales = {trend["name"]: trend for trend in body["trends"]}["sales"]
    assert len(sales["points"]) == 13
    assert {"month": "2026-10", "value": 40000.0} in sales["points"]


def test_regional_manager_reads_the_region_by_manager(
    api_login, manager, teammate, outsider, regional_manager
):
    _world(manager, 2)
    _world(teammate, 3)
    _world(outsider, 4)
    body = api_login(regional_manager).get("/api/kpis/").json()

    assert body["scope"] == "region"
    assert [row["id"] for row in body["rows"]] == [manager.pk, teammate.pk]
    assert _figure(body["figures"], "plan_done")["total"] == 5
    exits = _figure(body["figures"], "network_exits")
    assert exits["done"] == "2.00"


def test_admin_reads_every_region(api_login, manager, outsider, admin_user):
    _world(manager, 2)
    _world(outsider, 1)
    body = api_login(admin_user).get("/api/kpis/").json()

    assert body["scope"] == "all"
    assert {row["id"] for row in body["rows"]} == {manager.region_id, outsider.region_id}
    assert _figure(body["figures"], "plan_done")["total"] == 3


def test_one_managers_figures_only_for_those_who_see_them(
    api_login, manager, teammate, outsider, regional_manager, other_regional_manager, admin_user
):
    _world(manager, 2)
    url = f"/api/kpis/managers/{manager.pk}/"
    for allowed in (manager, regional_manager, admin_user):
        answer = api_login(allowed).get(url)
        assert answer.status_code == 200, allowed
        assert _figure(answer.json()["figures"], "plan_done")["total"] == 2
    # Not theirs: exactly what a manager that does not exist answers.
    for refused in (teammate, outsider, other_regional_manager):
        assert api_login(refused).get(url).status_code == 404, refused
    assert api_login(admin_user).get("/api/kpis/managers/999999/").status_code == 404
    # A regional manager is not a manager with figures.
    assert (
        api_login(admin_user).get(f"/api/kpis/managers/{regional_manager.pk}/").status_code == 404
    )


def test_exit_rates_for_admin_and_the_regional_manager_only(
    api_login, manager, outsider, regional_manager, admin_user
):
    _world(manager, 2)
    _world(outsider, 3)
    body = api_login(admin_user).get("/api/kpis/exit-rates/").json()
    whole = body["grades"][-1]
    assert (whole["grade"], whole["exits"], whole["customers"]) == ("", 2, 5)
    rows = {row["grade"]: row for row in body["grades"]}
    assert rows["A1"]["limit"] == 2.0 and rows["D"]["limit"] == 3.5

    own = api_login(regional_manager).get("/api/kpis/exit-rates/").json()
    assert own["grades"][-1]["customers"] == 2
    other = f"/api/kpis/exit-rates/?region={outsider.region_id}"
    assert api_login(regional_manager).get(other).status_code == 404
    assert api_login(admin_user).get(other).json()["grades"][-1]["customers"] == 3
    assert api_login(manager).get("/api/kpis/exit-rates/").status_code == 403
    bad = api_login(admin_user).get("/api/kpis/exit-rates/?region=x")
    assert bad.status_code == 400 and "region" in bad.json()


def test_no_figures_for_a_user_without_a_role(api_login, db):
    nobody = factories.UserFactory(role="")
    assert api_login(nobody).get("/api/kpis/").status_code == 403
    assert api_login(nobody).get("/api/kpis/exit-rates/").status_code == 403


def test_anonymous_is_401(api_client):
    assert api_client.get("/api/kpis/").status_code == 401


def test_in_the_schema(api_login, admin_user):
    schema = api_login(admin_user).get("/api/schema/?format=json").json()
    assert {"/api/kpis/", "/api/kpis/managers/{id}/", "/api/kpis/exit-rates/"} <= set(
        schema["paths"]
    )
    board = schema["components"]["schemas"]["KpiBoard"]
    assert {"scope", "figures", "rows", "trends"} <= set(board["properties"])


@pytest.mark.parametrize("size", [1, 6])
def test_query_budget(
    api_login, manager, teammate, regional_manager, size, django_assert_max_num_queries
):
    _world(manager, size)
    _world(teammate, size)
    client = api_login(regional_manager)
    # The user (force-authenticated: none), the managers (1), the figures (11,
    # the satisfaction index's two included), the region's sales and
    # satisfaction trends (2).
    with django_assert_max_num_queries(14):
        assert client.get("/api/kpis/").status_code == 200
