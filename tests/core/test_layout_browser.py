"""Phone and desktop layout in real Chromium (issue 16): signatures sized to their box,
lists as stacked cards on a phone, wide tables scrolling in their box with the first
column held, the bar in one line on a laptop for every role in both languages."""

import base64
import io

import pytest
from django.utils import translation
from PIL import Image, ImageDraw

from complaints import services as complaint_services
from tests import factories
from tests.browser_support import browser_page, login_as, seeded  # noqa: F401
from tests.complaints.conftest import make_complaint
from tests.visits.conftest import make_visit
from visits.services import promotions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
LAPTOP = {"width": 1200, "height": 800}
PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1920, "height": 1080}

# Text in a table cell squeezed into a column narrower than a few characters: the
# cell's content box is under 5 em wide and its text wraps (a name one character a line).
SQUEEZED_CELLS_JS = """() => {
  const out = [];
  for (const cell of document.querySelectorAll('td, th')) {
    if (!cell.offsetParent) continue;
    const style = getComputedStyle(cell);
    const em = parseFloat(style.fontSize);
    const inner = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (inner >= 5 * em) continue;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.trim();
      if (text.length < 3 || !node.parentElement.offsetParent) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const lines = Array.from(range.getClientRects()).filter(r => r.width > 0);
      if (lines.length >= 2) out.push(text);
    }
  }
  return out;
}"""

SIDEWAYS_JS = "document.scrollingElement.scrollWidth - window.innerWidth"


def wide_signature():
    """A signature as a wide canvas on a high-density screen draws it: 1400 × 360 px."""
    image = Image.new("RGB", (1400, 360), "white")
    stroke = [(40, 300), (400, 40), (1000, 320), (1360, 60)]
    ImageDraw.Draw(image).line(stroke, fill="black", width=8)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def wait_image(page, selector):
    page.wait_for_function(
        "s => { const i = document.querySelector(s);"
        " return i && i.complete && i.naturalWidth > 0; }",
        arg=selector,
    )


