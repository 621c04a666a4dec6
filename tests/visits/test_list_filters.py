"""The visit list's region and manager filters.

An admin filters by the customer's region, and the manager box follows the
region chosen (closed until one is). A manager has neither filter; a regional
manager has no region filter and cannot reach another region through one.
"""

import re

import pytest
from django.urls import reverse

from tests import factories
from tests.selects import offers_managers, selects
from tests.visits.conftest import record as visit_record

pytestmark = pytest.mark.django_db


def record(customer, manager):
    return visit_record(customer, manager, "2026-10-08T10:00:00+08:00")


@pytest.fixture
def visits(manager, teammate, outsider, regional_manager, other_regional_manager):
    """One visit per manager to one of their customers, in two regions."""
    return {
        "manager": record(factories.CustomerFactory(manager=manager), manager),
        "teammate": record(factories.CustomerFactory(manager=teammate), teammate),
        "outsider": record(factories.CustomerFactory(manager=outsider), outsider),
    }


def get_list(client, **params):
    response = client.get(reverse("visits:visit_list"), params)
    assert response.status_code == 200
    return response


def shown(response):
    """The visits listed, by the links of their rows."""
    return set(re.findall(r'href="([^"]+)" data-testid="visit-row"', response.content.decode()))


def links(*visits):
    return {visit.get_absolute_url() for visit in visits}


class TestAdmin:
    def test_region_box_and_closed_manager_box(self, english, login, admin_user, visits):
        response = get_list(login(admin_user))
        boxes = selects(response)
        assert boxes["region"].values == ["EAST", "WEST"]
        assert "data-autosubmit" in boxes["region"].attrs
        assert boxes["manager"].disabled
        assert [(o.value, o.text) for o in boxes["manager"].options] == [
            ("", "Choose a region first")
        ]
        assert shown(response) == links(*visits.values())

    def test_region_shows_that_regions_visits(self, login, admin_user, manager, teammate, visits):
        client = login(admin_user)
        response = get_list(client, region="EAST")
        assert shown(response) == links(visits["manager"], visits["teammate"])
        boxes = selects(response)
        assert boxes["region"].selected == ["EAST"]
        assert offers_managers(boxes["manager"], manager, teammate)

        response = get_list(client, region="WEST")
        assert shown(response) == links(visits["outsider"])

    def test_region_is_the_customers_not_the_visitors(
        self, login, admin_user, manager, outsider, other_region, visits
    ):
        # The manager visited a customer who has since moved to the other region.
        moved = factories.CustomerFactory(manager=manager)
        old = record(moved, manager)
        moved.manager, moved.region = outsider, other_region
        moved.save()
        client = login(admin_user)
        assert old.get_absolute_url() in shown(get_list(client, region="WEST"))
        assert old.get_absolute_url() not in shown(get_list(client, region="EAST"))

    def test_region_and_manager_together(self, login, admin_user, teammate, visits):
        response = get_list(login(admin_user), region="EAST", manager=teammate.pk)
        assert shown(response) == links(visits["teammate"])
        assert selects(response)["manager"].selected == [str(teammate.pk)]

    def test_a_link_to_one_manager_keeps_working(self, login, admin_user, outsider, visits):
        response = get_list(login(admin_user), manager=outsider.pk)
        assert shown(response) == links(visits["outsider"])
        manager_box = selects(response)["manager"]
        assert not manager_box.disabled
        assert manager_box.values == [str(outsider.pk)]


def test_manager_has_no_region_or_manager_filter(login, manager, visits):
    response = get_list(login(manager), region="WEST")
    boxes = selects(response)
    assert "region" not in boxes
    assert "manager" not in boxes
    assert shown(response) == links(visits["manager"])


class TestRegionalManager:
    def test_no_region_filter_and_own_managers_only(
        self, login, regional_manager, manager, teammate, visits
    ):
        response = get_list(login(regional_manager))
        boxes = selects(response)
        assert "region" not in boxes
        assert offers_managers(boxes["manager"], manager, teammate)
        assert shown(response) == links(visits["manager"], visits["teammate"])

    def test_another_region_stays_out_of_reach(self, login, regional_manager, outsider, visits):
        client = login(regional_manager)
        response = get_list(client, region="WEST")
        assert visits["outsider"].get_absolute_url() not in shown(response)
        assert shown(response) == links(visits["manager"], visits["teammate"])
        response = get_list(client, manager=outsider.pk)
        assert visits["outsider"].get_absolute_url() not in shown(response)
        assert str(outsider.pk) not in selects(response)["manager"].values
