"""New customers not contacted in time (SPEC: "a new customer must be contacted by its
manager within 7 days of being assigned, otherwise the regional manager may reassign it").

Contacted means a visit record by the customer's current manager since the
assignment. The number of days is the admin's ``ReminderSettings.contact_days``.
One rule, used by the list page and the home page's count.
"""

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from crm.access import supervised
from crm.models import Customer, ReminderSettings
from visits.models import Visit


def not_contacted(queryset, *, now=None, days=None):
    """The customers of ``queryset`` assigned at least ``days`` ago with no visit since
    by their manager (customers in the network only)."""
    now = now or timezone.now()
    days = ReminderSettings.load().contact_days if days is None else days
    visited = Visit.objects.filter(
        customer_id=OuterRef("pk"),
        manager_id=OuterRef("manager_id"),
        arrived_at__gte=OuterRef("assigned_at"),
    )
    return queryset.filter(
        manager__isnull=False,
        network_status=Customer.NetworkStatus.ACTIVE,
        assigned_at__lte=now - datetime.timedelta(days=days),
    ).filter(~Exists(visited))


def not_contacted_list(*, user, now=None, days=None):
    """What ``user`` decides about: an admin every region, a regional manager their own,
    anyone else nothing; the longest waiting first."""
    customers = supervised(user, Customer.objects.all(), region="region_id")
    return (
        not_contacted(customers, now=now, days=days)
        .select_related("region", "manager", "grade")
        .order_by("assigned_at", "pk")
    )


# How long a customer stays on the manager's "first visit" list after its assignment.
FIRST_VISIT_SHOWN_DAYS = 30


def awaiting_first_visit(*, manager, now=None, days=None):
    """The manager's customers assigned to them in the last ``FIRST_VISIT_SHOWN_DAYS``
    and not visited by them since, as (customer, visit-by date), the earliest first."""
    now = now or timezone.now()
    days = ReminderSettings.load().contact_days if days is None else days
    customers = not_contacted(
        Customer.objects.filter(
            manager=manager,
            assigned_at__gte=now - datetime.timedelta(days=FIRST_VISIT_SHOWN_DAYS),
        ),
        now=now + datetime.timedelta(days=days),
        days=days,
    ).select_related("grade")
    return [
        (customer, timezone.localdate(customer.assigned_at) + datetime.timedelta(days=days))
        for customer in customers.order_by("assigned_at", "pk")
    ]
