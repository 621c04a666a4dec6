"""Who may see and change what. Every page, API view and export goes through here.

A manager sees the customers assigned to them; a regional manager sees every
customer of their region; an admin sees all. "Not yours" and "does not exist"
both answer 404; seeing without the right to change answers 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from crm.models import Customer, User


def customer_scope(user, queryset=None, *, prefix=""):
    """Restrict a customer queryset to what ``user`` may see.

    With ``prefix="customer__"`` it restricts rows about a customer (sales) by
    the customer's region or manager. An admin's queryset is left whole, so a
    list of everything stays a list of the whole table.
    """
    queryset = Customer.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_crm_admin:
        return queryset
    if user.is_regional_manager:
        return queryset.filter(**{f"{prefix}region_id": user.region_id})
    if user.is_manager:
        return queryset.filter(**{f"{prefix}manager_id": user.pk})
    return queryset.none()


def user_scope(user, queryset=None):
    """The users (managers) that ``user`` may see or pick in forms."""
    queryset = User.objects.all() if queryset is None else queryset
    if user.is_crm_admin:
        return queryset
    if user.is_regional_manager:
        return queryset.filter(region_id=user.region_id)
    return queryset.filter(pk=user.pk)


def manager_filter_choices(user, data):
    """The managers a list's "manager" filter offers ``user``, given the query ``data``.

    A regional manager picks among their region's managers. An admin has 500
    managers to pick from: the list offers those of the region chosen in the
    same filter (plus the manager already chosen, so a link to one manager's
    rows keeps working), and none until a region is chosen.
    """
    managers = user_scope(user, User.objects.filter(role=User.Role.MANAGER))
    if not user.is_crm_admin:
        return managers.order_by("username")
    wanted = Q(pk__in=[])
    region = (data or {}).get("region")
    if region:
        wanted |= Q(region__code=region)
    manager = (data or {}).get("manager")
    if manager and str(manager).isdigit():
        wanted |= Q(pk=manager)
    return managers.filter(wanted).order_by("username")


def can_create_customer(user):
    return user.is_crm_admin or user.is_regional_manager


def can_edit_customer(user, customer):
    if user.is_crm_admin:
        return True
    if user.is_regional_manager:
        return customer.region_id == user.region_id
    return user.is_manager and customer.manager_id == user.pk


def can_supervise_customer(user, customer):
    """Reassign, regrade and change the network status: admins and the region's manager."""
    if user.is_crm_admin:
        return True
    return user.is_regional_manager and customer.region_id == user.region_id


def customer_for_user(user, pk, *, queryset=None, change=False, supervise=False):
    """The customer ``pk`` if ``user`` may see it, else 404; 403 if they may not change it."""
    try:
        customer = customer_scope(user, queryset).get(pk=pk)
    except (Customer.DoesNotExist, ValueError, TypeError):
        raise Http404("No such customer") from None
    if change and not can_edit_customer(user, customer):
        raise PermissionDenied
    if supervise and not can_supervise_customer(user, customer):
        raise PermissionDenied
    return customer
