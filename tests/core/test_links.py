"""Rows link to their pages as ``reverse`` would, under any script prefix."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from core.links import row_url

DETAIL_PAGES = [
    "customer_detail",
    "regrading_detail",
    "visits:visit_detail",
    "visits:schedule_detail",
    "complaints:detail",
    "reports:report_detail",
    "satisfaction:round_detail",
    "satisfaction:answer_detail",
    "satisfaction:measure_detail",
]


@pytest.fixture
def script_prefix():
    yield set_script_prefix
    set_script_prefix("/")


@pytest.mark.parametrize("name", DETAIL_PAGES)
@pytest.mark.parametrize("prefix", ["/", "/crm/"])
def test_a_rows_link_is_reverses(name, prefix, script_prefix):
    script_prefix(prefix)
    for pk in (1, 42, 9_000_000_001):
        assert row_url(name, pk) == reverse(name, args=[pk])
    assert row_url(name, 7).startswith(prefix)


def test_what_is_no_plain_id_goes_through_reverse():
    assert row_url("customer_detail", "12") == reverse("customer_detail", args=["12"])
    with pytest.raises(NoReverseMatch):
        row_url("customer_detail", "x")
    with pytest.raises(NoReverseMatch):
        row_url("no_such_page", 1)


@pytest.mark.django_db
def test_the_models_link_through_it():
    from tests.factories import CustomerFactory

    customer = CustomerFactory()
    assert customer.get_absolute_url() == f"/customers/{customer.pk}/"
