"""What the pages show, in real Chromium (issue 16, "what the pages show").

- the price-violation decision page shows what the visit recorded (the f) item
  and its note, the findings) and its evidence (the signatures), not "—";
- a correction and the record it corrects are marked in the visit list;
- history and audit lines read as sentences naming the object, in the user's
  language, with the fields' and states' labels.
"""

import pathlib

import pytest

from tests import factories
from tests.browser_support import browser_page, image_loaded, login_as, seeded  # noqa: F401
from tests.visits.conftest import make_violation, make_visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
pathlib.Path("/tmp/shots/h16a").mkdir(parents=True, exist_ok=True)


def test_the_violation_decision_shows_the_visits_findings_and_evidence(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
    regional_manager,
    tmp_path,
    settings,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = browser_page
    page.set_viewport_size(DESKTOP)
    customer = factories.CustomerFactory(manager=manager, name="Peace Store")
    violation = make_violation(
        manager, customer, note="", findings="Zhonghua (hard) priced 45 yuan, below the guide"
    )
    login_as(page, live_server, regional_manager)
    page.goto(f"{live_server.url}/visits/violations/{violation.pk}/")

    assert page.inner_text("[data-testid=violation-note]").strip() != "—"
    evidence = page.inner_text("[data-testid=violation-evidence]")
    assert "Zhonghua (hard) priced 45 yuan, below the guide" in evidence
    assert "f) Minimum retail guide price compliance checked" in evidence
    assert "Checked" in evidence
    assert image_loaded(page, "[data-testid=evidence-signature-manager] img")
    # The decision forms are still there beside it.
    assert page.locator("form[action$='/downgrade/']").count() == 1
    page.screenshot(path="/tmp/shots/h16a/violation-desktop.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path="/tmp/shots/h16a/violation-phone.png", full_page=True)


def test_a_correction_and_the_record_it_corrects_are_marked_in_lists(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
    tmp_path,
    settings,
):
    from visits.services import visits as visit_services

    settings.MEDIA_ROOT = tmp_path / "media"
    page = browser_page
    customer = factories.CustomerFactory(manager=manager, name="Peace Store")
    original = make_visit(manager, customer, stage="locked", findings="stock low")
    correction = visit_services.visit_correct(
        visit=original, actor=manager, data={"findings": "stock very low"}, reason="typo"
    )
    other = make_visit(manager, customer, stage="locked", arrived="2026-10-12 10:00")
    login_as(page, live_server, manager)

    for path in ("/visits/list/", f"/customers/{customer.pk}/"):
        page.goto(f"{live_server.url}{path}")
        row_of = {
            visit.pk: page.locator(f"a[href='/visits/{visit.pk}/']").first.locator(
                "xpath=ancestor-or-self::*[self::a[@data-testid='visit-row'] or self::li][1]"
            )
            for visit in (original, correction, other)
        }
        assert row_of[correction.pk].locator("[data-mark=correction]").inner_text() == "Correction"
        assert row_of[original.pk].locator("[data-mark=corrected]").inner_text() == "Corrected"
        assert row_of[other.pk].locator("[data-mark]").count() == 0, path


def test_history_and_audit_lines_read_as_sentences(
    browser_page,  # noqa: F811
    live_server,
    seeded,  # noqa: F811
    manager,
    regional_manager,
    admin_user,
    tmp_path,
    settings,
):
    import datetime
    from decimal import Decimal

    from crm import services as crm_services
    from crm.models import SalesRecord
    from reports import services as report_services

    settings.MEDIA_ROOT = tmp_path / "media"
    page = browser_page
    page.set_viewport_size(DESKTOP)
    customer = factories.CustomerFactory(manager=manager, name="Peace Store")
    visit = make_visit(manager, customer, stage="locked", findings="stock low")
    crm_services.customer_change_grade(
        customer=customer, actor=admin_user, grade=factories.grade("A2"), reason="big buyer"
    )
    september = datetime.date(2026, 9, 1)
    SalesRecord.objects.create(
        customer=customer, month=september, amount=Decimal("1000"), quantity=Decimal("100")
    )
    report_services.prepare_month(month=september)
    report = manager.monthly_reports.get(month=september)
    report_services.report_update_sections(report=report, actor=manager, data={"problems": "high"})
    report_services.report_submit(report=report, actor=manager)
    report_services.report_return(
        report=report, actor=regional_manager, comments={"b": "say why"}, comment="and shorter"
    )

    # The visit's history: actions and states in words, fields by their labels.
    login_as(page, live_server, manager)
    page.goto(f"{live_server.url}/visits/{visit.pk}/")
    page.click("details summary")
    history = page.inner_text("details")
    assert "in_progress" not in history and "customer_opinions" not in history
    assert f"{manager} ended the visit (In progress → Ended, awaiting signatures)" in history
    assert "saved the record: changed: Findings" in history

    # The report's history names the sections of the comments.
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    lines = page.inner_text("section[aria-labelledby=history-title]")
    assert "Section b): say why" in lines
    assert "In general: and shorter" in lines
    assert "b: say why" not in lines

    # The audit trail names the object and says what happened. (A context of its
    # own: the pages' service worker may answer the first one from its cache.)
    context = page.context.browser.new_context(viewport=DESKTOP, locale="en-US")
    page = context.new_page()
    login_as(page, live_server, admin_user)
    page.goto(f"{live_server.url}/audit/")
    objects = page.locator("[data-testid=audit-object]").all_inner_texts()
    sentences = page.locator("[data-testid=audit-sentence]").all_inner_texts()
    assert not [o for o in objects if "crm.Customer" in o or "#" in o]
    grade_line = next(s for s in sentences if s.startswith("Grade "))
    assert grade_line == "Grade B2 → A2: big buyer"
    assert any(s.startswith("Returned it (Submitted → Returned") for s in sentences), sentences
    context.close()
