"""Nothing typed is ever lost (issue 14), in real Chromium at phone size: the visit
record saves itself as the manager goes, keeps on the phone what the server has
not got, and "end visit" carries what is still unsaved; leaving with unsaved
input asks first; a complaint's inspection and a promotion receipt keep what was
typed (and drawn) until they are submitted."""

import json
import os

import pytest

from tests import factories
from tests.browser_support import PHONE, browser_page, draw, login_as, seeded  # noqa: F401
from visits.models import CHECKLIST, Visit
from visits.services import visits as visit_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/shots/h14a"
API = "**/api/visits/records/**"


def _visit(manager):
    customer = factories.CustomerFactory(manager=manager, name="解放胡记批发部", code="C00028")
    return visit_services.visit_start(actor=manager, customer=customer, special_reason="电话约访")


def _open(page, live_server, manager, visit):
    login_as(page, live_server, manager)
    page.goto(f"{live_server.url}{visit.get_absolute_url()}")
    page.wait_for_selector("#record-form")


def _status(page):
    return page.inner_text("[data-testid=autosave-status]")


def _kept(page, key):
    raw = page.evaluate("key => window.localStorage.getItem('autosave:' + key)", key)
    return json.loads(raw)["values"] if raw else None


def _shot(page, name):
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_end_without_saving_loses_nothing(browser_page, live_server, seeded, manager):  # noqa: F811
    """The issue's case: six items ticked, findings typed, "end" tapped without
    "save record" - and here the autosave cannot reach the server either."""
    page = browser_page
    visit = _visit(manager)
    _open(page, live_server, manager, visit)
    page.route(API, lambda route: route.abort())
    questions = []
    page.on("dialog", lambda dialog: questions.append(dialog.message))

    for prefix, _label in CHECKLIST:
        page.click(f"label[for=id_{prefix}]")
    page.fill("#id_findings", "陈列整齐，价签齐全")
    page.click("[data-testid=end-visit]")
    page.wait_for_selector("[data-testid=sign-manager]")

    # The confirm question said what was not saved yet.
    assert questions and "End the visit now?" in questions[0]
    assert "Findings" in questions[0] and "saved with it" in questions[0]
    visit.refresh_from_db()
    assert visit.status == Visit.Status.ENDED
    assert all(getattr(visit, prefix) for prefix, _label in CHECKLIST)
    assert visit.findings == "陈列整齐，价签齐全"
    # The signature step shows the record as it is signed.
    for prefix, _label in CHECKLIST:
        assert page.is_checked(f"#id_{prefix}"), prefix
    assert page.input_value("#id_findings") == "陈列整齐，价签齐全"
    assert _kept(page, f"visit-{visit.pk}") is None


def test_typing_then_reloading_loses_nothing(browser_page, live_server, seeded, manager):  # noqa: F811
    page = browser_page
    visit = _visit(manager)
    _open(page, live_server, manager, visit)

    page.click("label[for=id_info_passed]")
    page.fill("#id_findings", "冰柜里有竞品")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=autosave-status]').dataset.state === 'saved'"
    )
    assert "Saved" in _status(page)
    page.wait_for_timeout(300)  # the checkbox's and the text's saves both answered
    _shot(page, "visit-autosaved-phone")
    visit.refresh_from_db()
    assert visit.info_passed and visit.findings == "冰柜里有竞品"

    # Typed, and the page reloaded at once (before the debounce): the phone kept it.
    page.fill("#id_customer_opinions", "希望多送海报")
    page.reload()
    page.wait_for_selector("#record-form")
    assert page.input_value("#id_customer_opinions") == "希望多送海报"
    assert page.input_value("#id_findings") == "冰柜里有竞品"
    assert page.is_checked("#id_info_passed")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=autosave-status]').dataset.state === 'saved'"
    )
    visit.refresh_from_db()
    assert visit.customer_opinions == "希望多送海报"


