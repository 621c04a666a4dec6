"""Visits of a customer who changed hands, on the customer page and the visit page.

The customer's page shows its latest five visits to the current manager and
to the region's manager, whoever wrote them. The manager who wrote a visit
keeps reading it after the customer went to a teammate; a manager of another
region never does. The visit page costs the same whatever its number of
suggestions and events.
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.visits.conftest import data_url
from tests.visits.conftest import record as visit_record
from visits.models import Visit
from visits.services import suggestions
from visits.services import visits as visit_services

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
START = datetime.datetime(2026, 9, 1, 9, 0, tzinfo=SHANGHAI)


def record(customer, manager, days=0):
    return visit_record(customer, manager, START + datetime.timedelta(days=days))


def reassign(customer, manager):
    customer.manager = manager
    customer.region = manager.region
    customer.save()


def has_link(response, visit):
    return f'href="{visit.get_absolute_url()}"' in response.content.decode()


@pytest.fixture
def inherited(manager, teammate):
    """A customer the teammate visited, now the manager's."""
    customer = factories.CustomerFactory(manager=teammate, name="转来的店")
    visit = record(customer, teammate)
    reassign(customer, manager)
    return customer, visit


class TestCustomerPage:
    def test_new_manager_sees_the_previous_managers_visits(self, login, manager, inherited):
        customer, visit = inherited
        response = login(manager).get(customer.get_absolute_url())
        assert response.status_code == 200
        assert has_link(response, visit)

    def test_regional_manager_sees_them(self, login, regional_manager, inherited):
        customer, visit = inherited
        response = login(regional_manager).get(customer.get_absolute_url())
        assert response.status_code == 200
        assert has_link(response, visit)

    def test_previous_manager_no_longer_opens_the_customer(self, login, teammate, inherited):
        customer, _visit = inherited
        assert login(teammate).get(customer.get_absolute_url()).status_code == 404

    def test_shows_the_latest_five(self, login, manager, teammate, inherited):
        customer, oldest = inherited
        # Written in no particular order, by both managers.
        later = [
            record(customer, teammate if days % 2 else manager, days=days)
            for days in (4, 1, 5, 3, 2)
        ]
        response = login(manager).get(customer.get_absolute_url())
        for visit in later:
            assert has_link(response, visit), visit.arrived_at
        assert not has_link(response, oldest)
        page = response.content.decode()
        newest_first = sorted(later, key=lambda visit: visit.arrived_at, reverse=True)
        positions = [page.index(f'href="{visit.get_absolute_url()}"') for visit in newest_first]
        assert positions == sorted(positions)

    def test_other_customers_visits_stay_off_the_page(self, login, manager, teammate, inherited):
        customer, _visit = inherited
        elsewhere = record(factories.CustomerFactory(manager=manager), manager)
        response = login(manager).get(customer.get_absolute_url())
        assert not has_link(response, elsewhere)


class TestVisitPage:
    @pytest.fixture
    def handed_on(self, manager, teammate):
        """A visit the manager wrote, for a customer since given to the teammate."""
        customer = factories.CustomerFactory(manager=manager, name="转走的店")
        visit = record(customer, manager)
        reassign(customer, teammate)
        return visit

    def test_author_still_reads_it(self, login, manager, handed_on):
        response = login(manager).get(handed_on.get_absolute_url())
        assert response.status_code == 200
        assert "转走的店" in response.content.decode()

    def test_new_manager_reads_it_too(self, login, teammate, handed_on):
        assert login(teammate).get(handed_on.get_absolute_url()).status_code == 200

    @pytest.mark.parametrize("persona", ["outsider", "other_regional_manager"])
    def test_another_region_gets_404(self, request, login, handed_on, persona):
        client = login(request.getfixturevalue(persona))
        assert client.get(handed_on.get_absolute_url()).status_code == 404


def visit_with_suggestions(manager, customer, count, *, locked=False):
    """A visit with ``count`` suggestions (each one also an event), signed if ``locked``."""
    with time_machine.travel(START, tick=False):
        visit = visit_services.visit_start(
            actor=manager, customer=customer, special_reason="电话约访"
        )
        for n in range(count):
            suggestions.suggestion_add(visit=visit, actor=manager, text=f"建议 {n}")
    if locked:
        with time_machine.travel(START + datetime.timedelta(minutes=30), tick=False):
            visit = visit_services.visit_end(visit=visit, actor=manager)
            visit = visit_services.visit_sign(
                visit=visit, actor=manager, role="manager", image=data_url()
            )
            visit = visit_services.visit_sign(
                visit=visit, actor=manager, role="customer", image=data_url(), signer_name="王店主"
            )
        assert visit.status == Visit.Status.LOCKED
    return visit


@pytest.mark.parametrize("locked", [False, True], ids=["in_progress", "locked"])
def test_visit_page_query_budget(login, manager, locked, django_assert_max_num_queries):
    client = login(manager)
    few, many = (
        visit_with_suggestions(
            manager, factories.CustomerFactory(manager=manager), count, locked=locked
        )
        for count in (1, 5)
    )
    client.get(few.get_absolute_url())  # a first request, so that both measured start alike
    with CaptureQueriesContext(connection) as one:
        assert client.get(few.get_absolute_url()).status_code == 200
    # Session, user, the visit with customer, grade, region, manager, planned
    # visit and corrected record joined; its signatures, events, suggestions,
    # corrections and display photos; the layout's unread count; saving the
    # session (savepoint, update, release).
    with django_assert_max_num_queries(12):
        response = client.get(many.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    for n in range(5):
        assert f"建议 {n}" in page
    with CaptureQueriesContext(connection) as five:
        client.get(many.get_absolute_url())
    assert len(five.captured_queries) == len(one.captured_queries)
