"""The demo shows satisfaction: the service desk logs in, rounds are closed with
answers, each region has an index last month and the managers' measures."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from core import months
from crm.models import User
from satisfaction import selectors
from satisfaction.models import Measure, Round

pytestmark = pytest.mark.django_db


def test_demo_has_an_index_and_measures():
    call_command("seed_demo")
    desk = User.objects.get(username="service_desk")
    assert desk.role == User.Role.SERVICE_CENTRE and desk.check_password("demo-pass-2026")
    assert Round.objects.filter(status=Round.Status.CLOSED).count() == 4
    last = months.month_shift(months.month_start(timezone.localdate()), -1)
    for code in ("R01", "R02"):
        region = Round.objects.filter(region__code=code).first().region
        index = selectors.index(month=last, region_id=region.pk)
        assert index.shown and 0 <= index.value <= 100
    assert Measure.objects.filter(round__month=last).exclude(measures="").count() == 6
    answers_before = desk.pk and Round.objects.count()
    call_command("seed_demo")
    assert Round.objects.count() == answers_before