def test_offline_input_is_kept_and_sent_when_the_network_returns(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
):
    page = browser_page
    context = page.context
    visit = _visit(manager)
    _open(page, live_server, manager, visit)
    key = f"visit-{visit.pk}"

    # Cut: the status says it is kept on the phone; the network back: it is sent.
    context.set_offline(True)
    page.wait_for_function("() => navigator.onLine === false")
    page.click("label[for=id_stock_checked]")
    page.fill("#id_stock_checked_note", "库存 3 条，建议订 5 条")
    page.locator("#id_findings").focus()  # leaving the note sends at once
    page.wait_for_function(
        "() => document.querySelector('[data-testid=autosave-status]').dataset.state === 'failed'"
    )
    assert "no network" in _status(page)
    _shot(page, "visit-offline-phone")
    assert _kept(page, key)["stock_checked_note"] == "库存 3 条，建议订 5 条"
    visit.refresh_from_db()
    assert visit.stock_checked_note == ""
    context.set_offline(False)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=autosave-status]').dataset.state === 'saved'"
    )
    visit.refresh_from_db()
    assert visit.stock_checked and visit.stock_checked_note == "库存 3 条，建议订 5 条"

    # Cut again, typed, and the browser closed before the network returned (the
    # phone put it away): opened again online, the input is put back and sent.
    # (The API cut too: the offline switch does not cut what a service worker fetches.)
    context.route(API, lambda route: route.abort())
    context.set_offline(True)
    page.wait_for_function("() => navigator.onLine === false")
    page.fill("#id_findings", "门头灯箱损坏")
    page.locator("#id_customer_opinions").focus()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=autosave-status]').dataset.state === 'failed'"
    )
    state = context.storage_state()
    context.close()
    visit.refresh_from_db()
    assert visit.findings == ""
    reopened = context.browser.new_context(
        viewport=PHONE, locale="en-US", storage_state=state, service_workers="block"
    )
    try:
        again = reopened.new_page()
        again.set_default_timeout(15000)
        again.goto(f"{live_server.url}{visit.get_absolute_url()}")
        again.wait_for_selector("[data-testid=autosave-restored]:not([hidden])")
        assert again.input_value("#id_findings") == "门头灯箱损坏"
        again.wait_for_function(
            "() => document.querySelector('[data-testid=autosave-status]').dataset.state"
            " === 'saved'"
        )
        visit.refresh_from_db()
        assert visit.findings == "门头灯箱损坏"
        assert visit.stock_checked_note == "库存 3 条，建议订 5 条"
        assert _kept(again, key) is None
    finally:
        reopened.close()


def test_leaving_with_unsaved_input_warns(browser_page, live_server, seeded, manager):  # noqa: F811
    page = browser_page
    visit = _visit(manager)
    _open(page, live_server, manager, visit)
    kinds = []
    page.on("dialog", lambda dialog: kinds.append(dialog.type))

    # Saved: leaving asks nothing.
    page.click("#id_findings")
    page.keyboard.type("已保存的内容")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=autosave-status]').dataset.state === 'saved'"
    )
    page.goto(f"{live_server.url}/visits/today/")
    assert "beforeunload" not in kinds

    # The server unreachable: the input is unsaved, and leaving asks first.
    page.goto(f"{live_server.url}{visit.get_absolute_url()}")
    page.route(API, lambda route: route.abort())
    page.click("#id_customer_opinions")
    page.keyboard.type("未保存的意见")
    page.goto(f"{live_server.url}/visits/today/")
    assert "beforeunload" in kinds


