"""Writes of the satisfaction app: questionnaires, rounds, answers and measures.

Pages, the API and the demo call these. Each validates, runs in one
transaction, claims its step of ``satisfaction.transitions`` where it is one
(the round locked; 403 for who may not; 409 naming the state now), writes its
event row (``core.transitions.record``) and notifies after commit.
"""

import random
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit, months
from core.business_dates import validate_business_date
from core.errors import ConflictError, check_length
from core.notifications import Message, notify
from core.transitions import claim, record
from crm.access import sees_all
from crm.models import Customer, Region, User
from satisfaction import access
from satisfaction.models import (
    Answer,
    AnswerItem,
    Measure,
    MeasureEvent,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Round,
    RoundCustomer,
    RoundEvent,
)
from satisfaction.transitions import MEASURE_TRANSITIONS, ROUND_TRANSITIONS

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


# Questionnaires ------------------------------------------------------------------------


def _checked_questions(questions):
    """The questions as model rows (unsaved), or a ValidationError naming what is wrong."""
    rows = []
    for position, data in enumerate(questions, start=1):
        text = (data.get("text") or "").strip()
        if not text:
            continue
        kind = data.get("kind") or Question.Kind.SCORE
        options = "\n".join(
            line.strip() for line in (data.get("options") or "").splitlines() if line.strip()
        )
        question = Question(
            position=position,
            kind=kind,
            text=text,
            options=options if kind == Question.Kind.CHOICE else "",
            weight=Decimal(str(data.get("weight") if data.get("weight") is not None else 1)),
            required=bool(data.get("required", True)),
        )
        try:
            question.clean_fields(exclude=["version"])
        except ValidationError as error:
            raise ValidationError(
                {
                    "questions": [
                        _("Question %(n)d: %(errors)s")
                        % {"n": position, "errors": "; ".join(error.messages)}
                    ]
                }
            ) from None
        if kind == Question.Kind.CHOICE and len(question.option_list) < 2:
            raise ValidationError(
                {
                    "questions": _("Question %(n)d: a single choice needs two options or more.")
                    % {"n": position}
                }
            )
        rows.append(question)
    if not rows:
        raise ValidationError({"questions": _("A questionnaire needs at least one question.")})
    if not any(q.kind == Question.Kind.SCORE and q.weight > 0 for q in rows):
        raise ValidationError(
            {"questions": _("At least one score question with a weight above 0 makes the index.")}
        )
    return rows


def _require_admin(actor):
    if not sees_all(actor):
        raise PermissionDenied


def questionnaire_create(*, actor, name, questions, description=""):
    """An admin writes a questionnaire; its questions are version 1."""
    _require_admin(actor)
    rows = _checked_questions(questions)
    questionnaire = Questionnaire(name=(name or "").strip(), description=description or "")
    questionnaire.full_clean()
    with transaction.atomic():
        questionnaire.save()
        version = QuestionnaireVersion.objects.create(
            questionnaire=questionnaire, number=1, created_by=actor
        )
        for row in rows:
            row.version = version
        Question.objects.bulk_create(rows)
        audit.record(
            "settings",
            actor=actor,
            obj=questionnaire,
            summary=f"{questionnaire.name} v1",
        )
    return questionnaire


def _same_questions(version, rows):
    existing = [(q.kind, q.text, q.options, q.weight, q.required) for q in version.questions.all()]
    return existing == [(q.kind, q.text, q.options, q.weight, q.required) for q in rows]


