"""The customer archive's lists as exports (core.exports): customers and sales, over
the pages' selectors (the user's scope) and FilterSets; registered in
``CrmConfig.ready``."""

from django.urls import resolve, reverse
from django.utils.translation import gettext_lazy as _

from core.exports import AMOUNT, DATE, DATETIME, DECIMAL, Column, Export, add_guard, register
from crm import access, selectors
from crm.filters import SalesFilter
from crm.models import Customer


def _opens_the_page(user, export):
    """A list is exported by those who may open its page (the service centre: the
    customers and the satisfaction answers, never sales)."""
    path = reverse(export.page)
    return access.may_open_route(user, resolve(path).route)


add_guard(_opens_the_page)


def _customers(user, params, request):
    return selectors.customer_list(user=user, filters=params, request=request)


def _sales(user, params, request):
    records = selectors.sales_list(user=user).select_related("customer__grade", "customer__manager")
    return SalesFilter(params, queryset=records, request=request)


CUSTOMERS = register(
    Export(
        name="customers",
        title=_("Customers"),
        page="customer_list",
        filtered=_customers,
        columns=[
            Column(_("Customer code"), "code"),
            Column(_("Name"), "name"),
            Column(_("Licence number"), "licence_number"),
            Column(_("Customer type"), "customer_type", choices=Customer.Type.choices),
            Column(
                _("Key-account class"),
                "key_account_class",
                choices=Customer.KeyAccountClass.choices,
            ),
            Column(_("Region"), "region.name"),
            Column(_("Customer manager"), "manager"),
            Column(_("Grade"), "grade.name"),
            Column(_("Address"), "address"),
            Column(_("Network status"), "network_status", choices=Customer.NetworkStatus.choices),
            Column(_("Joined on"), "joined_on", DATE),
            Column(_("Exited on"), "exited_on", DATE),
            Column(_("Assigned at"), "assigned_at", DATETIME),
        ],
    )
)

SALES = register(
    Export(
        name="sales",
        title=_("Sales"),
        page="sales_list",
        filtered=_sales,
        columns=[
            Column(_("Month"), "month", DATE),
            Column(_("Customer code"), "customer.code"),
            Column(_("Customer"), "customer.name"),
            Column(_("Grade"), "customer.grade.name"),
            Column(_("Customer manager"), "customer.manager"),
            Column(_("Purchase quantity"), "quantity", DECIMAL),
            Column(_("Purchase amount"), "amount", AMOUNT),
            Column(_("Sales quantity"), "sales_quantity", DECIMAL),
            Column(_("Sales amount"), "sales_amount", AMOUNT),
        ],
    )
)