def test_signatures_are_sized_to_their_box(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
    regional_manager,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = browser_page
    customer = factories.CustomerFactory(manager=manager, grade=factories.grade("A1"))
    complaint = make_complaint(manager, customer, regional_manager, stage="open")
    complaint = complaint_services.complaint_inspect(
        complaint=complaint,
        actor=manager,
        cause="仓储受潮",
        signature=wide_signature(),
        signer_name="王店主",
    )
    complaint = complaint_services.complaint_submit(complaint=complaint, actor=manager)
    promotions.promotion_record(
        customer=customer,
        actor=manager,
        item="宣传海报",
        quantity=2,
        signer_name="王店主",
        signature=wide_signature(),
    )
    visit = make_visit(manager, customer, stage="locked")

    # The regional manager decides on a laptop: the signature stays left of the
    # approve/reject column.
    page.set_viewport_size(DESKTOP)
    login_as(page, live_server, regional_manager)
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    wait_image(page, "[data-signature-image=inspection]")
    signature = box(page, "[data-signature-image=inspection]")
    actions = box(page, "#action-approve")
    assert signature["x"] + signature["width"] <= actions["x"]
    assert page.evaluate(SIDEWAYS_JS) <= 0

    # On the manager's phone every page with a signature keeps the screen's width.
    page.set_viewport_size(PHONE)
    login_as(page, live_server, manager)
    for path, selector in (
        (f"/complaints/{complaint.pk}/", "[data-signature-image=inspection]"),
        ("/visits/promotions/", "img.signature-image"),
        (f"/visits/{visit.pk}/", "[data-testid=signature-customer] img"),
    ):
        page.goto(f"{live_server.url}{path}")
        wait_image(page, selector)
        assert page.evaluate(SIDEWAYS_JS) <= 0, path
        image = box(page, selector)
        assert image["width"] <= PHONE["width"] - 24, path
        assert image["height"] <= 140, path


def test_lists_are_cards_and_tables_scroll_in_their_box_on_a_phone(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
    regional_manager,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = browser_page
    for name in ("长安何记便利店", "和平吴记批发部", "光明朱记烟酒商行"):
        customer = factories.CustomerFactory(manager=manager, name=name)
        make_complaint(manager, customer, regional_manager, stage="submitted")

    login_as(page, live_server, regional_manager)
    page.goto(f"{live_server.url}/complaints/")
    rows = page.locator("table.table-cards tbody tr")
    assert rows.count() == 3
    # Each complaint is a card as wide as the list, each value under its column's name.
    first = rows.first.bounding_box()
    assert first["width"] >= PHONE["width"] - 40
    label = page.evaluate(
        "() => getComputedStyle(document.querySelector("
        "'table.table-cards tbody td:nth-child(2)'), '::before').content"
    )
    assert label == '"Customer"'
    assert page.get_by_text("光明朱记烟酒商行").is_visible()
    assert page.evaluate(SQUEEZED_CELLS_JS) == []
    assert page.evaluate(SIDEWAYS_JS) <= 0
    # The status and the due date are on screen, not cut.
    for cell in ("td:nth-child(5)", "td:nth-child(6)"):
        right = rows.first.locator(cell).bounding_box()
        assert right["x"] + right["width"] <= PHONE["width"]

    # A wide table of figures scrolls inside its box, its first column held.
    page.set_viewport_size({"width": 1366, "height": 900})
    static = f"{live_server.url}/static/"
    page.set_content(
        "<!doctype html><html><head>"
        f'<link rel="stylesheet" href="{static}vendor/bootstrap/bootstrap.min.css">'
        f'<link rel="stylesheet" href="{static}css/layout.css">'
        '</head><body><div class="table-responsive"><table class="table"><thead><tr>'
        + "".join(f"<th>列名{i}</th>" for i in range(9))
        + "</tr></thead><tbody><tr><td>C00001 和平便利店</td>"
        + "".join(f"<td>{i}1234567.89</td>" for i in range(8))
        + "</tr></tbody></table></div></body></html>"
    )
    page.set_viewport_size(PHONE)
    page.wait_for_function("getComputedStyle(document.querySelector('td')).position === 'sticky'")
    assert page.evaluate(SIDEWAYS_JS) <= 0
    assert page.evaluate(SQUEEZED_CELLS_JS) == []
    scroller = page.locator(".table-responsive")
    assert scroller.evaluate("e => e.scrollWidth > e.clientWidth")
    scroller.evaluate("e => { e.scrollLeft = 400; }")
    held = page.locator("td").first.bounding_box()
    assert 0 <= held["x"] < 20


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_bar_fits_in_one_line_on_a_laptop(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    language,
    manager,
    regional_manager,
    admin_user,
):
    page = browser_page
    service_centre = factories.UserFactory(
        username="service_desk", role="service_centre", region=None
    )
    admin_user.is_superuser = True  # the fullest bar: Django admin as well
    admin_user.save()
    for user in (manager, regional_manager, admin_user, service_centre):
        login_as(page, live_server, user)
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        for viewport in (LAPTOP, DESKTOP, {"width": 1440, "height": 900}, WIDE):
            page.set_viewport_size(viewport)
            page.goto(f"{live_server.url}/")
            bar = page.locator("nav.navbar > div").first
            # Expanded (no toggler), every entry on one line, nothing past the edge.
            assert not page.locator(".navbar-toggler").is_visible()
            assert bar.evaluate("e => e.scrollWidth <= e.clientWidth"), (user, viewport)
            tops = page.evaluate(
                "() => Array.from(document.querySelectorAll('#main-nav .nav-item'))"
                ".filter(e => e.offsetParent).map(e => Math.round(e.getBoundingClientRect().top))"
            )
            # One line: the entries' tops within a few pixels (the bell sits centred).
            assert max(tops) - min(tops) <= 6, (user.username, viewport, tops)
            assert page.locator("nav.navbar").bounding_box()["height"] < 70
            right = page.evaluate(
                "() => Math.max(...Array.from(document.querySelectorAll('#main-nav .nav-item'))"
                ".map(e => e.getBoundingClientRect().right))"
            )
            assert right <= viewport["width"], (user.username, viewport)
            assert page.evaluate(SIDEWAYS_JS) <= 0
        # The role is still said, in the user's menu.
        page.click("#main-nav .dropdown-toggle >> nth=-1")
        with translation.override(language):
            role = str(user.get_role_display())
        assert role in page.locator(".dropdown-menu-end.show").inner_text()