def test_complaint_inspection_survives_a_reload(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
    english,
    settings,
    tmp_path,
):
    from complaints.models import Complaint
    from tests.complaints.conftest import make_complaint

    settings.MEDIA_ROOT = tmp_path / "media"
    page = browser_page
    customer = factories.CustomerFactory(manager=manager, name="和平便利店")
    complaint = make_complaint(manager, customer, stage="open")
    login_as(page, live_server, manager)
    url = f"{live_server.url}{complaint.get_absolute_url()}"
    page.goto(url)
    kinds = []
    page.on("dialog", lambda dialog: kinds.append(dialog.type))

    page.click("#action-inspect [name=cause]")
    page.keyboard.type("仓储受潮")
    page.fill("#action-inspect [name=signer_name]", "王店主")
    draw(page, "#action-inspect canvas")
    page.reload()
    assert "beforeunload" in kinds
    page.wait_for_selector("#action-inspect [data-testid=autosave-restored]:not([hidden])")
    assert page.input_value("#action-inspect [name=cause]") == "仓储受潮"
    assert page.input_value("#action-inspect [name=signer_name]") == "王店主"
    page.wait_for_selector("#action-inspect [data-signature-field].is-signed")
    _shot(page, "complaint-inspection-restored-phone")

    # Submitted as restored, signature included: accepted, and no longer kept.
    page.click("#action-inspect button[type=submit]")
    page.wait_for_selector("[data-signature-image=inspection]")
    complaint = Complaint.objects.get(pk=complaint.pk)
    assert complaint.cause == "仓储受潮"
    assert complaint.inspection_signature.signer_name == "王店主"
    assert _kept(page, f"complaint-{complaint.pk}-inspect") is None


def test_promotion_receipt_survives_a_reload(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
    settings,
    tmp_path,
):
    from visits.models import PromotionReceipt

    settings.MEDIA_ROOT = tmp_path / "media"
    page = browser_page
    good = factories.CustomerFactory(
        manager=manager, name="合格烟酒店", grade=factories.grade("A1")
    )
    login_as(page, live_server, manager)
    page.goto(f"{live_server.url}/visits/promotions/new/")
    page.select_option("#id_customer", str(good.pk))
    page.fill("#id_item", "宣传海报")
    page.fill("#id_quantity", "2")
    page.fill("#id_signer_name", "王店主")
    draw(page, "[data-signature-field] canvas")
    page.reload()
    page.wait_for_selector("[data-testid=autosave-restored]:not([hidden])")
    assert page.input_value("#id_item") == "宣传海报"
    assert page.input_value("#id_customer") == str(good.pk)
    page.wait_for_selector("[data-signature-field].is-signed")
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: url.endswith("/visits/promotions/"))
    receipt = PromotionReceipt.objects.get()
    assert (receipt.item, receipt.quantity, receipt.signer_name) == ("宣传海报", 2, "王店主")
    assert _kept(page, f"promotion-{manager.pk}") is None


def test_a_bad_value_ends_nothing_and_keeps_the_input(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
):
    page = browser_page
    visit = _visit(manager)
    _open(page, live_server, manager, visit)
    page.click("label[for=id_sales_observed]")
    page.fill("#id_findings", "门口堆放杂物")
    page.fill("#id_revisit_on", "2020-01-06")
    # The autosave is refused too, and says why.
    page.wait_for_function(
        "() => document.querySelector('[data-testid=autosave-status]').dataset.state === 'failed'"
    )
    assert "Revisit on" in _status(page)
    page.click("[data-testid=end-visit]")
    page.wait_for_selector("[data-error-summary]")
    _shot(page, "visit-end-refused-phone")
    visit.refresh_from_db()
    assert visit.status == Visit.Status.IN_PROGRESS
    assert page.locator("[data-testid=sign-manager]").count() == 0
    assert page.input_value("#id_findings") == "门口堆放杂物"
    assert page.is_checked("#id_sales_observed")

    # Corrected and ended: all of it is on the record.
    page.fill("#id_revisit_on", "")
    page.click("[data-testid=end-visit]")
    page.wait_for_selector("[data-testid=sign-manager]")
    visit.refresh_from_db()
    assert visit.status == Visit.Status.ENDED
    assert visit.sales_observed and visit.findings == "门口堆放杂物" and visit.revisit_on is None
    page.set_viewport_size({"width": 1366, "height": 900})
    _shot(page, "visit-ended-desktop")
