"""The service centre (客户服务中心): every customer's name and contacts, no sales figures,
no other role's page or endpoint (403 whatever the object), its own satisfaction pages."""

import pytest
from django.urls import reverse

from crm import access
from tests.test_access_walk import MISSING, PUBLIC, build_urls
from tests.world import FOREIGN_NAME, module_world

pytestmark = pytest.mark.django_db
world = module_world

# What the service centre opens (200 for a GET): reading customers, its pages.
OPENS = {
    "home",
    "customer_list",
    "customer_detail",
    "notification_list",
    "account",
    "customer-list",
    "customer-detail",
    "api_me",
}


@pytest.fixture
def service_desk(db):
    from crm.models import User
    from tests import factories

    return factories.UserFactory(
        username="service_desk", role=User.Role.SERVICE_CENTRE, region=None
    )


def test_reads_every_customer_but_no_sales(english, client, world, service_desk):
    client.force_login(service_desk)
    listing = client.get(reverse("customer_list"), {"q": FOREIGN_NAME}).content.decode()
    assert FOREIGN_NAME in listing
    page = client.get(reverse("customer_detail", args=[world["customer"].pk])).content.decode()
    assert FOREIGN_NAME in page
    assert "Sales, last 13 months" not in page and "Purchase amount" not in page
    assert "1,000" not in page
    assert client.get(reverse("customer_edit", args=[world["customer"].pk])).status_code == 403


def test_api_customers_yes_sales_no(api_client, world, service_desk):
    api_client.force_authenticate(service_desk)
    assert FOREIGN_NAME in api_client.get("/api/customers/").content.decode()
    assert api_client.get(f"/api/customers/{world['customer'].pk}/").status_code == 200
    for url in ("/api/sales/", "/api/visits/records/", "/api/complaints/", "/api/reports/"):
        assert api_client.get(url).status_code == 403, url


def test_every_other_route_is_refused(client, world, service_desk):
    """Every page and endpoint of the project, as the service centre: its own open,
    any other role's 403 (the same for an id that does not exist), never a 500."""
    client.force_login(service_desk)
    failures = []
    for (route, name, url, _key), (_r, _n, missing, _k) in zip(
        build_urls(world), build_urls(world, missing=True), strict=True
    ):
        if name in PUBLIC or name in {"logout"}:
            continue
        mine = access.may_open_route(service_desk, route)
        status = client.get(url).status_code
        if status >= 500:
            failures.append(f"GET {url}: {status}")
        elif not mine and status != 403:
            failures.append(f"GET {url}: {status}, expected 403")
        elif not mine and client.get(missing).status_code != 403:
            failures.append(f"GET {missing}: not 403 for a missing id")
        elif name in OPENS and status != 200:
            failures.append(f"GET {url}: {status}, expected 200")
        if route.startswith("satisfaction/") or route.startswith("api/satisfaction/"):
            assert mine, route
    assert not failures, "\n".join(failures)
    assert MISSING["pk"]


def test_nav_shows_its_pages_only(english, client, service_desk):
    client.force_login(service_desk)
    page = client.get(reverse("home")).content.decode()
    assert reverse("satisfaction:round_list") in page
    assert reverse("customer_list") in page
    assert reverse("sales_list") not in page
