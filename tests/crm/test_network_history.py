"""Network status (退网 / 入网) on its transition table, with a history of every change.

Before, rejoining wiped the exit (date and reason) from the customer: nothing
showed that it had ever left. Now each exit and rejoining is a
``NetworkStatusChange`` row, the customer page lists them, and the buttons are
the steps ``crm.workflows.NETWORK_TRANSITIONS`` allows.
"""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from core.models import AuditEvent
from crm import services
from crm.models import Customer, NetworkStatusChange
from tests import factories

pytestmark = pytest.mark.django_db

EXIT_DAY = datetime.date(2026, 3, 2)
REJOIN_DAY = datetime.date(2026, 9, 15)


def _exit_and_rejoin(customer, actor):
    services.customer_exit_network(
        customer=customer, actor=actor, exited_on=EXIT_DAY, reason="店铺装修停业"
    )
    return services.customer_rejoin_network(customer=customer, actor=actor, joined_on=REJOIN_DAY)


def test_rejoining_keeps_the_exit_in_the_history(regional_manager, customer):
    _exit_and_rejoin(customer, regional_manager)

    customer.refresh_from_db()
    # The customer's own fields say where it is now ...
    assert customer.network_status == Customer.NetworkStatus.ACTIVE
    assert (customer.joined_on, customer.exited_on, customer.exit_reason) == (
        REJOIN_DAY,
        None,
        "",
    )
    # ... and the history keeps both steps, newest first.
    rows = list(
        customer.network_changes.values_list(
            "action", "from_status", "to_status", "date", "reason", "actor"
        )
    )
    assert rows == [
        ("rejoined", "exited", "active", REJOIN_DAY, "", regional_manager.pk),
        ("exited", "active", "exited", EXIT_DAY, "店铺装修停业", regional_manager.pk),
    ]


