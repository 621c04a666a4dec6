"""For the tests of writes after a customer is reassigned: the hand-over and what must stay."""

from crm import services as crm_services


def hand_over(customer, to, actor):
    """Reassign through the service, moving the customer to ``to``'s region if it differs."""
    region = to.region if to is not None and to.region_id != customer.region_id else None
    return crm_services.customer_reassign(
        customer=customer, actor=actor, manager=to, region=region, reason="调岗交接"
    )


def table_state(model, fields, events):
    """What a refused write leaves as it was: ``model``'s rows (pk, ``fields``), the event count."""
    rows = list(model.objects.order_by("pk").values_list("pk", *fields))
    return rows, events.objects.count()
