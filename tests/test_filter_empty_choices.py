"""A list filter's empty choice reads as a word ("全部", "All"), never "---------"."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/customers/", "/complaints/", "/reports/", "/visits/list/"]


@pytest.mark.parametrize("who", ["manager", "regional_manager", "admin_user"])
@pytest.mark.parametrize("url", PAGES)
def test_no_filter_select_offers_dashes(client, request, who, url):
    client.force_login(request.getfixturevalue(who))
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<select" in html
    assert "---------" not in html
