"""Satisfaction personas and helpers: the service centre, a questionnaire, a round."""

import datetime

import pytest

from crm.models import User
from satisfaction import services
from tests import factories

OCTOBER = datetime.date(2026, 10, 1)

# Three score questions (weights 2, 1, 1), a single choice and a free text.
QUESTIONS = [
    {"kind": "score", "text": "服务态度", "weight": 2},
    {"kind": "score", "text": "送货及时", "weight": 1},
    {"kind": "score", "text": "商品质量", "weight": 1},
    {"kind": "choice", "text": "最常用的订货方式", "options": "电话\n网上\n客户经理", "weight": 0},
    {"kind": "text", "text": "其他意见", "weight": 0, "required": False},
]


@pytest.fixture
def service_desk(db):
    return factories.UserFactory(
        username="service_desk", role=User.Role.SERVICE_CENTRE, region=None
    )


@pytest.fixture
def questionnaire(admin_user):
    return services.questionnaire_create(
        actor=admin_user, name="客户满意度调查", questions=QUESTIONS
    )


def values_for(version, scores, choice="电话", text=""):
    """``{question_id: value}``: ``scores`` in the order of the score questions."""
    values = {}
    score_iter = iter(scores)
    for question in version.questions.all():
        if question.kind == "score":
            values[question.pk] = next(score_iter)
        elif question.kind == "choice":
            values[question.pk] = choice
        else:
            values[question.pk] = text
    return values


@pytest.fixture
def launch(questionnaire):
    def _launch(actor, region=None, month=OCTOBER, **kwargs):
        return services.round_launch(
            actor=actor, month=month, questionnaire=questionnaire, region=region, **kwargs
        )

    return _launch
