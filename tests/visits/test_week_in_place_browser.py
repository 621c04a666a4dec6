"""The week page in real Chromium on a phone: one day at a time, and changes made in
place (htmx) without reloading the page or losing the manager's place on it."""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from tests.browser_support import browser_page, login_as, seeded  # noqa: F401
from visits.models import PlannedVisit
from visits.selectors import monday_of
from visits.services import schedules

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_one_day_at_a_time_and_changes_in_place(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
):
    page = browser_page
    week = monday_of(timezone.localdate()) + datetime.timedelta(days=7)
    for number in range(15):
        factories.CustomerFactory(
            manager=manager, name=f"周计划店{number:02d}", grade=factories.grade("A1")
        )
    schedule, _ = schedules.schedule_propose(manager=manager, week_start=week)
    by_day = {}
    for entry in schedule.entries.all():
        by_day.setdefault(entry.planned_date, []).append(entry)
    first_day = min(by_day)

    login_as(page, live_server, manager)
    page.goto(f"{live_server.url}/visits/schedule/?week={week:%Y-%m-%d}")
    # One day's card; a tab for each day, with its number of visits.
    assert page.locator("section.schedule-day").count() == 1
    tabs = page.locator("[data-testid=day-tabs] a")
    assert tabs.count() >= 5
    active = page.locator("[data-testid=day-tabs] a.active")
    assert active.get_attribute("data-day") == f"{first_day:%Y-%m-%d}"
    assert page.locator("section.schedule-day li.entry-row").count() == len(by_day[first_day])
    page.evaluate("() => { window.keptAcrossChanges = true; }")

    def still_the_same_page():
        return page.evaluate("() => window.keptAcrossChanges === true")

    # Another day's tab: its visits, the URL says which day, no reload.
    second_day = sorted(by_day)[1]
    page.click(f"[data-testid=day-tabs] a[data-day='{second_day:%Y-%m-%d}']")
    page.wait_for_function(
        "day => document.querySelector('[data-testid=day-tabs] a.active').dataset.day === day",
        arg=f"{second_day:%Y-%m-%d}",
    )
    assert f"day={second_day:%Y-%m-%d}" in page.url
    assert still_the_same_page()
    names = page.locator("section.schedule-day li.entry-row .fw-semibold").all_inner_texts()
    assert {e.customer.name for e in by_day[second_day]} == {n.split()[0] for n in names}

    # Far down the day, the last visit moves to the first day: the page stays
    # where it was, says what happened, the visit leaves this day and the first
    # day's count grows.
    moved = by_day[second_day][-1]
    row = page.locator(f"[data-testid=entry-{moved.pk}]")
    row.scroll_into_view_if_needed()
    scrolled = page.evaluate("() => window.scrollY")
    assert scrolled > 0
    row.locator("select[name=planned_date]").select_option(f"{first_day:%Y-%m-%d}")
    row.locator("form[action$='/move/'] button").click()
    page.wait_for_selector("#messages .alert")
    assert moved.customer.name in page.locator("#messages").inner_text()
    assert still_the_same_page()
    assert page.locator(f"[data-testid=entry-{moved.pk}]").count() == 0
    assert page.evaluate("() => window.scrollY") > scrolled / 2
    assert page.locator("[data-testid=day-tabs] a.active").get_attribute("data-day") == (
        f"{second_day:%Y-%m-%d}"
    )
    first_tab = page.locator(f"[data-testid=day-tabs] a[data-day='{first_day:%Y-%m-%d}']")
    assert first_tab.locator("[data-count]").inner_text() == str(len(by_day[first_day]) + 1)
    assert PlannedVisit.objects.get(pk=moved.pk).planned_date == first_day

    # A removal (confirmed) and the customer added back on this day, in place as well.
    removed = by_day[second_day][0]
    page.locator(f"[data-testid=entry-{removed.pk}] form[action$='/remove/'] button").click()
    page.wait_for_function(
        "pk => !document.querySelector(`[data-testid=entry-${pk}]`)", arg=removed.pk
    )
    assert not PlannedVisit.objects.filter(pk=removed.pk).exists()
    extra = removed.customer
    page.select_option("form[action$='/add/'] select[name=customer]", str(extra.pk))
    page.select_option("form[action$='/add/'] select[name=planned_date]", f"{second_day:%Y-%m-%d}")
    page.click("form[action$='/add/'] button[type=submit]")
    page.wait_for_selector(f"section.schedule-day >> text={extra.name}")
    assert still_the_same_page()
    assert PlannedVisit.objects.get(schedule=schedule, customer=extra).planned_date == second_day