def questionnaire_edit(*, questionnaire, actor, name, questions, description="", is_active=True):
    """Change a questionnaire. Questions of a version a round was launched on never change:
    new questions are a new version (rounds and answers keep theirs); a version not
    used yet is corrected in place."""
    _require_admin(actor)
    rows = _checked_questions(questions)
    with transaction.atomic():
        questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        questionnaire.name = (name or "").strip()
        questionnaire.description = description or ""
        questionnaire.is_active = is_active
        questionnaire.full_clean()
        questionnaire.save()
        version = questionnaire.current_version()
        if not _same_questions(version, rows):
            if version.in_use():
                version = QuestionnaireVersion.objects.create(
                    questionnaire=questionnaire, number=version.number + 1, created_by=actor
                )
            else:
                # No round was launched on it: nothing was answered on these questions.
                version.questions.all().delete()
            for row in rows:
                row.version = version
            Question.objects.bulk_create(rows)
        audit.record(
            "settings",
            actor=actor,
            obj=questionnaire,
            summary=f"{questionnaire.name} v{version.number}",
        )
    return questionnaire


# Rounds -------------------------------------------------------------------------------


def draw_sample(*, seed, customers, per_grade=None):
    """The sample of a round: every customer, or ``per_grade`` of each grade drawn at
    random with ``seed`` (the round's id), so the same round draws the same sample again.

    ``customers`` are (pk, grade_id) pairs; the answer is the chosen pks, sorted.
    """
    if per_grade is None:
        return sorted(pk for pk, _grade in customers)
    by_grade = {}
    for pk, grade_id in sorted(customers):
        by_grade.setdefault(grade_id, []).append(pk)
    generator = random.Random(seed)
    chosen = []
    for grade_id in sorted(by_grade, key=lambda g: (g is None, g or 0)):
        pks = by_grade[grade_id]
        chosen.extend(pks if len(pks) <= per_grade else generator.sample(pks, per_grade))
    return sorted(chosen)


def _sample_candidates(round):
    customers = Customer.objects.filter(network_status=Customer.NetworkStatus.ACTIVE)
    if round.region_id is not None:
        customers = customers.filter(region_id=round.region_id)
    return customers


def round_launch(
    *, actor, month, questionnaire, region=None, sample=Round.Sample.ALL, per_grade=None
):
    """Ask for a measurement of ``region`` (None: every region) for ``month``.

    1. who may: the service centre or an admin for any region or all, a regional
       manager for their own region (403 otherwise);
    2. the questionnaire's current version is the round's;
    3. the sample is drawn (``draw_sample``, seeded by the round's id) among the
       customers in the network, and stored with each one's manager and region now.
    """
    region_id = region.pk if isinstance(region, Region) else region
    if not access.may_launch_for(actor, region_id):
        raise PermissionDenied
    if questionnaire is None or not questionnaire.is_active:
        raise ValidationError({"questionnaire": _("Choose a questionnaire in use.")})
    if month is None:
        raise ValidationError({"month": _("Choose the month surveyed.")})
    validate_business_date(month)
    if sample == Round.Sample.BY_GRADE and not per_grade:
        raise ValidationError({"per_grade": _("Say how many customers of each grade to draw.")})
    if sample == Round.Sample.ALL:
        per_grade = None
    version = questionnaire.current_version()
    now = timezone.now()
    with transaction.atomic():
        round = Round(
            version=version,
            region_id=region_id,
            month=months.month_start(month),
            sample=sample,
            per_grade=per_grade,
            launched_by=actor,
            launched_at=now,
        )
        round.full_clean()
        round.save()
        candidates = _sample_candidates(round)
        chosen = set(
            draw_sample(
                seed=round.pk,
                customers=candidates.values_list("pk", "grade_id"),
                per_grade=per_grade,
            )
        )
        RoundCustomer.objects.bulk_create(
            [
                RoundCustomer(
                    round=round, customer_id=pk, manager_id=manager_id, region_id=customer_region
                )
                for pk, manager_id, customer_region in candidates.values_list(
                    "pk", "manager_id", "region_id"
                ).order_by("pk")
                if pk in chosen
            ],
            batch_size=2000,
        )
        if not chosen:
            raise ValidationError({"region": _("No customer in the network to survey there.")})
        record(
            RoundEvent,
            round,
            actor=actor,
            action=RoundEvent.Action.LAUNCHED,
            from_status="",
            at=now,
        )
    return round


