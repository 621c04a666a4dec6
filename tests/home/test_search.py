"""The navigation's search: customers (name, code, licence), their visits and
complaints (number) within what the user may see; "not yours" never appears."""

import pytest
from django.urls import reverse

from tests import factories
from tests.browser_support import browser_page, login_as, seeded  # noqa: F401
from tests.complaints.conftest import make_complaint
from tests.visits.conftest import make_visit

URL = reverse("search")


@pytest.fixture(autouse=True)
def _english(english):
    """Pages in English."""


@pytest.fixture
def rows(manager, teammate, outsider, regional_manager, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    mine = factories.CustomerFactory(
        manager=manager, name="和平便利店", code="C00001", licence_number="LIC-EAST-1"
    )
    theirs = factories.CustomerFactory(manager=teammate, name="和平烟酒行", code="C00002")
    far = factories.CustomerFactory(manager=outsider, name="和平超市", code="W00001")
    visit = make_visit(manager, mine, stage="ended")
    complaint = make_complaint(manager, mine, regional_manager, stage="open")
    foreign = make_complaint(outsider, far, stage="open")
    return {
        "mine": mine,
        "theirs": theirs,
        "far": far,
        "visit": visit,
        "complaint": complaint,
        "foreign": foreign,
    }


@pytest.mark.django_db
class TestSearch:
    def test_a_manager_finds_their_own_only(self, client, manager, rows):
        client.force_login(manager)
        page = client.get(URL, {"q": "和平"}).text
        assert rows["mine"].get_absolute_url() in page
        assert rows["visit"].get_absolute_url() in page
        assert rows["complaint"].get_absolute_url() in page
        for other in ("和平烟酒行", "和平超市", rows["foreign"].number):
            assert other not in page

    def test_by_code_licence_and_complaint_number(self, client, manager, rows):
        client.force_login(manager)
        assert "和平便利店" in client.get(URL, {"q": "c00001"}).text
        assert "和平便利店" in client.get(URL, {"q": "EAST-1"}).text
        number = rows["complaint"].number
        for query in (number, number.lower(), str(rows["complaint"].pk)):
            page = client.get(URL, {"q": query}).text
            assert rows["complaint"].get_absolute_url() in page, query
        # Someone else's complaint by its number: not found, as if it did not exist.
        page = client.get(URL, {"q": rows["foreign"].number}).text
        assert rows["foreign"].get_absolute_url() not in page
        assert 'data-testid="nothing-found"' in page

    def test_the_regional_manager_sees_the_region(self, client, regional_manager, rows):
        client.force_login(regional_manager)
        page = client.get(URL, {"q": "和平"}).text
        assert "和平便利店" in page and "和平烟酒行" in page
        assert "和平超市" not in page

    def test_empty_long_and_odd_queries(self, client, manager, rows):
        client.force_login(manager)
        assert client.get(URL).status_code == 200
        assert client.get(URL, {"q": "x" * 5000}).status_code == 200
        assert client.get(URL, {"q": "%_\\'\""}).status_code == 200
        client.logout()
        assert client.get(URL, {"q": "和平"}).status_code == 302

    @pytest.mark.parametrize("count", [3, 30])
    def test_query_budget_does_not_grow(
        self, client, manager, regional_manager, count, django_assert_max_num_queries
    ):
        for number in range(count):
            customer = factories.CustomerFactory(manager=manager, name=f"和平分店{number}")
            make_complaint(manager, customer, regional_manager, stage="open")
        client.force_login(manager)
        # session, user, (manager's customers for the scopes), customers, visits,
        # complaints, unread notifications, nav: a fixed number whatever the size.
        with django_assert_max_num_queries(12):
            response = client.get(URL, {"q": "和平"})
        assert response.status_code == 200


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_search_from_the_bar_on_a_phone(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
    teammate,
    outsider,
    regional_manager,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    mine = factories.CustomerFactory(manager=manager, name="和平便利店", code="C00001")
    factories.CustomerFactory(manager=outsider, name="和平超市", code="W00001")
    complaint = make_complaint(manager, mine, regional_manager, stage="open")
    page = browser_page
    login_as(page, live_server, manager)
    page.click(".navbar-toggler")
    page.fill("#nav-search-q", "和平")
    page.press("#nav-search-q", "Enter")
    page.wait_for_selector("[data-testid=found-customers]")
    assert page.locator("[data-testid=found-customers]").inner_text().count("和平便利店") == 1
    assert "和平超市" not in page.locator("main").inner_text()
    assert page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth") <= 0
    # A complaint by its number, then straight to it.
    page.fill("#search-page-q", complaint.number)
    page.press("#search-page-q", "Enter")
    page.click(f"[data-testid=found-complaints] a:has-text('{complaint.number}')")
    page.wait_for_url(lambda url: url.endswith(complaint.get_absolute_url()))
