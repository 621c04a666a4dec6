"""An API id is ASCII digits. DRF's routes take any characters for an id and
Python's int() reads every script's digits, so /api/customers/１/ (full-width)
or /api/customers/١/ (Arabic-Indic) served customer 1 under a second address
(logs, audit rows and any rule on the path saw another id); the browser's
<int:pk> routes already answer 404 to them."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def _in_digits(number, zero):
    """``number`` written with the digits that start at code point ``zero``."""
    return "".join(chr(zero + int(d)) for d in str(number))


# Full-width, Arabic-Indic, mathematical bold.
@pytest.mark.parametrize("zero", [0xFF10, 0x0660, 0x1D7CE])
def test_an_id_in_other_digits_is_not_found(api_login, manager, customer, zero):
    client = api_login(manager)
    assert client.get(f"/api/customers/{customer.pk}/").status_code == 200
    pk = _in_digits(customer.pk, zero)
    response = client.get(f"/api/customers/{pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    response = client.patch(f"/api/customers/{pk}/", {"name": "改名"}, format="json")
    assert response.status_code == 404
    customer.refresh_from_db()
    assert customer.name != "改名"


def test_not_yours_reads_not_found_in_the_users_language(api_login, manager, outsider):
    """Django's own 404 text ("No Customer matches the given query.") is English
    whatever the language, and names the model."""
    theirs = factories.CustomerFactory(manager=outsider)
    client = api_login(manager)
    chinese = client.get(f"/api/customers/{theirs.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese.status_code == 404
    assert chinese.json() == {"detail": "未找到。"}
    english = client.get(f"/api/customers/{theirs.pk}/")
    assert english.json() == {"detail": "Not found."}