def round_close(*, round, actor):
    """Close a round; each manager of its sample gets the task to write their analysis
    and measures (a ``Measure`` row and a notification)."""
    now = timezone.now()
    with transaction.atomic():
        round = claim(Round, round.pk, ROUND_TRANSITIONS["close"], actor=actor)
        round.status = Round.Status.CLOSED
        round.closed_at = now
        round.save(update_fields=["status", "closed_at"])
        record(
            RoundEvent,
            round,
            actor=actor,
            action=RoundEvent.Action.CLOSED,
            from_status=Round.Status.OPEN,
            at=now,
        )
        regions = {}
        for manager_id, region_id in (
            round.sample_rows.exclude(manager=None)
            .order_by("manager_id", "customer_id")
            .values_list("manager_id", "region_id")
        ):
            regions.setdefault(manager_id, region_id)
        Measure.objects.bulk_create(
            [
                Measure(round=round, manager_id=manager_id, region_id=region_id)
                for manager_id, region_id in regions.items()
            ]
        )
        month = f"{round.month:%Y-%m}"
        for measure in Measure.objects.filter(round=round).select_related("manager"):
            notify(
                user=measure.manager,
                key=f"satisfaction-measure:{measure.pk}",
                title=Message(
                    gettext_lazy(
                        "Satisfaction survey of %(month)s closed: write your analysis and measures"
                    ),
                    **{"month": month},
                ),
                body=gettext_lazy("Look at your result and write the measures you will take."),
                url=reverse("satisfaction:measure_detail", args=[measure.pk]),
            )
    return round


# Answers ------------------------------------------------------------------------------


def answer_index(version_questions, scores):
    """One answer's index: the weighted mean of its score questions, each mapped
    1 → 0, 2 → 25, 3 → 50, 4 → 75, 5 → 100, over the score questions answered with
    a weight above 0; None when none was. ``scores`` is ``{question_id: 1..5}``."""
    total = weights = Decimal(0)
    for question in version_questions:
        if question.kind != Question.Kind.SCORE or question.weight <= 0:
            continue
        score = scores.get(question.pk)
        if score is None:
            continue
        total += question.weight * (Decimal(score) - 1) * 25
        weights += question.weight
    if not weights:
        return None
    return (total / weights).quantize(CENT, rounding=ROUND_HALF_UP)


def _items(questions, values):
    """The answer's items from ``values`` (``{question_id: value}``), checked per question."""
    errors = {}
    items = []
    scores = {}
    for question in questions:
        raw = values.get(question.pk, values.get(str(question.pk)))
        raw = "" if raw is None else str(raw).strip()
        key = f"q{question.pk}"
        if not raw:
            if question.required:
                errors[key] = _("Answer this question.")
            continue
        item = AnswerItem(question=question)
        if question.kind == Question.Kind.SCORE:
            if raw not in {"1", "2", "3", "4", "5"}:
                errors[key] = _("Give a score from 1 to 5.")
                continue
            item.score = int(raw)
            scores[question.pk] = item.score
        elif question.kind == Question.Kind.CHOICE:
            if raw not in question.option_list:
                errors[key] = _("Choose one of the options.")
                continue
            item.choice = raw
        else:
            if len(raw) > 2000:
                errors[key] = _("At most 2000 characters.")
                continue
            item.text = raw
        items.append(item)
    if errors:
        raise ValidationError(errors)
    return items, scores


def already_answered_message():
    return _("This customer has already answered in this round.")


