"""DRF's browsable API is not served: its HTML forms list every choice of a
related field unscoped (every manager's name, of every region, on the
customer form a manager sees), and it is a second, untested face of each route."""

import pytest

from tests import factories


@pytest.fixture
def other_region_manager(other_region):
    return factories.ManagerFactory(username="west_mgr", region=other_region, last_name="西区经理")


@pytest.mark.django_db
def test_a_browser_asking_for_html_gets_json_without_other_regions_managers(
    client, manager, customer, other_region_manager
):
    client.force_login(manager)
    response = client.get(
        "/api/customers/",
        HTTP_ACCEPT="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert other_region_manager.username not in response.content.decode()
    assert "西区经理" not in response.content.decode()


@pytest.mark.django_db
def test_format_api_is_not_a_format(client, manager, customer, other_region_manager):
    client.force_login(manager)
    response = client.get("/api/customers/?format=api")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "西区经理" not in response.content.decode()
