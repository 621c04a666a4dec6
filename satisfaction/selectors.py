"""Reads of the satisfaction app, and the one definition of the satisfaction index.

The index (客户满意度指数) of a manager, a region or everyone, for a month:

1. each answer's own index is the weighted mean of its score questions (1–5),
   each mapped 1 → 0, 2 → 25, 3 → 50, 4 → 75, 5 → 100, weighted by the
   question's weight in the answer's questionnaire version (questions of
   weight 0, single-choice and free-text questions do not count);
   ``services.answer_index`` computes it when the answer is recorded;
2. the index of a group is the mean of its answers' indexes (each customer
   counts once), over the answers of rounds of that month, attributed to the
   manager and region the customer had when the round drew its sample;
3. it is shown only from ``settings.SATISFACTION_MIN_ANSWERS`` answers (5 by
   default): below that, ``value`` is None and only ``answers`` is given.

``index(...)``, ``index_by(...)`` and ``index_trend(...)`` are what pages,
the API, the monthly report and the dashboards call.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Avg, Count, Q

from core import months
from satisfaction import access
from satisfaction.models import Answer, AnswerItem, Measure, Question, Round, RoundCustomer


def minimum_answers():
    return settings.SATISFACTION_MIN_ANSWERS


@dataclass(frozen=True)
class Index:
    """An index: ``value`` 0–100 (two decimals) or None under the minimum; ``answers``
    the number of answers behind it; ``minimum`` the threshold it was shown by."""

    value: Decimal | None
    answers: int
    minimum: int

    @property
    def shown(self):
        return self.value is not None


def _index(mean, count, minimum):
    if mean is None or count < minimum:
        return Index(None, count, minimum)
    return Index(Decimal(mean).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), count, minimum)


def _answers(*, manager_id=None, region_id=None):
    answers = Answer.objects.filter(index__isnull=False)
    if manager_id is not None:
        answers = answers.filter(manager_id=manager_id)
    if region_id is not None:
        answers = answers.filter(region_id=region_id)
    return answers


def index(*, month, manager_id=None, region_id=None):
    """The index of ``month`` (any day of it) for one manager, one region, or (neither
    given) every region. One query."""
    row = (
        _answers(manager_id=manager_id, region_id=region_id)
        .filter(month=months.month_start(month))
        .aggregate(mean=Avg("index"), count=Count("id"))
    )
    return _index(row["mean"], row["count"], minimum_answers())


def index_by(*, month, by="manager", region_id=None):
    """``{manager_id or region_id: Index}`` of ``month`` for every manager (of
    ``region_id`` when given) or every region with answers. One query."""
    field = {"manager": "manager_id", "region": "region_id"}[by]
    minimum = minimum_answers()
    rows = (
        _answers(region_id=region_id)
        .filter(month=months.month_start(month))
        .exclude(**{f"{field}__isnull": True})
        .values(field)
        .annotate(mean=Avg("index"), count=Count("id"))
        .order_by(field)
    )
    return {row[field]: _index(row["mean"], row["count"], minimum) for row in rows}


def index_trend(*, month, count=13, manager_id=None, region_id=None):
    """``[(month, Index), ...]``: the ``count`` months ending with ``month``, oldest
    first, a month without answers as ``Index(None, 0, …)``. One query."""
    last = months.month_start(month)
    first = months.month_shift(last, -(count - 1))
    minimum = minimum_answers()
    rows = {
        row["month"]: row
        for row in _answers(manager_id=manager_id, region_id=region_id)
        .filter(month__gte=first, month__lte=last)
        .values("month")
        .annotate(mean=Avg("index"), count=Count("id"))
        .order_by("month")
    }
    trend = []
    for step in range(count):
        current = months.month_shift(first, step)
        row = rows.get(current)
        trend.append(
            (
                current,
                _index(row["mean"], row["count"], minimum) if row else Index(None, 0, minimum),
            )
        )
    return trend


def lowest_questions(*, month, manager_id=None, region_id=None, limit=5):
    """The score questions with the lowest mean score in ``month``: ``[{"question",
    "mean" (1–5), "answers"}]``, lowest first. Questions of the same text in
    different versions are one question here. One query."""
    items = AnswerItem.objects.filter(
        answer__month=months.month_start(month),
        question__kind=Question.Kind.SCORE,
        score__isnull=False,
    )
    if manager_id is not None:
        items = items.filter(answer__manager_id=manager_id)
    if region_id is not None:
        items = items.filter(answer__region_id=region_id)
    rows = (
        items.values("question__text")
        .annotate(mean=Avg("score"), answers=Count("id"))
        .order_by("mean", "question__text")[:limit]
    )
    return [
        {
            "question": row["question__text"],
            "mean": Decimal(row["mean"]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
            "answers": row["answers"],
        }
        for row in rows
    ]


def latest_month(*, manager_id=None, region_id=None, until=None):
    """The last month with answers (for the manager or region), up to ``until``."""
    answers = _answers(manager_id=manager_id, region_id=region_id)
    if until is not None:
        answers = answers.filter(month__lte=months.month_start(until))
    return answers.order_by("-month").values_list("month", flat=True).first()


# Lists and details ----------------------------------------------------------------------


def round_list(*, user):
    return (
        access.round_scope(user)
        .select_related("region", "version__questionnaire", "launched_by")
        .annotate(
            sample_count=Count("sample_rows", distinct=True),
            answer_count=Count("answers", distinct=True),
        )
        .order_by("-month", "-pk")
    )


def round_detail(*, user, pk):
    from django.http import Http404

    try:
        return (
            access.round_scope(user)
            .select_related("region", "version__questionnaire", "launched_by")
            .get(pk=pk)
        )
    except (Round.DoesNotExist, ValueError, TypeError):
        raise Http404("No such round") from None


def round_sample_rows(*, user, round):
    """The round's sampled customers ``user`` may see (a queryset to page)."""
    return (
        access.sample_scope(user, RoundCustomer.objects.filter(round=round))
        .select_related("customer", "manager")
        .order_by("customer__code", "pk")
    )