def answer_record(*, round, customer, actor, values, comment=""):
    """Record one customer's answer in an open round.

    1. the round is claimed (locked, open, ``actor`` may answer in it);
    2. the customer is in its sample, and ``actor`` is the service centre (surveyed)
       or the customer's current manager (self-reported via the manager);
    3. every question of the round's version is checked; the answer keeps that
       version and its own index;
    4. one answer per customer per round: a second one is a 409, also when two
       arrive at the same instant (the database's unique constraint).
    """
    check_length(Answer, "comment", comment or "")
    with transaction.atomic():
        round = claim(Round, round.pk, ROUND_TRANSITIONS["answer"], actor=actor)
        customer = Customer.objects.get(pk=customer.pk)
        if not access.may_answer_for(actor, customer):
            raise PermissionDenied
        sampled = RoundCustomer.objects.filter(round=round, customer=customer).first()
        if sampled is None:
            raise ValidationError({"customer": _("This customer is not in the round's sample.")})
        if Answer.objects.filter(round=round, customer=customer).exists():
            raise ConflictError(already_answered_message())
        questions = list(round.version.questions.all())
        items, scores = _items(questions, values)
        channel = (
            Answer.Channel.SERVICE_CENTRE
            if access.serves_customers(actor)
            else Answer.Channel.VIA_MANAGER
        )
        answer = Answer(
            round=round,
            customer=customer,
            version=round.version,
            manager_id=sampled.manager_id,
            region_id=sampled.region_id,
            month=round.month,
            channel=channel,
            recorded_by=actor,
            index=answer_index(questions, scores),
            comment=(comment or "").strip(),
        )
        try:
            with transaction.atomic():
                answer.save()
        except IntegrityError:
            raise ConflictError(already_answered_message()) from None
        for item in items:
            item.answer = answer
        AnswerItem.objects.bulk_create(items)
        audit.record("answer", actor=actor, obj=answer, summary=f"{customer.code} {round}")
    return answer


# Measures -----------------------------------------------------------------------------


def measure_write(*, measure, actor, analysis, measures):
    """The manager writes (or after a comment revises) their analysis and measures."""
    analysis = (analysis or "").strip()
    measures = (measures or "").strip()
    if not measures:
        raise ValidationError({"measures": _("Write the measures you will take.")})
    check_length(Measure, "analysis", analysis)
    check_length(Measure, "measures", measures)
    with transaction.atomic():
        measure = claim(Measure, measure.pk, MEASURE_TRANSITIONS["write"], actor=actor)
        old = measure.status
        measure.analysis = analysis
        measure.measures = measures
        measure.status = Measure.Status.WRITTEN
        measure.written_at = timezone.now()
        measure.save()
        record(
            MeasureEvent, measure, actor=actor, action=MeasureEvent.Action.WRITTEN, from_status=old
        )
        for lead in User.objects.filter(
            role=User.Role.REGIONAL_MANAGER, region_id=measure.region_id, is_active=True
        ):
            notify(
                user=lead,
                key=f"satisfaction-measure-written:{measure.pk}:{measure.written_at:%s}",
                title=Message(
                    gettext_lazy("%(name)s wrote satisfaction measures"), **{"name": actor}
                ),
                body=measures[:200],
                url=measure.get_absolute_url(),
            )
    return measure


def measure_comment(*, measure, actor, comment):
    """The regional manager (or an admin) reads the measures and comments."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Write a comment.")})
    check_length(Measure, "comment", comment)
    with transaction.atomic():
        measure = claim(Measure, measure.pk, MEASURE_TRANSITIONS["comment"], actor=actor)
        old = measure.status
        measure.comment = comment
        measure.commented_by = actor
        measure.commented_at = timezone.now()
        measure.status = Measure.Status.COMMENTED
        measure.save()
        record(
            MeasureEvent,
            measure,
            actor=actor,
            action=MeasureEvent.Action.COMMENTED,
            from_status=old,
            comment=comment,
        )
        notify(
            user=measure.manager,
            key=f"satisfaction-measure-comment:{measure.pk}:{measure.commented_at:%s}",
            title=gettext_lazy("Your satisfaction measures got a comment"),
            body=comment[:200],
            url=measure.get_absolute_url(),
        )
    return measure
