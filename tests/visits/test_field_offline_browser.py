"""A visit logged with no network, in real Chromium: the page from the service
worker's cache, the steps queued on the phone (IndexedDB), sent once when the
network is back; a reassigned customer's visit stays on the phone with the reason."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image

from crm.services import customer_reassign
from tests import factories
from tests.browser_support import browser_page, chromium, draw, login_as, seeded  # noqa: F401
from visits.models import Visit, VisitPhoto
from visits.services import schedules
from visits.services import visits as visit_services

FIELD = "/visits/field/"


def cut_network(context):
    context.set_offline(True)
    context.route("**/*", lambda route: route.abort("internetdisconnected"))


def restore_network(context):
    context.unroute("**/*")
    context.set_offline(False)


def planned_today(manager):
    """A customer on today's plan of the manager's schedule."""
    customer = factories.CustomerFactory(manager=manager, name="田野便利店")
    today = timezone.localdate()
    week_start = today - datetime.timedelta(days=today.weekday())
    schedule, _ = schedules.schedule_propose(manager=manager, week_start=week_start)
    entry = schedule.entries.filter(customer=customer).first()
    if entry is None:
        entry = schedule.entries.create(customer=customer, planned_date=today)
    elif entry.planned_date != today:
        entry.planned_date = today
        entry.save(update_fields=["planned_date"])
    return customer, entry


def waiting(page):
    return int(page.get_attribute("[data-testid=sync-status]", "data-waiting") or 0)


@pytest.mark.browser
@pytest.mark.service_worker
@pytest.mark.django_db(transaction=True)
def test_a_visit_logged_offline_reaches_the_server_once(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
    tmp_path,
):
    customer, entry = planned_today(manager)
    photo = tmp_path / "shelf.jpg"
    out = io.BytesIO()
    Image.new("RGB", (2400, 1800), (40, 140, 90)).save(out, format="JPEG")
    photo.write_bytes(out.getvalue())

    page = browser_page
    context = page.context
    login_as(page, live_server, manager)
    page.goto(f"{live_server.url}/visits/today/")
    page.wait_for_selector("html[data-offline-ready=true]", timeout=20000)
    page.goto(f"{live_server.url}{FIELD}")
    page.wait_for_selector("[data-field-app][data-ready=true]")

    cut_network(context)
    page.reload()
    page.wait_for_selector("[data-field-app][data-ready=true]")
    page.click(f"[data-start-planned='{entry.pk}']")
    page.wait_for_selector("[data-visit]:not([hidden])")
    for name in ("info_passed", "info_collected", "stock_checked", "display_improved"):
        page.check(f"#field-{name}")
    page.fill("#field-findings", "货架缺货两个品规")
    page.fill("#field-suggestion", "希望周二送货")
    page.click("[data-suggestion-add]")
    page.set_input_files("#field-photo-before", str(photo))
    page.wait_for_selector("[data-photo-list=before] img")
    page.click("[data-end]")
    page.wait_for_selector('[data-sign-step="manager"]:not([hidden])')
    draw(page, '[data-sign-step="manager"] canvas')
    page.click("[data-sign=manager]")
    page.wait_for_selector('[data-sign-step="customer"]:not([hidden])')
    page.fill("[data-signer-name]", "王店主")
    draw(page, '[data-sign-step="customer"] canvas')
    page.click("[data-sign=customer]")
    page.wait_for_selector("[data-visit-done]:not([hidden])")
    # start, suggestion, photo, content, end, two signatures
    page.wait_for_selector("[data-testid=sync-status][data-waiting='7']")
    assert "waiting" in page.inner_text("[data-testid=sync-status]")
    assert not Visit.objects.filter(customer=customer).exists()

    restore_network(context)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("[data-testid=sync-status][data-waiting='0']", timeout=30000)
    assert "Synced" in page.inner_text("[data-testid=sync-status]")
    visit = Visit.objects.get(customer=customer)
    assert visit.planned_visit_id == entry.pk
    assert visit.status == Visit.Status.LOCKED
    assert visit.findings == "货架缺货两个品规" and visit.display_improved
    assert list(visit.suggestions.values_list("text", flat=True)) == ["希望周二送货"]
    assert VisitPhoto.objects.filter(visit=visit, stage="before").count() == 1
    assert visit_services.visit_verify(visit=visit)[0]
    # Sent again (a lost answer): nothing twice.
    page.click("[data-sync-now]")
    page.wait_for_timeout(500)
    assert Visit.objects.filter(customer=customer).count() == 1


@pytest.mark.browser
@pytest.mark.service_worker
@pytest.mark.django_db(transaction=True)
def test_a_visit_of_a_customer_reassigned_meanwhile_stays_on_the_phone(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
    teammate,
    regional_manager,
):
    customer = factories.CustomerFactory(manager=manager, name="转走便利店")
    page = browser_page
    context = page.context
    login_as(page, live_server, manager)
    page.goto(f"{live_server.url}{FIELD}")
    page.wait_for_selector("[data-field-app][data-ready=true]")
    page.wait_for_timeout(300)

    cut_network(context)
    page.select_option("#field-customer", str(customer.pk))
    page.fill("#field-reason", "临时补货")
    page.click("[data-special] button[type=submit]")
    page.wait_for_selector("[data-visit]:not([hidden])")
    page.fill("#field-findings", "已记录")
    page.click("[data-end]")
    page.wait_for_selector('[data-sign-step="manager"]:not([hidden])')
    page.wait_for_selector("[data-testid=sync-status][data-waiting='3']")

    customer_reassign(customer=customer, actor=regional_manager, manager=teammate, reason="调整")
    restore_network(context)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("[data-testid=sync-status][data-failed='1']", timeout=30000)
    status = page.inner_text("[data-testid=sync-status]")
    assert "Failed" in status and "kept on this phone" in status
    assert waiting(page) == 3  # nothing dropped
    assert not Visit.objects.filter(customer=customer).exists()

    # Logging out on a shared phone warns about what was not sent, then deletes it.
    questions = []
    page.on("dialog", lambda dialog: questions.append(dialog.message))
    page.click("button.navbar-toggler")
    page.wait_for_selector("#main-nav.collapse.show")
    page.click("#main-nav .dropdown-toggle >> nth=-1")
    page.click("form[action$='/accounts/logout/'] button")
    page.wait_for_url(lambda url: "/accounts/login/" in url)
    assert questions and "3 field visit steps" in questions[0]
    names = [db["name"] for db in page.evaluate("indexedDB.databases()")]
    assert "crm-field" not in names


@pytest.mark.browser
@pytest.mark.service_worker
@pytest.mark.django_db(transaction=True)
def test_a_promotion_receipt_signed_offline_reaches_the_server_once(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
):
    from visits.models import PromotionReceipt

    eligible = factories.CustomerFactory(
        manager=manager, name="促销便利店", grade=factories.grade("A1")
    )
    factories.CustomerFactory(manager=manager, name="不可促销店")  # B2: no promotions
    page = browser_page
    context = page.context
    login_as(page, live_server, manager)
    page.goto(f"{live_server.url}{FIELD}")
    page.wait_for_selector("[data-field-app][data-ready=true]")
    options = page.eval_on_selector_all(
        "#field-promotion-customer option", "options => options.map(o => o.textContent)"
    )
    assert [o for o in options if "促销便利店" in o] and not [o for o in options if "不可" in o]

    cut_network(context)
    page.select_option("#field-promotion-customer", str(eligible.pk))
    page.fill("#field-promotion-item", "宣传海报")
    page.fill("#field-promotion-quantity", "3")
    page.fill("#field-promotion-signer", "李店主")
    draw(page, "[data-promotion] canvas")
    page.click("[data-promotion] button[type=submit]")
    page.wait_for_selector("[data-testid=sync-status][data-waiting='1']")
    assert not PromotionReceipt.objects.exists()

    restore_network(context)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("[data-testid=sync-status][data-waiting='0']", timeout=30000)
    receipt = PromotionReceipt.objects.get()
    assert (receipt.customer_id, receipt.item, receipt.quantity) == (eligible.pk, "宣传海报", 3)
    assert receipt.signer_name == "李店主" and len(receipt.signature_sha256) == 64
