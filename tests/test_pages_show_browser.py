"""What the pages show, in real Chromium (issue 16, "what the pages show").

- the price-violation decision page shows what the visit recorded (the f) item
  and its note, the findings) and its evidence (the signatures), not "—";
- a correction and the record it corrects are marked in the visit list;
- history and audit lines read as sentences naming the object, in the user's
  language, with the fields' and states' labels.
"""

import pytest

from tests import factories
from tests.browser_support import browser_page, image_loaded, login_as, seeded  # noqa: F401
from tests.visits.conftest import make_violation, make_visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}


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
