"""Satisfaction answers export like every list: the user's answers only, the filters,
a formula comment as text; from the round's page and the API."""

import csv
import io

import pytest
from django.urls import reverse

from satisfaction import services
from tests import factories
from tests.satisfaction.conftest import values_for

pytestmark = pytest.mark.django_db


def _rows(response):
    content = b"".join(response.streaming_content)
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def answered(manager, teammate, outsider, regional_manager, admin_user, service_desk, launch):
    customers = {
        name: factories.CustomerFactory(manager=person, name=name)
        for person, name in ((manager, "MINE"), (teammate, "TEAMMATE"), (outsider, "OUTSIDE"))
    }
    east = launch(regional_manager, region=manager.region)
    west = launch(admin_user, region=outsider.region)
    for round, name in ((east, "MINE"), (east, "TEAMMATE"), (west, "OUTSIDE")):
        services.answer_record(
            round=round,
            customer=customers[name],
            actor=service_desk,
            values=values_for(round.version, [4, 5, 3]),
            comment="=1+1" if name == "MINE" else "",
        )
    return east, west


def _names(rows):
    return {row[4] for row in rows[1:]}


def test_answers_export_follows_the_answer_scope(
    login, answered, manager, regional_manager, other_regional_manager, service_desk
):
    url = reverse("export_list", args=["satisfaction-answers", "csv"])
    assert _names(_rows(login(manager).get(url))) == {"MINE"}
    assert _names(_rows(login(regional_manager).get(url))) == {"MINE", "TEAMMATE"}
    assert _names(_rows(login(other_regional_manager).get(url))) == {"OUTSIDE"}
    assert _names(_rows(login(service_desk).get(url))) == {"MINE", "TEAMMATE", "OUTSIDE"}


def test_answers_export_keeps_the_round_and_writes_formulas_as_text(login, answered, service_desk):
    east, _west = answered
    client = login(service_desk)
    page = client.get(reverse("satisfaction:round_detail", args=[east.pk]))
    link = reverse("export_list", args=["satisfaction-answers", "csv"]) + f"?round={east.pk}"
    assert link in page.content.decode()
    rows = _rows(client.get(link))
    assert _names(rows) == {"MINE", "TEAMMATE"}
    mine = next(row for row in rows if row[4] == "MINE")
    assert mine[-1] == "'=1+1"


def test_answers_export_from_the_api(api_login, answered, manager):
    response = api_login(manager).get("/api/satisfaction/answers/export/", {"file_format": "csv"})
    assert response.status_code == 200
    assert _names(_rows(response)) == {"MINE"}


def test_the_service_centre_exports_no_sales_nor_other_roles_lists(
    login, api_login, service_desk, customer
):
    factories.SalesRecordFactory(customer=customer)
    client = login(service_desk)
    for name in ("sales", "visits", "complaints", "reports", "work-logs", "audit"):
        assert client.get(reverse("export_list", args=[name, "csv"])).status_code in (403, 404)
    assert api_login(service_desk).get("/api/sales/export/").status_code in (403, 404)
    rows = _rows(client.get(reverse("export_list", args=["customers", "csv"])))
    assert {row[1] for row in rows[1:]} == {customer.name}
