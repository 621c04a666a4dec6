"""The weekly work-log summary picks its week (this one and the weeks before it),
never a Monday typed by hand; the daily log keeps its day."""

import pytest
from django.urls import reverse

from tests.browser_support import browser_page, login_as, seeded  # noqa: F401
from visits.models import WorkLog

URL = reverse("visits:work_log_write")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.mark.django_db
class TestWeekPicker:
    def test_the_weeks_offered_end_with_this_one(self, login, manager, travel):
        travel("2026-10-09 18:00")  # a Friday
        form = login(manager).get(URL, {"kind": "weekly"}).context["form"]
        weeks = [value for value, _label in form.fields["week"].choices]
        assert weeks[0] == "2026-10-05" and weeks[1] == "2026-09-28"
        assert len(weeks) == 12
        assert form.fields["week"].choices[0][1] == "2026-10-05 – 10-11 · This week"
        assert form["week"].value() == "2026-10-05"

    def test_a_weekly_summary_is_dated_on_its_monday(self, login, manager, travel):
        travel("2026-10-09 18:00")
        response = login(manager).post(
            URL, {"kind": "weekly", "week": "2026-09-28", "day": "", "content": "本周走访 30 户"}
        )
        assert response.status_code == 302
        log = WorkLog.objects.get()
        assert (log.kind, str(log.day)) == ("weekly", "2026-09-28")

    def test_a_week_not_offered_or_missing_is_a_field_error(self, login, manager, travel):
        travel("2026-10-09 18:00")
        client = login(manager)
        for week in ("2026-10-07", "2026-10-12", "", "not-a-week"):
            response = client.post(URL, {"kind": "weekly", "week": week, "content": "x"})
            assert response.status_code == 400, week
            assert response.context["form"].errors["week"], week
        response = client.post(URL, {"kind": "daily", "day": "", "content": "x"})
        assert response.context["form"].errors["day"] == ["Choose the day of the log."]
        assert not WorkLog.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_manager_picks_the_week_on_a_phone(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
):
    page = browser_page
    login_as(page, live_server, manager)
    page.goto(f"{live_server.url}{URL}")
    # A daily log: a day, no week.
    assert page.locator("#id_day").is_visible()
    assert not page.locator("#id_week").is_visible()
    page.select_option("#id_kind", "weekly")
    assert page.locator("#id_week").is_visible()
    assert not page.locator("#id_day").is_visible()
    last_week = page.locator("#id_week option").nth(1)
    value = last_week.get_attribute("value")
    page.select_option("#id_week", value)
    page.fill("#id_content", "本周走访 30 户，两户投诉已处理。")
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/logs/" in url and url.rstrip("/").split("/")[-1].isdigit())
    log = WorkLog.objects.get()
    assert (log.kind, log.day.isoformat()) == ("weekly", value)
