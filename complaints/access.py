"""Who may see and act on a complaint: a declaration on ``crm.access``.

A complaint is visible to whoever may see its customer: the customer's
manager, the regional manager of the customer's region, and admins. Anyone
else gets 404 ("not yours" and "does not exist" look the same). Seeing a form
is not acting on it: the manager's steps belong to the customer's current
manager; the decision to whoever supervises the customer's region - its
regional manager, or an admin standing in for them (403 otherwise). The event
row of the decision names who decided.
"""

from complaints.models import Complaint
from crm.access import Access, is_current_manager

COMPLAINTS = Access(Complaint, decided_in="customer__region_id")


def complaint_scope(user, queryset=None):
    """Restrict a complaint queryset to the complaints of customers ``user`` may see."""
    return COMPLAINTS.scope(user, queryset)


def complaint_for_user(user, pk, *, queryset=None):
    """The complaint ``pk`` if ``user`` may see it, else 404."""
    return COMPLAINTS.get(user, pk, queryset=queryset)


def can_open_for(user, customer):
    """Only the customer's own manager opens a form for them."""
    return is_current_manager(user, customer)


def is_responsible_manager(user, complaint):
    """The manager's steps: inspection, submission, exchange, feedback, photos."""
    return COMPLAINTS.may_change(user, complaint)


def is_deciding_manager(user, complaint):
    """Approve or reject: the regional manager of the customer's region, or an admin."""
    return COMPLAINTS.may_decide(user, complaint)