def attach_answers(round, rows):
    """Set ``row.answer`` (or None) on a page of sampled customers: one query."""
    answers = {
        answer.customer_id: answer
        for answer in Answer.objects.filter(
            round=round, customer_id__in=[row.customer_id for row in rows]
        ).only("id", "customer_id", "channel", "index", "recorded_at")
    }
    for row in rows:
        row.answer = answers.get(row.customer_id)
    return rows


def round_counts(round):
    """Sampled and answered customers of the whole round (for everyone the same)."""
    return {
        "sampled": round.sample_rows.count(),
        "answered": round.answers.count(),
    }


def answer_list(*, user, round=None, customer=None):
    """The answers ``user`` may see, newest first; of one ``customer`` if given."""
    if customer is None:
        answers = access.answer_scope(user)
    else:
        answers = access.answer_scope(user, Answer.objects.filter(customer=customer), listing=False)
    answers = answers.select_related("customer", "recorded_by", "manager", "round")
    if round is not None:
        answers = answers.filter(round=round)
    return answers.order_by("-recorded_at", "-pk")


def answer_detail(*, user, pk):
    from django.http import Http404

    try:
        return (
            access.answer_scope(user)
            .select_related("customer", "recorded_by", "manager", "round", "version")
            .prefetch_related("items__question")
            .get(pk=pk)
        )
    except (Answer.DoesNotExist, ValueError, TypeError):
        raise Http404("No such answer") from None


def measure_list(*, user):
    return (
        access.measure_scope(user)
        .select_related("round", "manager", "region", "commented_by")
        .order_by("-round__month", "-round_id", "manager__username")
    )


def measure_detail(*, user, pk):
    from django.http import Http404

    try:
        return (
            access.measure_scope(user)
            .select_related("round", "manager", "region", "commented_by")
            .get(pk=pk)
        )
    except (Measure.DoesNotExist, ValueError, TypeError):
        raise Http404("No such measures") from None


def for_report(month, manager_ids):
    """``{manager_id: item}`` for section c) of the monthly report on ``month``: the
    manager's latest index up to that month and the measures of the latest round
    closed up to it. Two queries."""
    month = months.month_start(month)
    minimum = minimum_answers()
    rows = (
        Answer.objects.filter(index__isnull=False, manager_id__in=manager_ids, month__lte=month)
        .values("manager_id", "month")
        .annotate(mean=Avg("index"), count=Count("id"))
        .order_by("manager_id", "-month")
    )
    latest = {}
    for row in rows:
        latest.setdefault(row["manager_id"], row)
    measures = {}
    for measure in (
        Measure.objects.filter(
            manager_id__in=manager_ids, round__month__lte=month, round__status=Round.Status.CLOSED
        )
        .filter(~Q(measures=""))
        .select_related("round")
        .order_by("manager_id", "-round__month", "-round_id")
    ):
        measures.setdefault(measure.manager_id, measure)
    result = {}
    for manager_id in set(latest) | set(measures):
        row = latest.get(manager_id)
        measure = measures.get(manager_id)
        result[manager_id] = {
            "month": row["month"] if row else None,
            "index": _index(row["mean"], row["count"], minimum) if row else None,
            "measure": measure,
        }
    return result
