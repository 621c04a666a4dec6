"""Satisfaction in real Chromium: the regional manager launches a round, the service
centre and the manager (on the phone) record answers, the round closes, the manager
writes their measures, the index shows with its chart and section c) of the monthly
report shows the index and the measures. Screenshots at phone and desktop size go to
SCREENSHOTS_DIR when it is set."""

import os
import pathlib

import pytest
from django.utils import timezone

from core import months
from crm.models import User
from reports import services as report_services
from satisfaction import services
from satisfaction.models import Answer, Measure, Round
from tests import factories
from tests.browser_support import browser_page, login_as, seeded  # noqa: F401
from tests.satisfaction.conftest import QUESTIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _shot(page, name):
    folder = os.environ.get("SCREENSHOTS_DIR")
    if folder:
        pathlib.Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/satisfaction-{name}.png", full_page=True)


def _answer(page, scores, choice="电话"):
    for position, score in enumerate(scores):
        page.locator("fieldset").nth(position).locator(f"label:text-is('{score}')").click()
    page.locator("fieldset").nth(len(scores)).get_by_label(choice).check()
    page.click("[data-testid=answer-form] button[type=submit]")
    page.wait_for_selector("[data-testid=answered]")


def test_round_to_index_to_monthly_report(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    settings,
    manager,
    regional_manager,
    admin_user,
):
    settings.SATISFACTION_MIN_ANSWERS = 3
    # The browser reads English: so does the manager, whose notifications are
    # written in their language.
    manager.language = "en"
    manager.save(update_fields=["language"])
    page = browser_page
    desk = factories.UserFactory(username="desk", role=User.Role.SERVICE_CENTRE, region=None)
    customers = [
        factories.CustomerFactory(manager=manager, name=f"满意便利店{i}") for i in range(3)
    ]
    questionnaire = services.questionnaire_create(
        actor=admin_user, name="客户满意度调查", questions=QUESTIONS
    )
    month = months.month_shift(months.month_start(timezone.localdate()), -1)

    # 1. The regional manager launches a round of the region for last month.
    page.set_viewport_size(DESKTOP)
    login_as(page, live_server, regional_manager)
    page.goto(f"{live_server.url}/satisfaction/rounds/new/")
    page.select_option("#id_questionnaire", str(questionnaire.pk))
    page.fill("#id_month", f"{month:%Y-%m}")
    _shot(page, "launch-desktop")
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=answered]")
    round = Round.objects.get()
    assert page.inner_text("[data-testid=answered]") == "0 / 3"

    # 2. The service centre records two answers.
    login_as(page, live_server, desk)
    for customer, scores in zip(customers[:2], ([5, 5, 5], [4, 3, 2]), strict=True):
        sampled = round.sample_rows.get(customer=customer)
        page.goto(f"{live_server.url}/satisfaction/sample/{sampled.pk}/answer/")
        _answer(page, scores)
    _shot(page, "round-desktop")
    # The service centre reads the customer's name and contacts, not their sales.
    page.goto(f"{live_server.url}/customers/{customers[0].pk}/")
    assert page.is_visible("text=满意便利店0")
    assert not page.is_visible("text=Sales, last 13 months")
    _shot(page, "service-centre-customer-desktop")

    # 3. The third customer answers on the manager's phone.
    page.set_viewport_size(PHONE)
    login_as(page, live_server, manager)
    page.goto(f"{live_server.url}{round.get_absolute_url()}")
    page.click("text=Record answer")
    assert page.is_visible("text=self-reported via the manager")
    _shot(page, "answer-phone")
    _answer(page, [3, 3, 3])
    assert page.inner_text("[data-testid=answered]") == "3 / 3"
    assert page.is_visible("text=self-reported via manager")
    assert Answer.objects.filter(channel=Answer.Channel.VIA_MANAGER).count() == 1

    # 4. The regional manager closes the round: the manager gets the task.
    login_as(page, live_server, regional_manager)
    page.goto(f"{live_server.url}{round.get_absolute_url()}")
    page.click("[data-testid=close-round]")
    page.wait_for_selector("[data-testid=round-status]:text-is('Closed')")

    # 5. The manager writes the analysis and measures from the notification
    # (written in the manager's language: they read English).
    login_as(page, live_server, manager)
    page.goto(f"{live_server.url}/notifications/")
    page.click("text=write your analysis and measures")
    page.fill("#id_analysis", "送货及时得分最低")
    page.fill("#id_measures", "固定每周二送货并提前电话确认")
    _shot(page, "measures-phone")
    page.click("text=Save analysis and measures")
    page.wait_for_selector("[data-testid=measures]")
    assert Measure.objects.get(manager=manager).status == Measure.Status.WRITTEN

    # 6. The index: (100 + 50·2/4 + … ) — 5,5,5 → 100; 4,3,2 → (150+50+25)/4 = 56.25;
    #    3,3,3 → 50; mean 68.75 from 3 answers.
    page.goto(f"{live_server.url}/satisfaction/index/")
    assert page.inner_text("[data-testid=index-value]") == "68.75"
    page.wait_for_function(
        "() => { const c = document.querySelector('canvas[data-satisfaction-trend]');"
        " return c && c.width > 0 && window.Chart && Chart.getChart(c); }"
    )
    _shot(page, "index-phone")
    page.set_viewport_size(DESKTOP)
    login_as(page, live_server, regional_manager)
    page.goto(f"{live_server.url}/satisfaction/index/")
    assert "68.75" in page.inner_text("[data-testid=breakdown]")
    _shot(page, "index-desktop")

    # 7. Section c) of the manager's monthly report shows the index and the measures.
    report_services.prepare_month(month=month)
    report = manager.monthly_reports.get(month=month)
    login_as(page, live_server, manager)
    page.goto(f"{live_server.url}{report.get_absolute_url()}")
    note = page.inner_text("[data-testid=note-satisfaction]")
    assert f"Satisfaction index {month:%Y-%m}: 68.75 (3 answers)" in note
    assert "固定每周二送货并提前电话确认" in note
    page.locator("#section-c").scroll_into_view_if_needed()
    _shot(page, "report-desktop")