def test_the_customer_page_shows_the_exit_and_the_rejoining(
    login, manager, regional_manager, customer
):
    _exit_and_rejoin(customer, regional_manager)

    page = login(manager).get(customer.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")

    html = page.content.decode()
    history = html[html.index('class="list-group list-group-flush network-history"') :]
    history = history[: history.index("</ul>")]
    assert "Exited the network" in history and "店铺装修停业" in history
    assert "Rejoined the network" in history
    assert "03/02/2026" in history  # the exit's date, in English's short format


def test_each_change_is_audited_once(regional_manager, customer):
    _exit_and_rejoin(customer, regional_manager)

    summaries = list(
        AuditEvent.objects.filter(
            action="transition", object_type="crm.Customer", object_id=str(customer.pk)
        )
        .order_by("at", "id")
        .values_list("summary", flat=True)
    )
    assert summaries == ["exited active → exited", "rejoined exited → active"]


def test_a_rejoining_before_the_exit_is_refused_with_the_fields_message(
    api_login, regional_manager, customer
):
    client = api_login(regional_manager)
    client.post(
        f"/api/customers/{customer.pk}/exit/",
        {"exited_on": "2026-03-02", "reason": "停业"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    response = client.post(
        f"/api/customers/{customer.pk}/rejoin/",
        {"joined_on": "2026-03-01"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert "before the exit date" in str(response.json()["joined_on"])
    customer.refresh_from_db()
    assert customer.network_status == Customer.NetworkStatus.EXITED
    assert customer.network_changes.count() == 1


def test_the_rejoin_form_shows_the_same_refusal(login, regional_manager, customer):
    services.customer_exit_network(
        customer=customer, actor=regional_manager, exited_on=EXIT_DAY, reason="停业"
    )

    response = login(regional_manager).post(
        reverse("customer_rejoin_network", args=[customer.pk]),
        {"joined_on": "2026-03-01"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "before the exit date" in " ".join(response.context["form"].errors["joined_on"])
    customer.refresh_from_db()
    assert customer.network_status == Customer.NetworkStatus.EXITED


def _buttons(client, customer):
    html = client.get(customer.get_absolute_url()).content.decode()
    return {
        name
        for name in ("customer_exit_network", "customer_rejoin_network")
        if reverse(name, args=[customer.pk]) in html
    }


def test_the_page_offers_the_step_the_table_allows(
    login, manager, regional_manager, admin_user, other_regional_manager, customer
):
    assert _buttons(login(regional_manager), customer) == {"customer_exit_network"}
    assert _buttons(login(admin_user), customer) == {"customer_exit_network"}
    # The customer's manager does not decide it.
    assert _buttons(login(manager), customer) == set()

    services.customer_exit_network(
        customer=customer, actor=regional_manager, exited_on=EXIT_DAY, reason="停业"
    )

    assert _buttons(login(regional_manager), customer) == {"customer_rejoin_network"}
    assert _buttons(login(manager), customer) == set()


def test_a_manager_posting_an_exit_is_refused_and_nothing_is_written(login, manager, customer):
    response = login(manager).post(
        reverse("customer_exit_network", args=[customer.pk]),
        {"exited_on": "2026-03-02", "reason": "停业"},
    )

    assert response.status_code == 403
    assert not NetworkStatusChange.objects.exists()


def test_the_migration_gives_each_exited_customer_its_current_exit(manager):
    exited = factories.CustomerFactory(
        manager=manager,
        network_status=Customer.NetworkStatus.EXITED,
        exited_on=EXIT_DAY,
        exit_reason="合同到期",
    )
    factories.CustomerFactory(manager=manager)  # in the network: no history to write
    migration = importlib.import_module("crm.migrations.0011_regrading_network_events")

    migration.exits_into_history(apps, None)

    row = NetworkStatusChange.objects.get()
    assert (row.customer, row.action, row.from_status, row.to_status) == (
        exited,
        "exited",
        "active",
        "exited",
    )
    assert (row.date, row.reason, row.actor) == (EXIT_DAY, "合同到期", None)


def test_the_api_lists_the_steps_the_table_allows(api_login, manager, regional_manager, customer):
    url = f"/api/customers/{customer.pk}/"
    assert api_login(regional_manager).get(url).json()["network_steps"] == ["exit"]
    assert api_login(manager).get(url).json()["network_steps"] == []
    # The step not listed is refused.
    refused = api_login(manager).post(
        f"{url}exit/", {"exited_on": "2026-03-02", "reason": "停业"}, format="json"
    )
    assert refused.status_code == 403

    exited = api_login(regional_manager).post(
        f"{url}exit/", {"exited_on": "2026-03-02", "reason": "停业"}, format="json"
    )

    assert exited.status_code == 200
    assert exited.json()["network_steps"] == ["rejoin"]
    listed = api_login(regional_manager).get("/api/customers/").json()["results"]
    assert [row["network_steps"] for row in listed if row["id"] == customer.pk] == [["rejoin"]]


def test_the_rejoin_form_names_the_exit_it_ends(login, regional_manager, customer):
    services.customer_exit_network(
        customer=customer, actor=regional_manager, exited_on=EXIT_DAY, reason="店铺装修停业"
    )

    page = login(regional_manager).get(
        reverse("customer_rejoin_network", args=[customer.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )

    html = page.content.decode()
    current = html[html.index('class="current-exit"') :]
    assert "03/02/2026" in current[:200] and "店铺装修停业" in current[:200]


def test_the_admin_shows_the_network_history_read_only(client, admin_user, customer):
    services.customer_exit_network(
        customer=customer, actor=admin_user, exited_on=EXIT_DAY, reason="店铺装修停业"
    )
    client.force_login(admin_user)

    page = client.get(reverse("admin:crm_customer_change", args=[customer.pk]))

    html = page.content.decode()
    assert "店铺装修停业" in html
    assert 'name="network_changes-0-reason"' not in html  # shown, not editable
