"""Who may see and change visits, schedules and the rest of the visits app.

Built on ``crm.access``: a manager sees their own customers' records (and the
records they wrote), a regional manager everything of their region, an admin
all. "Not yours" and "does not exist" both answer 404; seeing without the
right to change answers 403. Only the manager who owns a record writes it: a
regional manager reviews, comments and decides, but never signs for a manager.

Writes follow the customer's *current* manager and region, reads do not: after
a reassignment the previous manager still reads what they wrote (history), but
changes nothing about the customer any more (403), and a regional manager
decides only for customers of their region now.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from crm.models import Customer, User
from visits.models import (
    PriceViolation,
    PromotionReceipt,
    Suggestion,
    UnlicensedReport,
    Visit,
    WeeklySchedule,
    WorkLog,
)


def _visible(user):
    return user.is_authenticated and user.is_active


def _customer_q(user, prefix="customer__", author_field=None, listing=True):
    """The Q that limits rows about a customer to what ``user`` may see (None: all).

    ``listing=False`` for reading one row by its key: the customer is then
    joined rather than the manager's customers read first.
    """
    if user.is_crm_admin:
        return None
    if user.is_regional_manager:
        return Q(**{f"{prefix}region_id": user.region_id})
    if user.is_manager:
        if not author_field:
            return Q(**{f"{prefix}manager_id": user.pk})
        if not listing:
            return Q(**{f"{prefix}manager_id": user.pk}) | Q(**{author_field: user.pk})
        # "Their customers' rows or rows they wrote": with the customer ids
        # spelled out, both sides are indexed columns of the row's own table
        # and the database combines two index scans instead of joining every
        # row (a manager has about a hundred customers).
        customer_ids = list(
            Customer.objects.filter(manager_id=user.pk).values_list("pk", flat=True)
        )
        return Q(**{f"{prefix}id__in": customer_ids}) | Q(**{author_field: user.pk})
    return Q(pk__in=[])


def _scoped(user, queryset, q):
    if not _visible(user):
        return queryset.none()
    return queryset if q is None else queryset.filter(q)


def _get(queryset, pk, label):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(label) from None


def can_supervise_user(user, other):
    """Admins, and the regional manager of ``other``'s region."""
    if user.is_crm_admin:
        return True
    return user.is_regional_manager and other.region_id == user.region_id


# Visits ---------------------------------------------------------------------------


def visit_scope(user, queryset=None, *, listing=True):
    queryset = Visit.objects.all() if queryset is None else queryset
    return _scoped(user, queryset, _customer_q(user, author_field="manager_id", listing=listing))


def customer_visit_scope(user, customer):
    """The visits of one customer ``user`` may see (the customer's page).

    The rule is ``visit_scope``'s; knowing the customer, a manager's list of
    customers need not be read: their own customer's visits are all theirs to
    see, another's only those they wrote.
    """
    visits = Visit.objects.filter(customer=customer)
    if user.is_manager and _visible(user):
        return visits if customer.manager_id == user.pk else visits.filter(manager_id=user.pk)
    return visit_scope(user, visits)


def is_current_manager(user, customer):
    """Whether ``user`` manages ``customer`` now: whoever writes rows about the customer."""
    return user.is_manager and customer.manager_id == user.pk


def can_edit_visit(user, visit):
    """The manager who logged the visit writes and signs it, while the customer is theirs.

    Both: a visit is the account of what its manager did in the shop, so the
    customer's next manager does not sign it for them; and once the customer
    has gone, its author keeps reading the record but no longer changes it.
    """
    return visit.manager_id == user.pk and is_current_manager(user, visit.customer)


def visit_for_user(user, pk, *, queryset=None, change=False):
    visit = _get(visit_scope(user, queryset, listing=False), pk, "No such visit")
    if change and not can_edit_visit(user, visit):
        raise PermissionDenied
    return visit


def suggestion_scope(user, queryset=None):
    queryset = Suggestion.objects.all() if queryset is None else queryset
    return _scoped(user, queryset, _customer_q(user, author_field="visit__manager_id"))


def can_answer_suggestion(user, suggestion):
    """The customer's current manager answers, whoever took the suggestion.

    The answer is owed to the customer, so it goes with the customer: after a
    reassignment the new manager answers what is still open.
    """
    return is_current_manager(user, suggestion.customer)


def violation_scope(user, queryset=None):
    queryset = PriceViolation.objects.all() if queryset is None else queryset
    return _scoped(user, queryset, _customer_q(user, author_field="visit__manager_id"))


def can_decide_violation(user, violation):
    """Downgrades are decided by the customer's regional manager (or an admin)."""
    if user.is_crm_admin:
        return True
    return user.is_regional_manager and violation.customer.region_id == user.region_id


def promotion_scope(user, queryset=None):
    queryset = PromotionReceipt.objects.all() if queryset is None else queryset
    return _scoped(user, queryset, _customer_q(user, author_field="manager_id"))


# Schedules -------------------------------------------------------------------------


def schedule_scope(user, queryset=None):
    queryset = WeeklySchedule.objects.all() if queryset is None else queryset
    if not _visible(user):
        return queryset.none()
    if user.is_crm_admin:
        return queryset
    if user.is_regional_manager:
        return queryset.filter(manager__region_id=user.region_id)
    if user.is_manager:
        return queryset.filter(manager_id=user.pk)
    return queryset.none()


def can_edit_schedule(user, schedule):
    return user.is_manager and schedule.manager_id == user.pk


def can_comment_schedule(user, schedule):
    return can_supervise_user(user, schedule.manager)


def schedule_for_user(user, pk, *, queryset=None, change=False, comment=False):
    schedule = _get(schedule_scope(user, queryset), pk, "No such schedule")
    if change and not can_edit_schedule(user, schedule):
        raise PermissionDenied
    if comment and not can_comment_schedule(user, schedule):
        raise PermissionDenied
    return schedule


# Unlicensed-operation reports and work logs ------------------------------------------


def unlicensed_scope(user, queryset=None):
    queryset = UnlicensedReport.objects.all() if queryset is None else queryset
    if not _visible(user):
        return queryset.none()
    if user.is_crm_admin:
        return queryset
    if user.is_regional_manager:
        return queryset.filter(region_id=user.region_id)
    if user.is_manager:
        return queryset.filter(reporter_id=user.pk)
    return queryset.none()


def can_handle_unlicensed(user, report):
    """Forwarding to the monopoly department and the outcome: the region's manager."""
    if user.is_crm_admin:
        return True
    return user.is_regional_manager and report.region_id == user.region_id


def work_log_scope(user, queryset=None):
    queryset = WorkLog.objects.all() if queryset is None else queryset
    if not _visible(user):
        return queryset.none()
    if user.is_crm_admin:
        return queryset
    if user.is_regional_manager:
        return queryset.filter(author__region_id=user.region_id)
    if user.is_manager:
        return queryset.filter(author_id=user.pk)
    return queryset.none()


def can_comment_work_log(user, log):
    return can_supervise_user(user, log.author)


def regional_managers_of(region_id):
    return User.objects.filter(
        role=User.Role.REGIONAL_MANAGER, region_id=region_id, is_active=True
    ).order_by("pk")
