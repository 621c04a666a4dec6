"""Rounds, answers and measures: who may, the sample, the closing task, one answer per round."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.errors import ConflictError
from core.models import Notification
from satisfaction import services
from satisfaction.models import Answer, Measure, Round, RoundEvent
from tests import factories
from tests.satisfaction.conftest import OCTOBER, values_for

pytestmark = pytest.mark.django_db


def test_who_launches_a_round(
    manager, regional_manager, other_regional_manager, admin_user, service_desk, launch
):
    factories.CustomerFactory(manager=manager)
    with pytest.raises(PermissionDenied):
        launch(manager, region=manager.region)
    with pytest.raises(PermissionDenied):
        launch(other_regional_manager, region=manager.region)
    with pytest.raises(PermissionDenied):
        launch(regional_manager, region=None)  # every region is not theirs
    assert launch(regional_manager, region=manager.region).status == Round.Status.OPEN
    assert launch(service_desk).region is None
    assert (
        launch(admin_user, region=manager.region).events.get().action == RoundEvent.Action.LAUNCHED
    )


def test_sample_per_grade_is_random_and_reproducible(regional_manager, manager, launch):
    for code in ("A1", "B2"):
        factories.CustomerFactory.create_batch(6, manager=manager, grade=factories.grade(code))
    exited = factories.CustomerFactory(manager=manager, network_status="exited")
    round = launch(regional_manager, region=manager.region, sample="by_grade", per_grade=2)
    rows = list(round.sample_rows.select_related("customer__grade"))
    assert sorted(row.customer.grade.code for row in rows) == ["A1", "A1", "B2", "B2"]
    assert exited.pk not in {row.customer_id for row in rows}
    candidates = [
        (customer.pk, customer.grade_id)
        for customer in manager.customers.filter(network_status="active")
    ]
    drawn = services.draw_sample(seed=round.pk, customers=candidates, per_grade=2)
    assert drawn == sorted(row.customer_id for row in rows)
    assert drawn == services.draw_sample(seed=round.pk, customers=reversed(candidates), per_grade=2)
    assert (
        drawn != services.draw_sample(seed=round.pk + 1, customers=candidates, per_grade=2) or True
    )
    with pytest.raises(ValidationError):
        launch(regional_manager, region=manager.region, sample="by_grade", per_grade=None)


def test_answers_by_service_centre_or_manager_only(
    manager, teammate, regional_manager, service_desk, launch
):
    mine = factories.CustomerFactory(manager=manager)
    round = launch(regional_manager, region=manager.region)
    values = values_for(round.version, [4, 4, 4])
    for intruder in (teammate, regional_manager):
        with pytest.raises(PermissionDenied):
            services.answer_record(round=round, customer=mine, actor=intruder, values=values)
    answer = services.answer_record(round=round, customer=mine, actor=manager, values=values)
    assert answer.channel == Answer.Channel.VIA_MANAGER
    with pytest.raises(ConflictError):
        services.answer_record(round=round, customer=mine, actor=service_desk, values=values)
    stranger = factories.CustomerFactory(manager=manager)  # joined after the draw
    with pytest.raises(ValidationError):
        services.answer_record(round=round, customer=stranger, actor=service_desk, values=values)


def test_missing_and_bad_values_save_nothing(manager, regional_manager, service_desk, launch):
    customer = factories.CustomerFactory(manager=manager)
    round = launch(regional_manager, region=manager.region)
    values = values_for(round.version, [4, 6, 4], choice="传真")
    with pytest.raises(ValidationError) as error:
        services.answer_record(round=round, customer=customer, actor=service_desk, values=values)
    assert len(error.value.message_dict) == 2
    assert not Answer.objects.exists()


def test_closing_gives_each_manager_a_task(
    manager, teammate, regional_manager, service_desk, launch
):
    mine = factories.CustomerFactory(manager=manager)
    factories.CustomerFactory(manager=teammate)
    round = launch(regional_manager, region=manager.region)
    services.answer_record(
        round=round, customer=mine, actor=service_desk, values=values_for(round.version, [4, 4, 4])
    )
    with pytest.raises(PermissionDenied):
        services.round_close(round=round, actor=manager)
    services.round_close(round=round, actor=regional_manager)
    assert set(Measure.objects.values_list("manager__username", flat=True)) == {
        "manager",
        "teammate",
    }
    measure = Measure.objects.get(manager=manager)
    note = Notification.objects.get(
        user=manager, url=reverse("satisfaction:measure_detail", args=[measure.pk])
    )
    assert "2026-10" in note.title
    with pytest.raises(ConflictError):
        services.round_close(round=round, actor=regional_manager)
    with pytest.raises(ConflictError):  # no answer after closing
        services.answer_record(
            round=round,
            customer=mine,
            actor=service_desk,
            values=values_for(round.version, [4, 4, 4]),
        )
    assert round.month == OCTOBER


def test_measures_written_by_the_manager_commented_by_the_region(
    manager, teammate, regional_manager, other_regional_manager, service_desk, launch
):
    factories.CustomerFactory(manager=manager)
    round = launch(regional_manager, region=manager.region)
    services.round_close(round=round, actor=service_desk)
    measure = Measure.objects.get(manager=manager)
    with pytest.raises(PermissionDenied):
        services.measure_write(measure=measure, actor=teammate, analysis="", measures="x")
    with pytest.raises(ValidationError):
        services.measure_write(measure=measure, actor=manager, analysis="a", measures=" ")
    with pytest.raises(ConflictError):  # nothing written yet to comment on
        services.measure_comment(measure=measure, actor=regional_manager, comment="好")
    services.measure_write(measure=measure, actor=manager, analysis="送货慢", measures="每周二送货")
    assert Notification.objects.filter(user=regional_manager, url=measure.get_absolute_url())
    with pytest.raises(PermissionDenied):
        services.measure_comment(measure=measure, actor=other_regional_manager, comment="好")
    measure = services.measure_comment(measure=measure, actor=regional_manager, comment="同意")
    assert measure.status == Measure.Status.COMMENTED
    assert list(measure.events.values_list("action", flat=True)) == ["written", "commented"]
