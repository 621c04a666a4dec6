"""The installable app in real Chromium: once the manager has opened it online,
today's page, the week and the customer cards open with the network cut (the
service worker's own requests cut too), say they are the kept copy, and logging
out deletes the kept pages."""

import json

import pytest

from tests import factories
from tests.browser_support import browser_page, chromium, login_as, seeded  # noqa: F401


def cut_network(context):
    """No network for the page nor the service worker: Playwright's offline switch
    alone leaves the worker's fetches through, so they are refused as well."""
    context.set_offline(True)
    context.route("**/*", lambda route: route.abort("internetdisconnected"))


def restore_network(context):
    context.unroute("**/*")
    context.set_offline(False)


def kept_names(page):
    return page.evaluate("caches.keys()")


@pytest.mark.django_db
def test_the_manifest_and_the_worker_are_served(client, manager):
    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    data = json.loads(manifest.content)
    assert data["display"] == "standalone" and data["start_url"] == "/visits/today/"
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and worker["Service-Worker-Allowed"] == "/"
    assert "javascript" in worker["Content-Type"]
    client.force_login(manager)
    page = client.get("/visits/today/").content.decode()
    assert 'rel="manifest"' in page and "/visits/cards/" in page


@pytest.mark.django_db
def test_the_customer_cards_list_the_managers_own_customers(client, manager, teammate):
    from visits.models import Suggestion  # noqa: F401 - the cards show open ones

    own = factories.CustomerFactory(manager=manager, name="自家便利店")
    factories.ContactFactory(customer=own, name="王店主", phone="13800000000")
    factories.CustomerFactory(manager=teammate, name="别家超市")
    client.force_login(manager)
    page = client.get("/visits/cards/").content.decode()
    assert "自家便利店" in page and "13800000000" in page
    assert "别家超市" not in page
    client.force_login(teammate)
    assert "自家便利店" not in client.get("/visits/cards/").content.decode()


@pytest.mark.browser
@pytest.mark.service_worker
@pytest.mark.django_db(transaction=True)
def test_pages_opened_online_open_without_network(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
):
    factories.CustomerFactory(manager=manager, name="离线便利店")
    page = browser_page
    context = page.context
    login_as(page, live_server, manager)
    page.goto(f"{live_server.url}/visits/today/")
    page.wait_for_selector("html[data-offline-ready=true]", timeout=20000)
    assert any(name.startswith("crm-pages") for name in kept_names(page))

    cut_network(context)
    try:
        page.goto(f"{live_server.url}/visits/today/")
        page.wait_for_selector("[data-testid=offline-banner]")
        page.goto(f"{live_server.url}/visits/cards/")
        assert page.is_visible("text=离线便利店")
        page.goto(f"{live_server.url}/visits/schedule/")
        page.wait_for_selector("[data-testid=offline-banner]")
        # A page never opened online: the offline page, not the browser's error.
        page.goto(f"{live_server.url}/complaints/")
        assert page.is_visible("text=No connection")
    finally:
        restore_network(context)

    page.goto(f"{live_server.url}/visits/today/")
    assert not page.is_visible("[data-testid=offline-banner]")
    page.click("button.navbar-toggler")
    page.wait_for_selector("#main-nav.collapse.show")
    page.click("#main-nav .dropdown-toggle >> nth=-1")
    page.click("form[action$='/accounts/logout/'] button")
    page.wait_for_url(lambda url: "/login" in url or "/accounts/" in url)
    # The pages (the customers' data) are gone; the static files hold none.
    assert not [name for name in kept_names(page) if name.startswith("crm-pages")]
