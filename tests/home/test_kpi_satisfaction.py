"""The satisfaction index on the dashboards is satisfaction.selectors' index."""

import datetime

import pytest

from crm import kpis
from home import kpis as boards
from satisfaction import selectors
from tests import factories
from tests.home.test_kpi_figures import kpis_of
from tests.satisfaction.conftest import (  # noqa: F401 - fixtures
    OCTOBER,
    launch,
    questionnaire,
    service_desk,
)
from tests.satisfaction.test_index import _answer_all

pytestmark = pytest.mark.django_db
NOVEMBER = datetime.date(2026, 11, 20)


def test_index_and_minimum_as_the_selector_has_them(
    settings,
    manager,
    teammate,
    regional_manager,
    service_desk,  # noqa: F811
    launch,  # noqa: F811
):
    settings.SATISFACTION_MIN_ANSWERS = 3
    factories.CustomerFactory.create_batch(3, manager=manager)
    factories.CustomerFactory.create_batch(2, manager=teammate)
    round = launch(regional_manager, region=manager.region)
    _answer_all(round, service_desk, [[5, 5, 5], [4, 4, 4], [3, 3, 3], [5, 3, 1], [1, 1, 1]])

    mine = kpis_of("satisfaction", manager, NOVEMBER)
    theirs = kpis_of("satisfaction", teammate, NOVEMBER)
    [kpi] = [k for k in kpis.all_kpis() if k.name == "satisfaction"]
    for person, ratio in ((manager, mine), (teammate, theirs)):
        index = selectors.index(month=OCTOBER, manager_id=person.pk)
        assert ratio.total == index.answers
        shown = boards.value_of(kpi, ratio)
        assert (shown is None) == (index.value is None)
        if shown is not None:
            assert shown == pytest.approx(float(index.value), abs=0.05)
    # The region adds up every answer, as the selector's region index does.
    region = kpi.figures("region", [manager.region_id], NOVEMBER)[manager.region_id]
    assert boards.value_of(kpi, region) == pytest.approx(
        float(selectors.index(month=OCTOBER, region_id=manager.region_id).value), abs=0.05
    )
    assert boards.value_of(kpi, mine + theirs) == boards.value_of(kpi, region)
    # Two answers are fewer than the minimum: no index, the count shown.
    assert boards.text_of(kpi, theirs).startswith("— (2 ")


def test_trend_on_the_managers_home(login, manager, regional_manager, service_desk, launch):  # noqa: F811
    factories.CustomerFactory.create_batch(2, manager=manager)
    round = launch(regional_manager, region=manager.region)
    _answer_all(round, service_desk, [[5, 5, 5], [4, 4, 4]])
    response = login(manager).get("/")
    charts = {chart["key"]: chart for chart in response.context["kpi_board"]["charts"]}
    assert "trend_satisfaction" in charts
    assert 'data-kpi-chart="trend_satisfaction"' in response.content.decode()
