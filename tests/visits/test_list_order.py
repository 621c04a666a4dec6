"""A manager's visits, newest first, on the page and in the API.

The list holds the visits of the manager's current customers (whoever wrote
them) and the visits the manager wrote for customers since given to someone
else; a teammate's visits to the teammate's own customers stay out. The order
is by arrival, newest first (ties: the later record first), across pages.
"""

import datetime
import random
import re
import zoneinfo

import pytest
from django.urls import reverse

from tests import factories
from tests.visits.conftest import record
from visits.views.visits import VISITS_PER_PAGE

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
START = datetime.datetime(2026, 9, 1, 8, 0, tzinfo=SHANGHAI)
VISIBLE = 35


def reassign(customer, manager):
    customer.manager = manager
    customer.region = manager.region
    customer.save()


@pytest.fixture
def history(manager, teammate, outsider):
    """35 visits the manager sees, made in shuffled order, and some they must not see.

    Returns (visible visits newest first, hidden visits).
    """
    own = factories.CustomerFactory(manager=manager)
    inherited = factories.CustomerFactory(manager=teammate)  # the teammate's, then the manager's
    handed_on = factories.CustomerFactory(manager=manager)  # the manager's, then the teammate's
    teammates = factories.CustomerFactory(manager=teammate)
    far = factories.CustomerFactory(manager=outsider)

    hours = list(range(VISIBLE))
    random.Random(20261009).shuffle(hours)
    visible = []
    for n, hour in enumerate(hours):
        arrived_at = START + datetime.timedelta(hours=hour)
        if n % 3 == 0:
            visible.append(record(own, manager, arrived_at))
        elif n % 3 == 1:
            visible.append(record(inherited, teammate, arrived_at))
        else:
            visible.append(record(handed_on, manager, arrived_at))
    # Rows the manager must not see, interleaved in time with theirs.
    hidden = [
        record(teammates, teammate, START + datetime.timedelta(hours=hour, minutes=30))
        for hour in (0, 10, 20, 34)
    ] + [record(far, outsider, START + datetime.timedelta(hours=5, minutes=30))]
    reassign(inherited, manager)
    reassign(handed_on, teammate)
    visible.sort(key=lambda visit: visit.arrived_at, reverse=True)
    return visible, hidden


def page_links(client, page=1):
    response = client.get(reverse("visits:visit_list"), {"page": page})
    assert response.status_code == 200
    return re.findall(r'href="([^"]+)" data-testid="visit-row"', response.content.decode())


def urls(visits):
    return [visit.get_absolute_url() for visit in visits]


def test_page_lists_newest_first_across_pages(login, manager, history):
    visible, hidden = history
    client = login(manager)
    first, second = page_links(client, 1), page_links(client, 2)
    assert first == urls(visible[:VISITS_PER_PAGE])
    assert second == urls(visible[VISITS_PER_PAGE:])
    assert not set(urls(hidden)) & set(first + second)


def test_same_arrival_shows_the_later_record_first(login, manager, customer):
    arrived_at = START + datetime.timedelta(days=3)
    earlier = record(customer, manager, START)
    first = record(customer, manager, arrived_at)
    second = record(customer, manager, arrived_at)
    assert page_links(login(manager)) == urls([second, first, earlier])


def test_api_lists_newest_first_across_pages(api_login, manager, history):
    visible, hidden = history
    client = api_login(manager)
    ids = [visit.pk for visit in visible]

    body = client.get("/api/visits/records/").json()
    assert body["count"] == VISIBLE
    assert [row["id"] for row in body["results"]] == ids

    first = client.get("/api/visits/records/", {"page_size": 20}).json()
    second = client.get("/api/visits/records/", {"page_size": 20, "page": 2}).json()
    assert [row["id"] for row in first["results"]] == ids[:20]
    assert [row["id"] for row in second["results"]] == ids[20:]
    assert second["next"] is None


def test_api_same_arrival_shows_the_later_record_first(api_login, manager, customer):
    arrived_at = START + datetime.timedelta(days=3)
    earlier = record(customer, manager, START)
    first = record(customer, manager, arrived_at)
    second = record(customer, manager, arrived_at)
    rows = api_login(manager).get("/api/visits/records/").json()["results"]
    assert [row["id"] for row in rows] == [second.pk, first.pk, earlier.pk]


def test_regional_manager_sees_the_region_newest_first(login, regional_manager, history):
    visible, hidden = history
    region = regional_manager.region_id
    region_rows = [v for v in visible + hidden if v.customer.region_id == region]
    region_rows.sort(key=lambda visit: (visit.arrived_at, visit.pk), reverse=True)
    client = login(regional_manager)
    assert page_links(client, 1) + page_links(client, 2) == urls(region_rows)
