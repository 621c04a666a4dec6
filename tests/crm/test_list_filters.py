"""The customer list's region and manager filters.

An admin picks a region first; the manager box then offers that region's
managers only (or the one manager a link already chose). A regional manager
picks among their own region's managers, never another region's. The API
keeps filtering by any manager an admin names.
"""

import pytest
from django.urls import reverse

from tests import factories
from tests.selects import offers_managers, selects

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(manager, teammate, outsider, regional_manager, other_regional_manager):
    """One customer for each of the three managers, in two regions."""
    return {
        "manager": factories.CustomerFactory(manager=manager, name="东区甲店"),
        "teammate": factories.CustomerFactory(manager=teammate, name="东区乙店"),
        "outsider": factories.CustomerFactory(manager=outsider, name="西区丙店"),
    }


def get_list(client, **params):
    response = client.get(reverse("customer_list"), params)
    assert response.status_code == 200
    return response


class TestAdmin:
    def test_manager_box_waits_for_a_region(self, english, login, admin_user, archive):
        response = get_list(login(admin_user))
        boxes = selects(response)
        assert boxes["manager"].disabled
        assert [(o.value, o.text) for o in boxes["manager"].options] == [
            ("", "Choose a region first")
        ]
        assert "data-autosubmit" in boxes["region"].attrs
        assert boxes["region"].values == ["EAST", "WEST"]
        # The list itself is not held back: every customer is there.
        page = response.content.decode()
        for customer in archive.values():
            assert customer.name in page

    def test_manager_box_prompt_is_translated(self, login, admin_user, archive):
        """The default language is Chinese: the prompt must not stay in English."""
        boxes = selects(get_list(login(admin_user)))
        assert boxes["manager"].disabled
        [prompt] = boxes["manager"].options
        assert prompt.value == ""
        assert prompt.text != "Choose a region first"

    def test_region_offers_that_regions_managers(
        self, login, admin_user, manager, teammate, outsider, regional_manager, archive
    ):
        client = login(admin_user)
        response = get_list(client, region="EAST")
        manager_box = selects(response)["manager"]
        assert not manager_box.disabled
        # Managers only: the region's regional manager is not a customer manager.
        assert sorted(manager_box.values) == sorted([str(manager.pk), str(teammate.pk)])
        assert selects(response)["region"].selected == ["EAST"]

        manager_box = selects(get_list(client, region="WEST"))["manager"]
        assert manager_box.values == [str(outsider.pk)]

    def test_region_shows_that_regions_customers(self, login, admin_user, archive):
        page = get_list(login(admin_user), region="EAST").content.decode()
        assert archive["manager"].name in page
        assert archive["teammate"].name in page
        assert archive["outsider"].name not in page

    def test_api_filters_by_region(self, api_login, admin_user, archive):
        response = api_login(admin_user).get("/api/customers/", {"region": "WEST"})
        assert response.status_code == 200
        assert [row["code"] for row in response.json()["results"]] == [archive["outsider"].code]

    def test_region_without_managers_offers_none(self, login, admin_user, archive):
        factories.RegionFactory(code="NORTH", name="城北区域")
        manager_box = selects(get_list(login(admin_user), region="NORTH"))["manager"]
        assert not manager_box.disabled
        assert manager_box.values == []

    def test_a_link_to_one_manager_keeps_working(self, login, admin_user, outsider, archive):
        response = get_list(login(admin_user), manager=outsider.pk)
        manager_box = selects(response)["manager"]
        assert not manager_box.disabled
        assert manager_box.values == [str(outsider.pk)]
        assert manager_box.selected == [str(outsider.pk)]
        page = response.content.decode()
        assert archive["outsider"].name in page
        assert archive["manager"].name not in page
        assert archive["teammate"].name not in page

    def test_region_and_manager_together_keep_the_choice(
        self, login, admin_user, manager, teammate, archive
    ):
        response = get_list(login(admin_user), region="EAST", manager=teammate.pk)
        manager_box = selects(response)["manager"]
        assert sorted(manager_box.values) == sorted([str(manager.pk), str(teammate.pk)])
        assert manager_box.selected == [str(teammate.pk)]

    def test_api_still_filters_by_any_manager(self, api_login, admin_user, outsider, archive):
        response = api_login(admin_user).get("/api/customers/", {"manager": outsider.pk})
        assert response.status_code == 200
        body = response.json()
        assert [row["code"] for row in body["results"]] == [archive["outsider"].code]
        assert body["count"] == 1


class TestRegionalManager:
    def test_manager_box_offers_own_regions_managers_only(
        self, login, regional_manager, manager, teammate, archive
    ):
        boxes = selects(get_list(login(regional_manager)))
        assert "region" not in boxes
        assert "data-autosubmit" not in boxes["manager"].attrs
        assert offers_managers(boxes["manager"], manager, teammate)

    def test_another_regions_manager_cannot_be_chosen(
        self, login, regional_manager, outsider, archive
    ):
        response = get_list(login(regional_manager), manager=outsider.pk)
        manager_box = selects(response)["manager"]
        assert str(outsider.pk) not in manager_box.values
        assert manager_box.selected == []
        page = response.content.decode()
        assert archive["outsider"].name not in page
        assert outsider.username not in page

    def test_other_regional_manager_sees_the_other_side(
        self, login, other_regional_manager, manager, teammate, outsider, archive
    ):
        manager_box = selects(get_list(login(other_regional_manager)))["manager"]
        assert manager_box.values == [str(outsider.pk)]

    def test_api_refuses_another_regions_manager(
        self, api_login, regional_manager, manager, outsider, archive
    ):
        client = api_login(regional_manager)
        assert client.get("/api/customers/", {"manager": outsider.pk}).status_code == 400
        rows = client.get("/api/customers/", {"manager": manager.pk}).json()["results"]
        assert [row["code"] for row in rows] == [archive["manager"].code]


def test_manager_has_no_region_or_manager_box(login, manager, archive):
    boxes = selects(get_list(login(manager)))
    assert "region" not in boxes
    assert "manager" not in boxes
