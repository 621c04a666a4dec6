"""The satisfaction API: the pages' rules, as JSON."""

from decimal import Decimal

import pytest

from satisfaction import services
from satisfaction.models import Answer, Measure, Round
from tests import factories
from tests.satisfaction.conftest import values_for

pytestmark = pytest.mark.django_db


def test_launch_answer_close_and_measures(
    settings,
    api_login,
    manager,
    teammate,
    regional_manager,
    other_regional_manager,
    service_desk,
    questionnaire,
):
    settings.SATISFACTION_MIN_ANSWERS = 1
    customer = factories.CustomerFactory(manager=manager)
    body = {"questionnaire": questionnaire.pk, "region": manager.region_id, "month": "2026-10"}
    assert (
        api_login(other_regional_manager)
        .post("/api/satisfaction/rounds/", body, format="json")
        .status_code
        == 403
    )
    bad = api_login(regional_manager).post(
        "/api/satisfaction/rounds/",
        {**body, "month": "2026-13", "sample": "by_grade"},
        format="json",
    )
    assert bad.status_code == 400 and "month" in bad.json()
    created = api_login(regional_manager).post("/api/satisfaction/rounds/", body, format="json")
    assert created.status_code == 201, created.json()
    round = Round.objects.get(pk=created.json()["id"])
    assert created.json()["steps"] == ["close"]
    values = {str(k): str(v) for k, v in values_for(round.version, [5, 3, 1]).items()}
    answer_body = {"round": round.pk, "customer": customer.pk, "values": values}
    # The teammate does not see the customer in the sample: refused as not there.
    refused = api_login(teammate).post("/api/satisfaction/answers/", answer_body, format="json")
    assert refused.status_code == 400
    wrong = api_login(service_desk).post(
        "/api/satisfaction/answers/",
        {**answer_body, "values": {**values, next(iter(values)): "9"}},
        format="json",
    )
    assert wrong.status_code == 400 and not Answer.objects.exists()
    answered = api_login(service_desk).post(
        "/api/satisfaction/answers/", answer_body, format="json"
    )
    assert answered.status_code == 201
    assert answered.json()["index"] == "62.50" and answered.json()["channel"] == "service_centre"
    again = api_login(manager).post("/api/satisfaction/answers/", answer_body, format="json")
    assert again.status_code == 409
    answer_id = answered.json()["id"]
    assert api_login(teammate).get(f"/api/satisfaction/answers/{answer_id}/").status_code == 404
    assert api_login(manager).get(f"/api/satisfaction/answers/{answer_id}/").status_code == 200
    assert api_login(manager).post(f"/api/satisfaction/rounds/{round.pk}/close/").status_code == 403
    closed = api_login(regional_manager).post(f"/api/satisfaction/rounds/{round.pk}/close/")
    assert closed.json()["status"] == "closed"
    measure = Measure.objects.get(manager=manager)
    url = f"/api/satisfaction/measures/{measure.pk}/"
    assert api_login(teammate).get(url).status_code == 404
    assert api_login(manager).get(url).json()["steps"] == ["write"]
    assert (
        api_login(manager).post(url + "write/", {"measures": ""}, format="json").status_code == 400
    )
    written = api_login(manager).post(url + "write/", {"measures": "每周送货"}, format="json")
    assert written.json()["status"] == "written"
    assert api_login(teammate).post(url + "comment/", {"comment": "x"}).status_code == 404
    commented = api_login(regional_manager).post(url + "comment/", {"comment": "好"}, format="json")
    assert commented.json()["status"] == "commented"


def test_index_endpoint_and_its_visibility(
    settings,
    api_login,
    manager,
    teammate,
    outsider,
    regional_manager,
    other_regional_manager,
    service_desk,
    launch,
):
    settings.SATISFACTION_MIN_ANSWERS = 1
    customer = factories.CustomerFactory(manager=manager)
    round = launch(regional_manager, region=manager.region)
    services.answer_record(
        round=round,
        customer=customer,
        actor=service_desk,
        values=values_for(round.version, [4, 4, 4]),
    )
    mine = api_login(manager).get("/api/satisfaction/index/", {"month": "2026-10"}).json()
    assert mine["manager"] == manager.pk and mine["index"]["value"] == "75.00"
    assert len(mine["trend"]) == 13 and mine["trend"][-1]["answers"] == 1
    assert (
        api_login(teammate).get("/api/satisfaction/index/", {"manager": manager.pk}).status_code
        == 404
    )
    assert (
        api_login(other_regional_manager)
        .get("/api/satisfaction/index/", {"region": manager.region_id})
        .status_code
        == 404
    )
    region = (
        api_login(regional_manager).get("/api/satisfaction/index/", {"month": "2026-10"}).json()
    )
    assert region["breakdown"] == [
        {"id": manager.pk, "name": str(manager), "value": "75.00", "answers": 1, "minimum": 1}
    ]
    everyone = api_login(service_desk).get("/api/satisfaction/index/", {"month": "2026-10"})
    assert everyone.json()["index"]["value"] == "75.00"
    assert api_login(outsider).get("/api/satisfaction/index/", {"month": "x"}).status_code == 400
    assert Decimal(everyone.json()["breakdown"][0]["value"]) == Decimal("75")


def test_questionnaire_written_by_the_admin_only(api_login, admin_user, manager, questionnaire):
    body = {"name": "短问卷", "questions": [{"kind": "score", "text": "态度", "weight": "1"}]}
    assert (
        api_login(manager)
        .post("/api/satisfaction/questionnaires/", body, format="json")
        .status_code
        == 403
    )
    assert (
        api_login(manager)
        .get(f"/api/satisfaction/questionnaires/{questionnaire.pk}/")
        .json()["version"]
        == 1
    )
    created = api_login(admin_user).post("/api/satisfaction/questionnaires/", body, format="json")
    assert created.status_code == 201 and created.json()["questions"][0]["text"] == "态度"
    empty = api_login(admin_user).post(
        "/api/satisfaction/questionnaires/", {"name": "x", "questions": []}, format="json"
    )
    assert empty.status_code == 400
