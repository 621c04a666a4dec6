"""Section a) and d) on a small data set computed by hand."""

import datetime

import pytest

from core import months
from reports import figures
from tests import factories
from tests.reports.conftest import SEPTEMBER, sale

pytestmark = pytest.mark.django_db

AUGUST = datetime.date(2026, 8, 1)
JULY = datetime.date(2026, 7, 1)
LAST_SEPTEMBER = datetime.date(2025, 9, 1)


@pytest.fixture
def dataset(manager, teammate):
    c1 = factories.CustomerFactory(manager=manager, code="C1", grade=factories.grade("A1"))
    c2 = factories.CustomerFactory(manager=manager, code="C2", grade=factories.grade("B2"))
    c3 = factories.CustomerFactory(manager=manager, code="C3", grade=factories.grade("B2"))
    c4 = factories.CustomerFactory(manager=manager, code="C4", grade=factories.grade("D"))
    other = factories.CustomerFactory(manager=teammate, code="T1")
    sale(c1, SEPTEMBER, "1000", "10")
    sale(c1, AUGUST, "800", "8")
    sale(c1, JULY, "600", "6")
    sale(c1, LAST_SEPTEMBER, "500", "5")
    sale(c2, SEPTEMBER, "300", "3")
    sale(c2, AUGUST, "600", "6")
    sale(c3, AUGUST, "200", "2")
    sale(c4, SEPTEMBER, "50", "1")
    sale(other, SEPTEMBER, "99999")
    return manager


def test_totals_month_on_month_and_year_on_year(dataset):
    result, _forecast = figures.compute(SEPTEMBER, [dataset.pk])[dataset.pk]
    assert result["month"] == "2026-09"
    assert result["customers"] == 4
    assert result["active_customers"] == 3
    total = result["total"]
    assert total["amount"] == "1350.00"
    assert total["quantity"] == "14.00"
    assert total["prev_amount"] == "1600.00"
    assert total["yoy_amount"] == "500.00"
    assert total["mom_amount_pct"] == -15.6
    assert total["yoy_amount_pct"] == 170.0


def test_by_grade(dataset):
    result, _forecast = figures.compute(SEPTEMBER, [dataset.pk])[dataset.pk]
    rows = {row["grade"]: row for row in result["by_grade"]}
    assert list(rows) == ["A1", "B2", "D"]
    assert rows["A1"]["amount"] == "1000.00"
    assert rows["A1"]["mom_pct"] == 25.0
    assert rows["A1"]["yoy_pct"] == 100.0
    assert (rows["B2"]["customers"], rows["B2"]["active"]) == (2, 1)
    assert rows["B2"]["amount"] == "300.00"
    assert rows["B2"]["prev_amount"] == "800.00"
    assert rows["B2"]["mom_pct"] == -62.5
    assert rows["B2"]["yoy_pct"] is None
    assert rows["D"]["mom_pct"] is None
    assert rows["A1"]["share_pct"] == 74.1


def test_top_bottom_and_no_purchases(dataset):
    result, _forecast = figures.compute(SEPTEMBER, [dataset.pk])[dataset.pk]

    def codes(key):
        return [row["code"] for row in result[key]]

    assert codes("top_by_amount") == ["C1", "C2", "C4"]
    assert codes("bottom_by_amount") == ["C4", "C2", "C1"]
    assert codes("top_by_change") == ["C1", "C4"]
    assert codes("bottom_by_change") == ["C2", "C3"]
    assert result["bottom_by_change"][0]["change"] == "-300.00"
    assert codes("no_purchases") == ["C3"]
    assert result["no_purchases_count"] == 1


def test_trend_covers_thirteen_months(dataset):
    result, _forecast = figures.compute(SEPTEMBER, [dataset.pk])[dataset.pk]
    trend = result["trend"]
    assert [row["month"] for row in (trend[0], trend[-1])] == ["2025-09", "2026-09"]
    assert len(trend) == 13
    assert trend[0]["amount"] == "500.00"
    assert trend[-2]["amount"] == "1600.00"
    assert trend[-1]["amount"] == "1350.00"


def test_forecast_is_the_three_month_moving_average(dataset):
    _result, forecast = figures.compute(SEPTEMBER, [dataset.pk])[dataset.pk]
    assert forecast["for_month"] == "2026-10"
    assert forecast["basis_months"] == ["2026-07", "2026-08", "2026-09"]
    rows = {row["grade"]: row["amount"] for row in forecast["by_grade"]}
    assert rows == {"A1": "800.00", "B2": "366.67", "D": "16.67"}
    assert forecast["total"]["amount"] == "1183.33"


def test_a_manager_without_customers_gets_empty_figures(outsider):
    result, forecast = figures.compute(SEPTEMBER, [outsider.pk])[outsider.pk]
    assert result["customers"] == 0
    assert result["total"]["amount"] == "0.00"
    assert result["total"]["mom_amount_pct"] is None
    assert result["by_grade"] == []
    assert forecast["total"]["amount"] == "0.00"


def test_exited_customers_count_until_the_month_they_left(manager):
    gone = factories.CustomerFactory(
        manager=manager,
        network_status="exited",
        exited_on=datetime.date(2026, 6, 30),
        exit_reason="关店",
    )
    leaving = factories.CustomerFactory(
        manager=manager,
        network_status="exited",
        exited_on=datetime.date(2026, 9, 15),
        exit_reason="关店",
    )
    result, _forecast = figures.compute(SEPTEMBER, [manager.pk])[manager.pk]
    listed = {row["code"] for row in result["no_purchases"]}
    assert leaving.code in listed
    assert gone.code not in listed


def test_summarize_adds_managers_figures(dataset, teammate):
    computed = figures.compute(SEPTEMBER, [dataset.pk, teammate.pk])
    summary = figures.summarize([computed[dataset.pk][0], computed[teammate.pk][0]])
    assert summary["total"]["amount"] == "101349.00"
    assert summary["customers"] == 5
    assert {row["grade"] for row in summary["by_grade"]} == {"A1", "B2", "D"}


@pytest.mark.parametrize(
    ("month", "shift", "expected"),
    [
        (datetime.date(2026, 1, 1), -1, datetime.date(2025, 12, 1)),
        (datetime.date(2026, 12, 1), 1, datetime.date(2027, 1, 1)),
        (SEPTEMBER, -12, LAST_SEPTEMBER),
    ],
)
def test_month_shift(month, shift, expected):
    assert months.month_shift(month, shift) == expected
