"""An unlicensed-operation report records where the reporter stood (when the phone
tells it) and the day of its outcome; page, API and the phone's browser."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.browser_support import browser_page, login_as, seeded  # noqa: F401
from visits.models import UnlicensedReport
from visits.services import unlicensed

D = datetime.date


@pytest.fixture(autouse=True)
def _english(settings, tmp_path):
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = tmp_path / "media"


def _report(manager, **kwargs):
    return unlicensed.unlicensed_report(
        actor=manager, address="人民路 9 号", description="无证售烟", **kwargs
    )


@pytest.mark.django_db
class TestLocationAndOutcomeDate:
    def test_the_form_records_the_location(self, client, manager):
        client.force_login(manager)
        response = client.post(
            reverse("visits:unlicensed_create"),
            {
                "address": "人民路 9 号",
                "description": "无证售烟",
                "latitude": "31.2304161",
                "longitude": "121.4737010",
            },
        )
        assert response.status_code == 302
        report = UnlicensedReport.objects.get()
        assert (report.latitude, report.longitude) == (Decimal("31.230416"), Decimal("121.473701"))
        page = client.get(reverse("visits:unlicensed_detail", args=[report.pk])).text
        assert "31.230416, 121.473701" in page

    def test_half_a_location_is_refused(self, manager):
        with pytest.raises(ValidationError) as error:
            _report(manager, latitude=Decimal("31.2"))
        assert "latitude" in error.value.message_dict

    def test_the_outcome_date(self, client, manager, regional_manager, travel):
        travel("2026-10-09 10:00")
        report = _report(manager)
        unlicensed.unlicensed_forward(report=report, actor=regional_manager, note="转专卖")
        travel("2026-10-20 10:00")
        for day, message in (
            (D(2026, 10, 21), "This day has not come yet."),
            (D(2026, 10, 8), "The outcome cannot be before the report."),
        ):
            with pytest.raises(ValidationError) as error:
                unlicensed.unlicensed_record_outcome(
                    report=report, actor=regional_manager, outcome="已查处", outcome_on=day
                )
            assert error.value.message_dict["outcome_on"] == [message]
        client.force_login(regional_manager)
        client.post(
            reverse("visits:unlicensed_outcome", args=[report.pk]),
            {"outcome": "已查处，没收卷烟", "outcome_on": "2026-10-15"},
        )
        report.refresh_from_db()
        assert report.outcome_on == D(2026, 10, 15)
        assert report.status == UnlicensedReport.Status.CLOSED
        page = client.get(reverse("visits:unlicensed_detail", args=[report.pk])).text
        assert "(2026-10-15)" in page

    def test_the_outcome_date_defaults_to_today(self, manager, regional_manager, travel):
        travel("2026-10-09 10:00")
        report = _report(manager)
        unlicensed.unlicensed_forward(report=report, actor=regional_manager)
        report = unlicensed.unlicensed_record_outcome(
            report=report, actor=regional_manager, outcome="已查处"
        )
        assert report.outcome_on == D(2026, 10, 9)

    def test_api(self, api_login, manager, regional_manager, travel):
        travel("2026-10-09 10:00")
        created = api_login(manager).post(
            "/api/visits/unlicensed/",
            {
                "address": "人民路 9 号",
                "description": "无证售烟",
                "latitude": "31.23",
                "longitude": "121.47",
            },
            format="json",
        )
        assert created.status_code == 201, created.content
        body = created.json()
        assert (body["latitude"], body["longitude"]) == ("31.230000", "121.470000")
        pk = body["id"]
        rm = api_login(regional_manager)
        assert (
            rm.post(f"/api/visits/unlicensed/{pk}/forward/", {}, format="json").status_code == 200
        )
        bad = rm.post(
            f"/api/visits/unlicensed/{pk}/outcome/",
            {"outcome": "已查处", "outcome_on": "2026-10-10"},
            format="json",
        )
        assert bad.status_code == 400 and "outcome_on" in bad.json()
        done = rm.post(
            f"/api/visits/unlicensed/{pk}/outcome/",
            {"outcome": "已查处", "outcome_on": "2026-10-09"},
            format="json",
        )
        assert done.status_code == 200
        assert done.json()["outcome_on"] == "2026-10-09"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_phone_gives_the_reports_location(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = browser_page
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": 31.2304, "longitude": 121.4737})
    login_as(page, live_server, manager)
    page.goto(f"{live_server.url}{reverse('visits:unlicensed_create')}")
    page.wait_for_selector("[data-geolocation-status]:not([hidden])")
    page.fill("#id_address", "人民路 9 号")
    page.fill("#id_description", "无证售烟")
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=report-location]")
    assert "31.230400, 121.473700" in page.locator("[data-testid=report-location]").inner_text()
    report = UnlicensedReport.objects.get()
    assert report.latitude == Decimal("31.230400")
