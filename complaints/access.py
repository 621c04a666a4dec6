"""Who may see and act on a complaint, on top of ``crm.access``.

A complaint is visible to whoever may see its customer: the customer's
manager, the regional manager of the customer's region, and admins. Anyone
else gets 404 ("not yours" and "does not exist" look the same). Seeing a form
is not acting on it: the manager's steps belong to the customer's manager,
the decision to the regional manager of the customer's region (403 otherwise).
"""

from django.http import Http404

from complaints.models import Complaint
from crm.access import customer_scope


def complaint_scope(user, queryset=None):
    """Restrict a complaint queryset to the complaints of customers ``user`` may see."""
    queryset = Complaint.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_crm_admin:
        return queryset
    return queryset.filter(customer__in=customer_scope(user).values("pk"))


def complaint_for_user(user, pk, *, queryset=None):
    """The complaint ``pk`` if ``user`` may see it, else 404."""
    try:
        return complaint_scope(user, queryset).get(pk=pk)
    except (Complaint.DoesNotExist, ValueError, TypeError):
        raise Http404("No such complaint") from None


def can_open_for(user, customer):
    """Only the customer's own manager opens a form for them."""
    return user.is_manager and customer.manager_id == user.pk


def is_responsible_manager(user, complaint):
    """The manager's steps: inspection, submission, exchange, feedback, photos."""
    return user.is_manager and complaint.customer.manager_id == user.pk


def is_deciding_manager(user, complaint):
    """The regional manager of the customer's region approves or rejects."""
    return user.is_regional_manager and complaint.customer.region_id == user.region_id
