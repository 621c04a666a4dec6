"""The promotion receipt on a phone, in real Chromium: only customers whose grade may
receive promotions are offered, and a form sent back for another field's error keeps
the customer's signature (drawn again in its box, sent again with the form)."""

import pytest

from tests import factories
from tests.browser_support import browser_page, draw, login_as, seeded  # noqa: F401
from visits.models import PromotionReceipt

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIGNED_PIXELS_JS = """() => {
  const canvas = document.querySelector('[data-signature-field] canvas');
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let dark = 0;
  for (let i = 0; i < data.length; i += 4) { if (data[i] < 128) dark += 1; }
  return dark;
}"""


def test_promotion_offers_eligible_customers_and_keeps_the_signature(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = browser_page
    good = factories.CustomerFactory(
        manager=manager, name="合格烟酒店", grade=factories.grade("A1")
    )
    factories.CustomerFactory(manager=manager, name="普通小店", grade=factories.grade("D"))

    login_as(page, live_server, manager)
    page.goto(f"{live_server.url}/visits/promotions/new/")
    options = page.locator("#id_customer option").all_inner_texts()
    assert any("合格烟酒店" in option for option in options)
    assert not any("普通小店" in option for option in options)

    # The customer signs, but the quantity is wrong: the form comes back with the
    # signature still in its box.
    page.select_option("#id_customer", str(good.pk))
    page.fill("#id_item", "宣传海报")
    page.fill("#id_quantity", "0")
    page.fill("#id_signer_name", "王店主")
    draw(page, "[data-signature-field] canvas")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#id_quantity.is-invalid")
    page.wait_for_selector("[data-signature-field].is-signed")
    assert page.evaluate(SIGNED_PIXELS_JS) > 50
    assert page.input_value("[data-signature-input]").startswith("data:image/png;base64,")

    # Corrected, sent without signing again: the receipt carries the signature.
    page.fill("#id_quantity", "2")
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: url.endswith("/visits/promotions/"))
    receipt = PromotionReceipt.objects.get()
    assert receipt.customer == good and receipt.quantity == 2
    assert receipt.signature.size > 500
