"""The satisfaction pages as each persona uses them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from satisfaction import services
from satisfaction.models import Answer, Measure, Questionnaire, Round
from tests import factories
from tests.satisfaction.conftest import OCTOBER, QUESTIONS, values_for

pytestmark = pytest.mark.django_db


def _form_values(round, scores, choice="电话"):
    return {f"q{k}": v for k, v in values_for(round.version, scores, choice=choice).items()}


def test_regional_manager_launches_and_closes(
    english, login, regional_manager, manager, questionnaire
):
    factories.CustomerFactory.create_batch(3, manager=manager)
    client = login(regional_manager)
    assert client.get(reverse("satisfaction:round_launch")).status_code == 200
    response = client.post(
        reverse("satisfaction:round_launch"),
        {
            "questionnaire": questionnaire.pk,
            "region": manager.region_id,
            "month": "2026-10",
            "sample": "all",
        },
    )
    round = Round.objects.get()
    assert response["Location"] == round.get_absolute_url()
    page = client.get(round.get_absolute_url()).content.decode()
    assert "0 / 3" in page and "Close the round" in page
    client.post(reverse("satisfaction:round_close", args=[round.pk]))
    round.refresh_from_db()
    assert round.status == Round.Status.CLOSED


def test_launch_form_errors(english, login, regional_manager, other_region, questionnaire):
    client = login(regional_manager)
    response = client.post(
        reverse("satisfaction:round_launch"),
        {
            "questionnaire": questionnaire.pk,
            "region": other_region.pk,
            "month": "2026-13",
            "sample": "by_grade",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert {"region", "month", "per_grade"} <= set(form.errors)
    assert not Round.objects.exists()


def test_manager_cannot_launch_or_close(login, manager, regional_manager, launch):
    factories.CustomerFactory(manager=manager)
    round = launch(regional_manager, region=manager.region)
    client = login(manager)
    assert client.get(reverse("satisfaction:round_launch")).status_code == 403
    assert client.post(reverse("satisfaction:round_close", args=[round.pk])).status_code == 403


def test_manager_records_on_phone_and_the_answer_is_marked(
    english, login, manager, teammate, regional_manager, launch
):
    mine = factories.CustomerFactory(manager=manager, name="我的店")
    theirs = factories.CustomerFactory(manager=teammate, name="邻居店")
    round = launch(regional_manager, region=manager.region)
    client = login(manager)
    page = client.get(round.get_absolute_url()).content.decode()
    assert "我的店" in page and "邻居店" not in page
    sampled = round.sample_rows.get(customer=mine)
    url = reverse("satisfaction:answer_create", args=[sampled.pk])
    assert "self-reported via the manager" in client.get(url).content.decode()
    bad = client.post(
        url, {**_form_values(round, [5, 5, 5]), f"q{round.version.questions.first().pk}": "9"}
    )
    assert bad.status_code == 200 and not Answer.objects.exists()
    client.post(url, _form_values(round, [5, 3, 1]))
    answer = Answer.objects.get()
    assert answer.channel == Answer.Channel.VIA_MANAGER and answer.index == Decimal("62.50")
    assert "self-reported via manager" in client.get(round.get_absolute_url()).content.decode()
    # A second visit to the form goes to the answer; someone else's customer is 404.
    assert client.get(url)["Location"] == answer.get_absolute_url()
    other = round.sample_rows.get(customer=theirs)
    assert client.get(reverse("satisfaction:answer_create", args=[other.pk])).status_code == 404
    assert login(teammate).get(answer.get_absolute_url()).status_code == 404


def test_index_page_by_role(
    english, settings, login, manager, teammate, outsider, regional_manager, service_desk, launch
):
    settings.SATISFACTION_MIN_ANSWERS = 2
    for owner in (manager, manager, teammate):
        factories.CustomerFactory(manager=owner)
    round = launch(regional_manager, region=manager.region)
    for row, scores in zip(
        round.sample_rows.order_by("customer_id"), ([5, 5, 5], [3, 3, 3], [1, 1, 1]), strict=True
    ):
        services.answer_record(
            round=round,
            customer=row.customer,
            actor=service_desk,
            values=values_for(round.version, scores),
        )
    url = reverse("satisfaction:index")
    page = login(regional_manager).get(url, {"month": "2026-10"}).content.decode()
    # Region: (100 + 50 + 0) / 3; the manager 75 from 2, the teammate 1 answer: not shown.
    assert "50.00" in page and "75.00" in page
    mine = login(manager).get(url, {"month": "2026-10"})
    assert mine.context["index"].value == Decimal("75.00")
    assert mine.context["breakdown"] == []
    # A manager asking for a teammate's index gets their own.
    sneaky = login(manager).get(url, {"month": "2026-10", "manager": teammate.pk})
    assert sneaky.context["subject"] == manager
    assert login(outsider).get(url, {"month": "2026-10"}).context["index"].answers == 0
    everyone = login(service_desk).get(url, {"month": "2026-10"})
    assert everyone.context["breakdown_by_region"] and everyone.context["index"].answers == 3


def test_measures_page_write_and_comment(
    english, login, manager, teammate, regional_manager, launch
):
    factories.CustomerFactory(manager=manager)
    round = launch(regional_manager, region=manager.region)
    services.round_close(round=round, actor=regional_manager)
    measure = Measure.objects.get()
    url = measure.get_absolute_url()
    assert login(teammate).get(url).status_code == 404
    client = login(manager)
    assert "Save analysis and measures" in client.get(url).content.decode()
    write = reverse("satisfaction:measure_write", args=[measure.pk])
    assert client.post(write, {"analysis": "x", "measures": ""}).status_code == 400
    client.post(write, {"analysis": "送货不及时", "measures": "改为每周二送货"})
    lead = login(regional_manager)
    assert "改为每周二送货" in lead.get(url).content.decode()
    assert lead.post(write, {"measures": "y"}).status_code == 403
    lead.post(reverse("satisfaction:measure_comment", args=[measure.pk]), {"comment": "同意"})
    measure.refresh_from_db()
    assert measure.status == Measure.Status.COMMENTED
    assert "同意" in login(manager).get(url).content.decode()


def test_admin_edits_questionnaire_into_a_new_version(
    login, admin_user, regional_manager, manager, questionnaire, launch
):
    factories.CustomerFactory(manager=manager)
    launch(regional_manager, region=manager.region)
    url = reverse("satisfaction:questionnaire_edit", args=[questionnaire.pk])
    assert login(regional_manager).get(url).status_code == 403
    client = login(admin_user)
    assert client.get(url).status_code == 200
    data = {
        "name": "新问卷",
        "is_active": "on",
        "questions-TOTAL_FORMS": "2",
        "questions-INITIAL_FORMS": "2",
    }
    for i, question in enumerate(QUESTIONS[:2]):
        data.update(
            {
                f"questions-{i}-kind": question["kind"],
                f"questions-{i}-text": question["text"],
                f"questions-{i}-weight": "1",
                f"questions-{i}-required": "on",
            }
        )
    response = client.post(url, data)
    assert response.status_code == 302
    questionnaire.refresh_from_db()
    assert questionnaire.name == "新问卷" and questionnaire.versions.count() == 2
    assert questionnaire.current_version().questions.count() == 2
    assert Questionnaire.objects.count() == 1


@pytest.mark.parametrize("size", [3, 12])
def test_round_page_query_budget(
    login, django_assert_max_num_queries, manager, regional_manager, service_desk, launch, size
):
    factories.CustomerFactory.create_batch(size, manager=manager)
    round = launch(regional_manager, region=manager.region)
    for row in round.sample_rows.all()[:2]:
        services.answer_record(
            round=round,
            customer=row.customer,
            actor=service_desk,
            values=values_for(round.version, [4, 4, 4]),
        )
    client = login(regional_manager)
    # session, user, round, sample page (+count), answers of the page, counts (2),
    # events, steps' lookups; the same for any sample size.
    with django_assert_max_num_queries(14):
        assert client.get(round.get_absolute_url()).status_code == 200
    # session, user, region, trend, breakdown (+ names), lowest questions, the
    # filter's choices (3), the badge, the session save.
    with django_assert_max_num_queries(16):
        assert client.get(reverse("satisfaction:index"), {"month": "2026-10"}).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("satisfaction:round_list")).status_code == 200
    assert round.month == OCTOBER
