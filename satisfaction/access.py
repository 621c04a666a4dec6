"""Who sees and acts on satisfaction rounds, answers and measures: declarations on
``crm.access`` and the predicates named after them.

- Rounds: the service centre and admins see all; a regional manager or a manager
  those of their region and those of every region. The service centre, an admin,
  or the regional manager of the round's region (own region only) launch and
  close one.
- Sampled customers and answers: whoever may see the customer (``scope``), and
  the service centre all of them. Answers are recorded by the service centre, or
  by the customer's current manager on their phone (marked as self-reported).
- Measures: the manager's own (they write them), their region's supervisor
  (reads and comments), the service centre (reads).
"""

from django.db.models import Q

from crm.access import (
    AUTHOR,
    Access,
    is_current_manager,
    leads_region,
    sees_all,
    serves_customers,
    supervises,
    works_customers,
    works_in_region,
)
from satisfaction.models import Answer, Measure, Round, RoundCustomer

ANSWERS = Access(Answer, customer="customer__", author="recorded_by_id", changed_by=None)
SAMPLE = Access(RoundCustomer, customer="customer__", changed_by=None)
MEASURES = Access(
    Measure,
    customer=None,
    region=("region_id",),
    author="manager_id",
    changed_by=AUTHOR,
    decided_in="region_id",
)


def sees_every_round(user):
    return serves_customers(user) or sees_all(user)


def round_scope(user, queryset=None):
    queryset = Round.objects.all() if queryset is None else queryset
    if sees_every_round(user):
        return queryset
    if works_in_region(user):
        return queryset.filter(Q(region__isnull=True) | Q(region_id=user.region_id))
    return queryset.none()


def may_launch(user):
    """The service centre, an admin or a regional manager asks for a measurement."""
    return sees_every_round(user) or (leads_region(user) and bool(user.region_id))


def may_launch_for(user, region_id):
    """For any region or all (service centre, admin); a regional manager their own."""
    if sees_every_round(user):
        return True
    return leads_region(user) and region_id is not None and region_id == user.region_id


def may_run(user, round):
    """Close a round: whoever may launch one like it."""
    return user.is_active and may_launch_for(user, round.region_id)


def may_answer_in(user, round):
    """Record answers in a round at all: the service centre, or a manager of it."""
    if serves_customers(user):
        return True
    return works_customers(user) and round.region_id in (None, user.region_id)


def may_answer_for(user, customer):
    """The service centre for any sampled customer; a manager for their own customer."""
    return serves_customers(user) or is_current_manager(user, customer)


def sample_scope(user, queryset=None):
    queryset = RoundCustomer.objects.all() if queryset is None else queryset
    return queryset if sees_every_round(user) else SAMPLE.scope(user, queryset)


def answer_scope(user, queryset=None, *, listing=True):
    """``listing=False`` for a few rows already narrowed (one customer's answers)."""
    queryset = Answer.objects.all() if queryset is None else queryset
    return queryset if sees_every_round(user) else ANSWERS.scope(user, queryset, listing=listing)


def measure_scope(user, queryset=None):
    queryset = Measure.objects.all() if queryset is None else queryset
    return queryset if sees_every_round(user) else MEASURES.scope(user, queryset)


def may_write_measure(user, measure):
    return MEASURES.may_change(user, measure)


def may_comment_measure(user, measure):
    return MEASURES.may_decide(user, measure)


def index_subjects(user):
    """Whose index ``user`` may read: ``(all regions?, region_ids or None, manager_id or None)``.

    The service centre and admins every region and manager; a regional manager their
    region and its managers; a manager their own index only.
    """
    if sees_every_round(user):
        return {"every_region": True, "region_id": None, "manager_id": None}
    if leads_region(user):
        return {"every_region": False, "region_id": user.region_id, "manager_id": None}
    if works_customers(user):
        return {"every_region": False, "region_id": user.region_id, "manager_id": user.pk}
    return None


def may_read_index(user, *, region_id=None, manager=None):
    """Whether ``user`` may read the index of ``manager`` (a User) or of ``region_id``."""
    subjects = index_subjects(user)
    if subjects is None:
        return False
    if subjects["every_region"]:
        return True
    if manager is not None:
        if subjects["manager_id"] is not None:
            return manager.pk == subjects["manager_id"]
        return supervises(user, region_id=manager.region_id)
    if subjects["manager_id"] is not None:
        return False
    return region_id == subjects["region_id"]
