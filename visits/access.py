"""Who may see and change visits, schedules and the rest of the visits app.

Declarations on ``crm.access`` (the rule lives there): a manager sees their own
customers' records (and the records they wrote), a regional manager everything
of their region, an admin all. Only the manager who owns a record writes it: a
regional manager (or an admin standing in) reviews, comments and decides, but
never signs for a manager.

Writes follow the customer's *current* manager and region, reads do not: after
a reassignment the previous manager still reads what they wrote (history), but
changes nothing about the customer any more (403), and a regional manager
decides only for customers of their region now.
"""

from django.core.exceptions import PermissionDenied

from crm.access import (
    AUTHOR,
    AUTHOR_AND_CUSTOMER_MANAGER,
    Access,
    is_current_manager,
    works_customers,
)
from crm.models import User
from visits.models import (
    PriceViolation,
    PromotionReceipt,
    Suggestion,
    UnlicensedReport,
    Visit,
    WeeklySchedule,
    WorkLog,
)

__all__ = ["is_current_manager"]

# A visit is the account of what its manager did in the shop: its author writes
# and signs it, and only while the customer is still theirs.
VISITS = Access(Visit, author="manager_id", changed_by=AUTHOR_AND_CUSTOMER_MANAGER)
# The answer is owed to the customer: the customer's current manager answers.
SUGGESTIONS = Access(Suggestion, author="visit__manager_id")
# Downgrades are decided by the customer's regional manager (or an admin).
VIOLATIONS = Access(PriceViolation, author="visit__manager_id", decided_in="customer__region_id")
PROMOTIONS = Access(PromotionReceipt, author="manager_id")
# A manager's week: they write it, their supervisor comments.
SCHEDULES = Access(
    WeeklySchedule,
    customer=None,
    region=("manager__region_id",),
    author="manager_id",
    changed_by=AUTHOR,
    decided_in="manager__region_id",
)
# Forwarding to the monopoly department and the outcome: the region's supervisor.
UNLICENSED = Access(
    UnlicensedReport,
    customer=None,
    region=("region_id",),
    author="reporter_id",
    changed_by=AUTHOR,
    decided_in="region_id",
)
WORK_LOGS = Access(
    WorkLog,
    customer=None,
    region=("author__region_id",),
    author="author_id",
    changed_by=AUTHOR,
    decided_in="author__region_id",
)


# Visits ---------------------------------------------------------------------------


def visit_scope(user, queryset=None, *, listing=True):
    return VISITS.scope(user, queryset, listing=listing)


def customer_visit_scope(user, customer):
    """The visits of one customer ``user`` may see (the customer's page).

    The rule is ``visit_scope``'s; knowing the customer, a manager's list of
    customers need not be read: their own customer's visits are all theirs to
    see, another's only those they wrote.
    """
    visits = Visit.objects.filter(customer=customer)
    if works_customers(user):
        return visits if customer.manager_id == user.pk else visits.filter(manager_id=user.pk)
    return visit_scope(user, visits)


def can_edit_visit(user, visit):
    return VISITS.may_change(user, visit)


def visit_for_user(user, pk, *, queryset=None, change=False):
    return VISITS.get(user, pk, queryset=queryset, change=change)


def suggestion_scope(user, queryset=None):
    return SUGGESTIONS.scope(user, queryset)


def can_answer_suggestion(user, suggestion):
    return SUGGESTIONS.may_change(user, suggestion)


def violation_scope(user, queryset=None):
    return VIOLATIONS.scope(user, queryset)


def can_decide_violation(user, violation):
    return VIOLATIONS.may_decide(user, violation)


def promotion_scope(user, queryset=None):
    return PROMOTIONS.scope(user, queryset)


# Schedules -------------------------------------------------------------------------


def schedule_scope(user, queryset=None):
    return SCHEDULES.scope(user, queryset)


def can_edit_schedule(user, schedule):
    return works_customers(user) and SCHEDULES.may_change(user, schedule)


def can_comment_schedule(user, schedule):
    return SCHEDULES.may_decide(user, schedule)


def schedule_for_user(user, pk, *, queryset=None, change=False, comment=False):
    schedule = SCHEDULES.get(user, pk, queryset=queryset, decide=comment)
    if change and not can_edit_schedule(user, schedule):
        raise PermissionDenied
    return schedule


# Unlicensed-operation reports and work logs ------------------------------------------


def unlicensed_scope(user, queryset=None):
    return UNLICENSED.scope(user, queryset)


def can_handle_unlicensed(user, report):
    return UNLICENSED.may_decide(user, report)


def work_log_scope(user, queryset=None):
    return WORK_LOGS.scope(user, queryset)


def can_comment_work_log(user, log):
    return WORK_LOGS.may_decide(user, log)


def regional_managers_of(region_id):
    return User.objects.filter(
        role=User.Role.REGIONAL_MANAGER, region_id=region_id, is_active=True
    ).order_by("pk")
