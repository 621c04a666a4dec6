"""Section c) of the monthly report shows the manager's latest index and their measures."""

import pytest

from reports import services as report_services
from satisfaction import services
from satisfaction.models import Measure
from tests import factories
from tests.satisfaction.conftest import OCTOBER, values_for

pytestmark = pytest.mark.django_db


def test_report_section_c_shows_index_and_measures(
    english,
    settings,
    login,
    api_login,
    manager,
    teammate,
    regional_manager,
    service_desk,
    launch,
):
    settings.SATISFACTION_MIN_ANSWERS = 2
    for _ in range(2):
        factories.CustomerFactory(manager=manager)
    round = launch(regional_manager, region=manager.region)
    for row, scores in zip(round.sample_rows.all(), ([5, 5, 5], [4, 4, 4]), strict=True):
        services.answer_record(
            round=round,
            customer=row.customer,
            actor=service_desk,
            values=values_for(round.version, scores),
        )
    services.round_close(round=round, actor=regional_manager)
    services.measure_write(
        measure=Measure.objects.get(manager=manager),
        actor=manager,
        analysis="回访不够",
        measures="每月回访两次",
    )
    report_services.prepare_month(month=OCTOBER)
    report = manager.monthly_reports.get(month=OCTOBER)
    page = login(manager).get(report.get_absolute_url()).content.decode()
    # (100 + 75) / 2
    assert "Satisfaction index 2026-10: 87.50 (2 answers)" in page
    assert "Measures: 每月回访两次" in page
    detail = api_login(manager).get(f"/api/reports/{report.pk}/").json()
    assert "Measures: 每月回访两次" in detail["notes"][0]["lines"]
    # A teammate's report has no satisfaction of its own to show.
    other = teammate.monthly_reports.get(month=OCTOBER)
    assert "每月回访两次" not in login(teammate).get(other.get_absolute_url()).content.decode()
    # A report on an earlier month does not show the later round.
    september = OCTOBER.replace(month=9)
    report_services.prepare_month(month=september)
    earlier = manager.monthly_reports.get(month=september)
    assert "每月回访两次" not in login(manager).get(earlier.get_absolute_url()).content.decode()
