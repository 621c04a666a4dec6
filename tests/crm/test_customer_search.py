"""Searching the customer list: matches sorted by code, unless a column is chosen.

Terms of three characters or more and shorter terms take different paths
through the database; both list the same customers in the same order.
"""

import re

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def marts(manager):
    """Three matching customers, created out of code and name order, and one other."""
    for code, name in (
        ("S002", "Mart Zeta"),
        ("S003", "Mart Alpha"),
        ("S001", "Mart Omega"),
        ("S000", "Shop Other"),
    ):
        factories.CustomerFactory(manager=manager, code=code, name=name)


def codes(client, **params):
    """The customer codes listed, top to bottom."""
    response = client.get(reverse("customer_list"), params)
    assert response.status_code == 200
    return re.findall(r'<td class="text-nowrap"><a href="[^"]+">([^<]+)</a></td>', response.text)


@pytest.mark.parametrize("term", ["mart", "MART ", "Mart Z", "ma", "m"])
def test_matches_sorted_by_code(login, manager, marts, term):
    expected = ["S001", "S002", "S003"] if term != "Mart Z" else ["S002"]
    assert codes(login(manager), q=term) == expected


@pytest.mark.parametrize("term", ["mart", "ma"])
def test_chosen_column_wins_over_the_search_order(login, manager, marts, term):
    client = login(manager)
    # By name, descending: Zeta, Omega, Alpha.
    assert codes(client, q=term, ordering="-name") == ["S002", "S001", "S003"]
    assert codes(client, q=term, ordering="name") == ["S003", "S001", "S002"]
    assert codes(client, q=term, ordering="-code") == ["S003", "S002", "S001"]


def test_search_by_code_and_licence(login, manager, marts):
    client = login(manager)
    assert codes(client, q="s00") == ["S000", "S001", "S002", "S003"]
    factories.CustomerFactory(manager=manager, code="S009", licence_number="LIC-MART-9")
    assert codes(client, q="lic-mart") == ["S009"]


def test_search_stays_within_the_users_customers(login, manager, teammate, marts):
    factories.CustomerFactory(manager=teammate, code="S004", name="Mart Teammate")
    assert codes(login(manager), q="mart") == ["S001", "S002", "S003"]


def test_api_search_sorted_by_code(api_login, manager, marts):
    client = api_login(manager)
    rows = client.get("/api/customers/", {"q": "mart"}).json()["results"]
    assert [row["code"] for row in rows] == ["S001", "S002", "S003"]
    rows = client.get("/api/customers/", {"q": "mart", "ordering": "-name"}).json()["results"]
    assert [row["code"] for row in rows] == ["S002", "S001", "S003"]
