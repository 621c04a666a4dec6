"""Reads of the complaints app: each applies the user's scope first, then filters,
and loads related rows so a page costs the same few queries whatever its size."""

from django.db.models import Prefetch

from complaints.access import complaint_scope
from complaints.filters import ComplaintFilter
from complaints.models import Complaint, ComplaintEvent
from core import months
from crm.access import leads_region


def _base(user):
    queryset = Complaint.objects.select_related("customer", "customer__manager", "customer__region")
    # ``overdue`` is ComplaintQuerySet's rule: the badge, sort and filter read it.
    return complaint_scope(user, queryset).with_overdue()


def complaint_list(*, user, filters=None):
    """The FilterSet over the complaints ``user`` may see.

    Regional managers see the overdue forms of their region first, then the
    earliest deadline; everybody else sees the newest first.
    """
    queryset = _base(user)
    if leads_region(user):
        queryset = queryset.order_by("-overdue", "due_on", "-created_at", "-pk")
    else:
        queryset = queryset.order_by("-created_at", "-pk")
    return ComplaintFilter(filters or None, queryset=queryset)


def complaint_detail(*, user, pk):
    """One complaint with everything its page shows, in a fixed number of queries."""
    from complaints.access import complaint_for_user

    queryset = (
        _base(user)
        .select_related(
            "created_by",
            "decided_by",
            "inspection_signature__captured_by",
            "receipt_signature__captured_by",
        )
        .prefetch_related(
            "photos",
            Prefetch(
                "events",
                queryset=ComplaintEvent.objects.select_related("actor").order_by("at", "pk"),
            ),
        )
    )
    return complaint_for_user(user, pk, queryset=queryset)


def complaints_for_customer(user, customer, *, limit=20):
    """The latest complaints of a customer, for the customer's page (visibility applied)."""
    return list(_base(user).filter(customer=customer).order_by("-created_at", "-pk")[:limit])


def month_opinions(month, manager_ids):
    """Section c) of the monthly report: the complaints reported in ``month`` by the
    customers each manager manages, as ``(manager_id, item)`` (``crm.opinions``).

    The item's ``result`` is the result fed back, or the state the form is in
    while it is still open.
    """
    rows = (
        Complaint.objects.filter(
            customer__manager_id__in=manager_ids,
            reported_on__gte=months.month_start(month),
            reported_on__lt=months.month_shift(month, 1),
        )
        .select_related("customer")
        .order_by("reported_on", "pk")
    )
    for complaint in rows:
        yield (
            complaint.customer.manager_id,
            {
                "kind": "complaint",
                "date": str(complaint.reported_on),
                "customer": complaint.customer.name,
                "text": " · ".join(part for part in (complaint.product, complaint.problem) if part),
                "result": complaint.result or str(complaint.get_status_display()),
            },
        )
