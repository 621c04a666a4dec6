"""Network status changes (退网 / 入网) claim the customer's row: of two at once, one wins.

Two "exit network" calls sent at the same instant both succeeded before; now
the second finds the customer already exited and gets 409, on SQLite and on
PostgreSQL alike.
"""

import datetime

import pytest

from core.errors import ConflictError
from crm import services
from crm.models import Customer
from tests import factories
from tests.browser_support import seeded  # noqa: F401 - the fixture
from tests.races import one_wins

ROUNDS = 6


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
def test_two_exits_at_once_one_wins(manager, region, regional_manager, admin_user):
    for _round in range(ROUNDS):
        customer = factories.CustomerFactory(manager=manager, region=region)
        url = f"/api/customers/{customer.pk}/exit/"

        lost = one_wins(
            [regional_manager, admin_user], url, {"exited_on": "2026-11-01", "reason": "停业"}
        )
        assert "already exited" in lost.json()["detail"]
        customer.refresh_from_db()
        assert customer.network_status == Customer.NetworkStatus.EXITED


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
def test_two_rejoins_at_once_one_wins(manager, region, regional_manager, admin_user):
    for _round in range(ROUNDS):
        customer = factories.CustomerFactory(
            manager=manager, region=region, network_status=Customer.NetworkStatus.EXITED
        )
        url = f"/api/customers/{customer.pk}/rejoin/"

        one_wins([regional_manager, admin_user], url, {"joined_on": "2026-11-20"})
        customer.refresh_from_db()
        assert customer.network_status == Customer.NetworkStatus.ACTIVE


@pytest.mark.django_db
def test_an_exit_on_a_stale_read_is_refused_with_409(api_login, regional_manager, customer):
    """The service trusts the locked row, not the copy the caller read earlier."""
    stale = Customer.objects.get(pk=customer.pk)
    # Someone else records the exit between our read and our write.
    Customer.objects.filter(pk=customer.pk).update(network_status=Customer.NetworkStatus.EXITED)

    with pytest.raises(ConflictError) as caught:
        services.customer_exit_network(
            customer=stale,
            actor=regional_manager,
            exited_on=datetime.date(2026, 11, 1),
            reason="停业",
        )
    assert caught.value.status_code == 409
    customer.refresh_from_db()
    assert customer.exit_reason == ""
