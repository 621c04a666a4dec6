"""The satisfaction index on hand-computed answers: weights, the minimum, versions, months."""

from decimal import Decimal

import pytest

from satisfaction import selectors, services
from satisfaction.models import Answer
from tests import factories
from tests.satisfaction.conftest import OCTOBER, QUESTIONS, values_for

pytestmark = pytest.mark.django_db


def _answer_all(round, actor, scores_list):
    customers = [row.customer for row in round.sample_rows.select_related("customer")]
    for customer, scores in zip(customers, scores_list, strict=False):
        services.answer_record(
            round=round, customer=customer, actor=actor, values=values_for(round.version, scores)
        )


def test_one_answer_is_the_weighted_mean_of_its_scores(
    manager, regional_manager, service_desk, launch
):
    customer = factories.CustomerFactory(manager=manager)
    round = launch(regional_manager, region=manager.region)
    # weights 2, 1, 1; scores 5, 3, 1 → 100, 50, 0 → (2·100 + 50 + 0) / 4 = 62.5
    answer = services.answer_record(
        round=round,
        customer=customer,
        actor=service_desk,
        values=values_for(round.version, [5, 3, 1]),
    )
    assert answer.index == Decimal("62.50")
    assert answer.channel == Answer.Channel.SERVICE_CENTRE
    assert answer.items.count() == 4  # the empty optional text is not stored


def test_index_needs_the_minimum_of_answers(
    settings, manager, regional_manager, service_desk, launch
):
    settings.SATISFACTION_MIN_ANSWERS = 5
    factories.CustomerFactory.create_batch(5, manager=manager)
    round = launch(regional_manager, region=manager.region)
    # 4 answers: 100, 75, 50, 62.5 → not shown yet
    _answer_all(round, service_desk, [[5, 5, 5], [4, 4, 4], [3, 3, 3], [5, 3, 1]])
    shown = selectors.index(month=OCTOBER, manager_id=manager.pk)
    assert shown.value is None and shown.answers == 4 and not shown.shown
    # the fifth: 0 → mean of 100, 75, 50, 62.5, 0 = 57.5
    last = round.sample_rows.exclude(customer__satisfaction_answers__round=round).get().customer
    services.answer_record(
        round=round, customer=last, actor=service_desk, values=values_for(round.version, [1, 1, 1])
    )
    index = selectors.index(month=OCTOBER, manager_id=manager.pk)
    assert (index.value, index.answers) == (Decimal("57.50"), 5)
    region_index = selectors.index(month=OCTOBER, region_id=manager.region_id)
    assert region_index.value == Decimal("57.50")
    assert selectors.index_by(month=OCTOBER, by="manager")[manager.pk].value == Decimal("57.50")
    settings.SATISFACTION_MIN_ANSWERS = 6
    assert selectors.index(month=OCTOBER, manager_id=manager.pk).value is None


def test_answers_keep_their_version_and_its_weights(
    settings, admin_user, manager, regional_manager, service_desk, questionnaire, launch
):
    settings.SATISFACTION_MIN_ANSWERS = 1
    first, second = factories.CustomerFactory.create_batch(2, manager=manager)
    round = launch(regional_manager, region=manager.region)
    services.answer_record(
        round=round, customer=first, actor=service_desk, values=values_for(round.version, [5, 1, 1])
    )  # (200+0+0)/4 = 50
    # The admin gives the first question weight 1: the version in use stays, a new one comes.
    edited = [dict(q) for q in QUESTIONS]
    edited[0]["weight"] = 1
    services.questionnaire_edit(
        questionnaire=questionnaire, actor=admin_user, name=questionnaire.name, questions=edited
    )
    questionnaire.refresh_from_db()
    assert questionnaire.versions.count() == 2
    assert round.version.questions.get(position=1).weight == 2
    # The open round still asks version 1; a new round asks version 2.
    services.answer_record(
        round=round,
        customer=second,
        actor=service_desk,
        values=values_for(round.version, [5, 1, 1]),
    )
    assert Answer.objects.get(customer=second).index == Decimal("50.00")
    november = launch(regional_manager, region=manager.region, month=OCTOBER.replace(month=11))
    assert november.version.number == 2
    answer = services.answer_record(
        round=november,
        customer=first,
        actor=service_desk,
        values=values_for(november.version, [5, 1, 1]),
    )
    assert answer.index == Decimal("33.33")  # (100+0+0)/3
    assert answer.version.number == 2


def test_unused_version_is_corrected_in_place(admin_user, questionnaire):
    edited = [dict(q) for q in QUESTIONS]
    edited[1]["text"] = "送货准时"
    services.questionnaire_edit(
        questionnaire=questionnaire, actor=admin_user, name=questionnaire.name, questions=edited
    )
    assert questionnaire.versions.count() == 1
    assert questionnaire.current_version().questions.filter(text="送货准时").exists()


def test_trend_over_thirteen_months_and_lowest_questions(
    settings, manager, regional_manager, service_desk, launch
):
    settings.SATISFACTION_MIN_ANSWERS = 1
    customer = factories.CustomerFactory(manager=manager)
    for month, scores in ((OCTOBER.replace(year=2025), [3, 3, 3]), (OCTOBER, [5, 2, 4])):
        round = launch(regional_manager, region=manager.region, month=month)
        services.answer_record(
            round=round,
            customer=customer,
            actor=service_desk,
            values=values_for(round.version, scores),
        )
    trend = selectors.index_trend(month=OCTOBER, manager_id=manager.pk)
    assert len(trend) == 13
    assert trend[0][0] == OCTOBER.replace(year=2025) and trend[0][1].value == Decimal("50.00")
    assert trend[-1][0] == OCTOBER and trend[-1][1].value == Decimal("75.00")  # (200+25+75)/4
    assert [point[1].answers for point in trend[1:-1]] == [0] * 11
    lowest = selectors.lowest_questions(month=OCTOBER, manager_id=manager.pk)
    assert [row["question"] for row in lowest] == ["送货及时", "商品质量", "服务态度"]
    assert lowest[0]["mean"] == Decimal("2.00")


def test_bad_questionnaires_are_refused(admin_user):
    from django.core.exceptions import ValidationError

    for questions in (
        [],
        [{"kind": "text", "text": "意见"}],
        [{"kind": "score", "text": "态度", "weight": 0}],
        [{"kind": "score", "text": "态度"}, {"kind": "choice", "text": "方式", "options": "电话"}],
        [{"kind": "score", "text": "态度", "weight": -1}],
    ):
        with pytest.raises(ValidationError):
            services.questionnaire_create(actor=admin_user, name="x", questions=questions)
