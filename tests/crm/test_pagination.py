"""The list paginator: exact counts for small or filtered lists, same rows on deep pages."""

import pytest
from django.db import connection

from core import pagination
from core.pagination import EstimatedCountPaginator, KeysFirstPaginator
from crm.models import Customer
from tests import factories


@pytest.fixture
def customers(manager):
    return [factories.CustomerFactory(manager=manager, region=manager.region) for _ in range(23)]


def test_counts_exactly_below_the_estimate_threshold(customers):
    paginator = EstimatedCountPaginator(Customer.objects.order_by("code"), 5)
    assert paginator.count == 23
    assert paginator.num_pages == 5


def test_deep_pages_hold_the_same_rows_as_plain_slicing(
    customers, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(EstimatedCountPaginator, "defer_from", 4)
    queryset = Customer.objects.select_related("grade", "region").order_by("-code")
    paginator = EstimatedCountPaginator(queryset, 5)
    paginator.count  # noqa: B018 - counted before the budget below
    # Deep page: the page's keys, then its rows with their joins.
    with django_assert_num_queries(2):
        page = paginator.page(3)
        deep = [c.code for c in page.object_list]
        grades = [c.grade.code for c in page.object_list]
    assert deep == [c.code for c in queryset[10:15]]
    assert len(grades) == 5
    assert [c.code for c in paginator.page(5).object_list] == [c.code for c in queryset[20:23]]


def test_keys_first_from_page_one(customers, django_assert_num_queries):
    queryset = Customer.objects.select_related("grade", "region").order_by("-code")
    paginator = KeysFirstPaginator(queryset, 5)
    paginator.count  # noqa: B018 - counted before the budget below
    with django_assert_num_queries(2):
        first = [c.code for c in paginator.page(1).object_list]
    assert first == [c.code for c in queryset[:5]]
    assert [c.code for c in paginator.page(5).object_list] == [c.code for c in queryset[20:23]]


def test_filtered_lists_are_counted_even_when_big(customers, monkeypatch):
    monkeypatch.setattr(pagination, "estimated_rows", lambda queryset: 1_000_000)
    assert EstimatedCountPaginator(Customer.objects.filter(code__startswith="T"), 5).count == 23
    unfiltered = EstimatedCountPaginator(Customer.objects.all(), 5)
    assert unfiltered.count == 1_000_000
    assert unfiltered.num_pages == 200_000


def test_no_estimate_off_postgresql(customers):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL has an estimate")
    assert pagination.estimated_rows(Customer.objects.all()) is None


def test_a_long_filtered_list_is_counted_only_so_far(customers, monkeypatch):
    """A region's visits grow with the province: past COUNT_UP_TO rows a filtered
    list is not counted whole on every page view, and says its count is an estimate."""
    if connection.vendor != "postgresql":
        pytest.skip("the planner's estimate is PostgreSQL's")
    monkeypatch.setattr(pagination, "COUNT_UP_TO", 10)
    long_list = EstimatedCountPaginator(Customer.objects.filter(code__startswith="T"), 5)
    assert long_list.count >= 11
    assert long_list.approximate
    short_list = EstimatedCountPaginator(Customer.objects.filter(pk=customers[0].pk), 5)
    assert short_list.count == 1
    assert not short_list.approximate


def test_an_estimated_count_reads_as_one(client, manager, customers, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the planner's estimate is PostgreSQL's")
    monkeypatch.setattr(pagination, "COUNT_UP_TO", 10)
    client.force_login(manager)
    page = client.get("/customers/?grade=").content.decode()
    assert "≈ " in page
    monkeypatch.setattr(pagination, "COUNT_UP_TO", 100)
    page = client.get("/customers/?grade=").content.decode()
    assert "≈ " not in page
    assert ">23<" in page


@pytest.mark.parametrize("many", [True, False], ids=["many-found", "few-found"])
def test_a_search_that_finds_many_walks_the_code_order(client, manager, many, monkeypatch):
    """Found rows are sorted whole when they are few; when the count says they are
    many, the page walks the code index instead (100,000 customers carry
    "便利店" at ten times the province: 490 ms sorted, 20 ms walked). Either way
    the list reads in code order."""
    if connection.vendor != "postgresql":
        pytest.skip("the count's cap and the sort are PostgreSQL's")
    monkeypatch.setattr(pagination, "COUNT_UP_TO", 5 if many else 100)
    for number in (7, 3, 9, 1, 8, 2, 6, 4):
        factories.CustomerFactory(
            manager=manager,
            region=manager.region,
            code=f"C{number:05d}",
            name=f"幸福便利店{number}",
        )
    client.force_login(manager)
    sql = []

    def keep(execute, query, params, many_, context):
        sql.append(query)
        return execute(query, params, many_, context)

    with connection.execute_wrapper(keep):
        page = client.get("/customers/", {"q": "便利店"}).content.decode()
    codes = [f"C{n:05d}" for n in (1, 2, 3, 4, 6, 7, 8, 9)]
    shown = [code for code in codes if f">{code}<" in page]
    assert shown == codes[: len(shown)] and len(shown) >= 3
    positions = [page.index(f">{code}<") for code in shown]
    assert positions == sorted(positions)
    [rows] = [q for q in sql if q.startswith('SELECT "crm_customer"."id", "crm_customer"."code"')]
    assert ("COALESCE" in rows) is not many
    assert ("≈ " in page) is many
