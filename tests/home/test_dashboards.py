"""The KPI dashboards on each role's home: what each sees, and a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm.models import Customer, NetworkStatusChange
from home import kpis as kpi_boards
from tests import factories
from tests.visits.conftest import make_visit
from visits.models import PlannedVisit, Visit, WeeklySchedule
from visits.selectors import monday_of

pytestmark = pytest.mark.django_db


def _world(manager, size):
    """``size`` customers with a visit, a planned week, sales and an exit."""
    from django.utils import timezone

    today = timezone.localdate()
    schedule = WeeklySchedule.objects.create(manager=manager, week_start=monday_of(today))
    for n in range(size):
        customer = factories.CustomerFactory(manager=manager, code=f"{manager.username[:3]}{n}")
        PlannedVisit.objects.create(schedule=schedule, customer=customer, planned_date=today)
        factories.SalesRecordFactory(customer=customer, month=datetime.date(2026, 10, 1))
    visit = make_visit(manager, customer, arrived=f"{today:%Y-%m-%d} 08:00")
    Visit.objects.filter(pk=visit.pk).update(planned_visit=schedule.entries.get(customer=customer))
    Customer.objects.filter(pk=customer.pk).update(network_status="exited", exited_on=today)
    NetworkStatusChange.objects.create(
        customer=customer, action="exited", from_status="active", to_status="exited", date=today
    )


def test_manager_sees_their_own_figures_only(login, manager, teammate):
    _world(manager, 2)
    _world(teammate, 3)
    response = login(manager).get(reverse("home"))
    page = response.content.decode()

    assert 'data-testid="kpi-dashboard"' in page
    assert 'data-kpi-chart="plan"' in page and 'data-kpi-chart="coverage"' in page
    assert 'data-kpi-chart="suggestions"' in page and 'data-kpi-chart="trend_sales"' in page
    assert 'id="kpi-chart-data"' in page
    # This week's plan: 2 planned today (the teammate's 3 are not counted).
    [plan] = [c for c in response.context["kpi_board"]["charts"] if c["key"] == "plan"]
    assert sum(plan["series"][0]["data"]) == 2 and sum(plan["series"][1]["data"]) == 1
    assert 'data-kpi-table="plan"' in page
    assert "teammate" not in page
    # Purchase amount of 2026-10: the manager's 2 customers at 20,000.
    assert "40,000" in page
    assert "60,000" not in page


def test_regional_manager_sees_each_manager_of_the_region(
    login, manager, teammate, outsider, regional_manager
):
    _world(manager, 2)
    _world(teammate, 1)
    _world(outsider, 4)
    page = login(regional_manager).get(reverse("home")).content.decode()

    assert 'data-testid="kpi-table"' in page
    assert ">manager<" in page.replace(" ", "") or "manager" in page
    assert str(teammate) in page and str(outsider) not in page
    assert 'data-kpi-chart="managers_figures"' in page
    assert 'data-kpi-chart="managers_network_exits"' in page
    # The region's sales: 3 customers at 20,000 (the outsider's 4 are not the region's).
    assert "60,000" in page and "140,000" not in page


def test_admin_sees_every_region_and_the_exit_line(login, manager, outsider, admin_user):
    _world(manager, 2)
    _world(outsider, 2)
    page = login(admin_user).get(reverse("home")).content.decode()

    assert manager.region.name in page and outsider.region.name in page
    assert 'data-kpi-chart="regions_figures"' in page
    assert 'data-kpi-chart="exit_rates"' in page
    assert "&lt; 3.5%" in page and "&lt; 2.0%" in page


# Each dashboard costs a fixed number of queries, however many rows and people it covers.


def _page_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("size", [1, 6])
def test_manager_dashboard_query_budget(manager, size, django_assert_max_num_queries):
    _world(manager, size)
    # Plan by day (1), grades and coverage by grade (2), the working calendar for
    # the suggestions' next working day (1), suggestions (1), sales (1), the
    # satisfaction index trend (1).
    with django_assert_max_num_queries(7):
        kpi_boards.dashboard(manager)


@pytest.mark.parametrize("size", [1, 6])
def test_region_dashboard_query_budget(
    manager, teammate, regional_manager, size, django_assert_max_num_queries
):
    _world(manager, size)
    _world(teammate, size)
    for n in range(size):
        factories.ManagerFactory(region=manager.region, username=f"extra{n}")
    # The managers (1), coverage (2), plan (1), complaint steps (2), reports (1),
    # exits (2), the satisfaction index (its latest month, the figures: 2), the
    # region's sales (1), its satisfaction trend (1).
    with django_assert_max_num_queries(13):
        kpi_boards.dashboard(regional_manager)


@pytest.mark.parametrize("size", [1, 6])
def test_admin_dashboard_query_budget(
    manager, outsider, admin_user, size, django_assert_max_num_queries
):
    _world(manager, size)
    _world(outsider, size)
    for n in range(size):
        factories.RegionFactory(code=f"R{size}{n}", name=f"区域{n}")
    # The regions (1), the figures (11, the satisfaction index's two included),
    # exit rates by grade (3), the regions for the trends (2), sales (1), the
    # satisfaction trend (1).
    with django_assert_max_num_queries(19):
        kpi_boards.dashboard(admin_user)


@pytest.mark.parametrize("persona", ["manager", "regional_manager", "admin_user"])
def test_home_page_queries_do_not_grow_with_the_data(
    client, manager, teammate, regional_manager, admin_user, persona
):
    user = {"manager": manager, "regional_manager": regional_manager, "admin_user": admin_user}
    client.force_login(user[persona])
    _world(manager, 1)
    _page_queries(client)  # the first visit fills the session and the settings rows
    small = _page_queries(client)
    _world(teammate, 8)
    for n in range(5):
        factories.CustomerFactory(manager=manager, code=f"more{n}")
    assert _page_queries(client) == small


def test_admin_figures_are_kept_a_while_at_province_scale(
    settings, manager, admin_user, django_assert_max_num_queries
):
    from django.core.cache import cache

    settings.KPI_CACHE_SECONDS = 600
    cache.clear()
    _world(manager, 2)
    first = kpi_boards.dashboard(admin_user)
    # Only the regions are read again: the figures, trends and exit rates are kept.
    with django_assert_max_num_queries(1):
        again = kpi_boards.dashboard(admin_user)
    assert again["total"] == first["total"]
    cache.clear()
