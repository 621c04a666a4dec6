"""The visit record in real Chromium, at phone size: start, checklist, end, two
signatures drawn with the mouse, the record locked."""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from tests.browser_support import browser_page, draw, image_loaded, login, seeded  # noqa: F401
from visits import selectors
from visits.models import CHECKLIST, PlannedVisit, Signature, Visit, WeeklySchedule

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
SCREENSHOT = "/tmp/visit-locked.png"


def test_manager_logs_a_visit_and_both_sign(browser_page, live_server, seeded, manager):  # noqa: F811
    page = browser_page
    customer = factories.CustomerFactory(manager=manager, name="和平便利店", code="C00001")
    today = timezone.localdate()
    schedule = WeeklySchedule.objects.create(manager=manager, week_start=selectors.monday_of(today))
    entry = PlannedVisit.objects.create(
        schedule=schedule,
        customer=customer,
        planned_date=today,
        due_date=today - datetime.timedelta(days=2),
    )

    login(page, live_server, manager.username, factories.PASSWORD)
    page.goto(f"{live_server.url}/visits/today/")
    page.click(f"[data-testid=start-{entry.pk}]")
    page.wait_for_selector("#record-form")
    visit = Visit.objects.get(planned_visit=entry)

    for prefix, _label in CHECKLIST:
        page.click(f"label[for=id_{prefix}]")
    page.fill("#id_stock_checked_note", "库存 3 条，建议订 5 条")
    page.fill("#id_findings", "陈列整齐，价签齐全")
    page.click("#record-form button[type=submit]")
    page.wait_for_selector("[data-testid=end-visit]")
    assert page.is_checked("#id_price_checked")

    page.click("[data-testid=end-visit]")
    page.wait_for_selector("[data-testid=sign-manager]")
    draw(page, "#sign-form canvas")
    page.click("[data-testid=sign-manager]")

    page.wait_for_selector("[data-testid=sign-customer]")
    page.fill("#id_signer_name", "王店主")
    draw(page, "#sign-form canvas")
    page.click("[data-testid=sign-customer]")

    page.wait_for_selector("[data-testid=signature-customer] img")
    visit.refresh_from_db()
    assert visit.status == Visit.Status.LOCKED
    assert all(getattr(visit, prefix) for prefix, _label in CHECKLIST)
    assert visit.departed_at is not None
    assert set(Signature.objects.filter(visit=visit).values_list("role", "signer_name")) == {
        ("manager", str(manager)),
        ("customer", "王店主"),
    }
    # The page is read-only, with both signature images loaded and the check intact.
    assert page.locator("#record-form").count() == 0
    assert page.locator("#sign-form").count() == 0
    for role in ("manager", "customer"):
        assert image_loaded(page, f"[data-testid=signature-{role}] img"), role
    assert "intact" in page.inner_text("[data-testid=integrity]")
    assert "王店主" in page.inner_text("[data-testid=signature-customer]")
    page.screenshot(path=SCREENSHOT, full_page=True)
