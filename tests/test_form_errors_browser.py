"""A failed submit as a user on a phone sees it (issue 16, forms and errors), in real Chromium.

- a field in error keeps its Bootstrap look (``form-control`` *and*
  ``is-invalid``, as wide as its column), a date keeps its date widget and value;
- an error summary at the top of the form links to each invalid field, and the
  first invalid field has the focus, on screen (complaint inspection without a
  signature, visit signing without a signature, the customer and grade forms);
- "this value is taken" names the field and the value.
"""

import pytest

from tests import factories
from tests.browser_support import browser_page, login_as, seeded  # noqa: F401
from tests.complaints.conftest import make_complaint
from tests.visits.conftest import make_visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _focused(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


def _in_view(page, selector):
    return page.evaluate(
        "s => { const r = document.querySelector(s).getBoundingClientRect();"
        " return r.bottom > 0 && r.top < window.innerHeight; }",
        selector,
    )


def _summary_links(page, form="form"):
    return page.eval_on_selector_all(
        f"{form} [data-error-summary] a", "links => links.map(a => a.getAttribute('href'))"
    )


def test_customer_form_errors_keep_their_look_and_are_summarised(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
):
    page = browser_page
    customer = factories.CustomerFactory(manager=manager, code="C00009", name="建设胡记商行")
    other = factories.CustomerFactory(manager=manager, licence_number="LIC-TAKEN-1")
    login_as(page, live_server, manager)
    page.goto(f"{live_server.url}/customers/{customer.pk}/edit/")
    page.fill("#id_licence_number", other.licence_number)
    page.fill("#id_name", "")
    page.fill("#id_operator_birthday", "1850-01-01")
    page.click("form.customer-form button[type=submit]")
    page.wait_for_selector("[data-error-summary]")

    for name in ("licence_number", "name", "operator_birthday"):
        classes = page.get_attribute(f"#id_{name}", "class").split()
        assert {"form-control", "is-invalid"} <= set(classes), (name, classes)
    # As wide as its column, not a small native input beside its label.
    name_box = page.locator("#id_name").bounding_box()
    licence_box = page.locator("#id_licence_number").bounding_box()
    assert name_box["width"] == pytest.approx(licence_box["width"], abs=2)
    assert name_box["y"] > page.locator("label[for=id_name]").bounding_box()["y"] + 10
    # The date keeps its widget and what was typed.
    assert page.get_attribute("#id_operator_birthday", "type") == "date"
    assert page.input_value("#id_operator_birthday") == "1850-01-01"

    summary = page.inner_text("[data-error-summary]")
    assert f"Licence number {other.licence_number} already exists" in summary
    assert "with this" not in summary
    assert _summary_links(page) == ["#id_licence_number", "#id_name", "#id_operator_birthday"]
    # The first invalid field has the focus, on screen.
    assert _focused(page) == "id_licence_number"
    assert _in_view(page, "#id_licence_number")
    # A link of the summary takes the user to its field.
    page.click("[data-error-summary] a[href='#id_operator_birthday']")
    assert _focused(page) == "id_operator_birthday"
    assert _in_view(page, "#id_operator_birthday")


def test_grade_code_taken(browser_page, live_server, seeded, admin_user):  # noqa: F811
    from crm.models import Grade

    page = browser_page
    grade = Grade.objects.get(code="B1")
    login_as(page, live_server, admin_user)
    page.goto(f"{live_server.url}/grades/{grade.pk}/edit/")
    page.fill("#id_code", "A2")
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-error-summary]")
    assert set(page.get_attribute("#id_code", "class").split()) >= {"form-control", "is-invalid"}
    assert "Grade code A2 already exists" in page.inner_text("[data-error-summary]")
    assert _focused(page) == "id_code"


def test_complaint_inspection_without_signature(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
    tmp_path,
    settings,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = browser_page
    customer = factories.CustomerFactory(manager=manager)
    complaint = make_complaint(manager, customer)
    login_as(page, live_server, manager)
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    page.fill("#action-inspect [name=cause]", "仓储受潮")
    page.fill("#action-inspect [name=signer_name]", "王店主")
    page.click("#action-inspect button[type=submit]")
    page.wait_for_selector("#action-inspect [data-error-summary]")

    assert _summary_links(page, "#action-inspect") == ["#id_signature"]
    assert "Signature" in page.inner_text("#action-inspect [data-error-summary]")
    # The signature box has the focus and is on the phone's screen, not the page's top.
    assert _focused(page) == "id_signature"
    assert _in_view(page, "#id_signature")
    assert page.evaluate("window.scrollY") > 0
    assert page.input_value("#action-inspect [name=cause]") == "仓储受潮"


def test_visit_signing_without_signature(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
    tmp_path,
    settings,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = browser_page
    customer = factories.CustomerFactory(manager=manager)
    visit = make_visit(manager, customer, stage="ended")
    login_as(page, live_server, manager)
    page.goto(f"{live_server.url}/visits/{visit.pk}/")
    page.click("[data-testid=sign-manager]")
    page.wait_for_selector("#sign-form [data-error-summary]")
    assert _summary_links(page, "#sign-form") == ["#id_signature"]
    assert _focused(page) == "id_signature"
    assert _in_view(page, "#id_signature")
    assert "is-invalid" in page.get_attribute("#id_signature", "class")
