"""Reads of the customer archive, scoped to what the user may see."""

from django.db.models import Prefetch

from core.ordering import found_rows_order
from crm import access
from crm.access import works_customers
from crm.filters import CustomerFilter
from crm.models import Assignment, Customer, GradeChange, NetworkStatusChange, SalesRecord


def customer_list(*, user, filters=None, request=None):
    """The customers ``user`` may see, filtered; returns the FilterSet (``.qs`` holds rows).

    A page of it costs a fixed number of queries: region, manager and grade
    come in the same query.
    """
    queryset = access.customer_scope(user).select_related("region", "manager", "grade")
    return CustomerFilter(filters, queryset=queryset, request=request)


def customer_detail(*, user, pk):
    """One customer with everything its detail page shows, or 404."""
    queryset = Customer.objects.select_related("region", "manager", "grade").prefetch_related(
        "contacts",
        Prefetch(
            "grade_changes",
            queryset=GradeChange.objects.select_related("old_grade", "new_grade", "changed_by"),
        ),
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("from_manager", "to_manager", "changed_by"),
        ),
        Prefetch("network_changes", queryset=NetworkStatusChange.objects.select_related("actor")),
    )
    return access.customer_for_user(user, pk, queryset=queryset)


def customer_sales(*, customer, months=13):
    """The customer's last ``months`` monthly sales rows, newest first."""
    return list(SalesRecord.objects.filter(customer=customer).order_by("-month")[:months])


def sales_list(*, user):
    """The sales rows ``user`` may see, newest month first, customers in order.

    An admin's unfiltered list walks the newest-month index; a manager's 1,300
    rows of 650,000 are found by customer and sorted (core.ordering).
    """
    queryset = access.customer_scope(
        user, SalesRecord.objects.select_related("customer"), prefix="customer__"
    )
    if works_customers(user):
        return queryset.order_by(found_rows_order("month", descending=True), "customer_id")
    return queryset.order_by("-month", "customer_id")
