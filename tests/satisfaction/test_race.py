"""One answer per customer per round, when two arrive at the same instant (a double tap
of the service centre and the manager's phone): one is recorded, the other a 409."""

import pytest
from django.urls import reverse

from satisfaction import services
from satisfaction.models import Answer
from tests import factories
from tests.browser_support import seeded  # noqa: F401 - grades after a flush
from tests.races import fire_at_once, statuses
from tests.satisfaction.conftest import OCTOBER, values_for


@pytest.mark.django_db(transaction=True)
def test_double_submit_records_one_answer(
    seeded,  # noqa: F811
    manager,
    regional_manager,
    service_desk,
    questionnaire,
):
    customer = factories.CustomerFactory(manager=manager)
    round = services.round_launch(
        actor=regional_manager, month=OCTOBER, questionnaire=questionnaire, region=manager.region
    )
    values = {str(k): str(v) for k, v in values_for(round.version, [5, 4, 3]).items()}
    url = reverse("satisfaction-answer-list")
    body = {"round": round.pk, "customer": customer.pk, "values": values}
    results = fire_at_once(
        [service_desk, manager], lambda client: client.post(url, body, format="json")
    )
    assert statuses(results) == [201, 409]
    assert Answer.objects.filter(round=round, customer=customer).count() == 1
    refused = next(r for r in results if r.status_code == 409)
    assert "already answered" in refused.json()["detail"]
