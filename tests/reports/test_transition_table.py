"""For each state × persona: the buttons the page shows = the steps the API
accepts = the steps ``reports.transitions`` allows (one table, asked by all)."""

import pytest
from django.db import transaction

from reports import services
from reports.models import MonthlyReport
from reports.transitions import TRANSITIONS
from tests.transition_tables import table_check

pytestmark = pytest.mark.django_db

STATES = ["draft", "submitted", "returned", "approved"]
PERSONAS = ["manager", "teammate", "regional_manager", "other_regional_manager", "admin_user"]
WRITE = {"edit", "refresh", "submit"}
REVIEW = {"approve", "return"}
# Written out here so the test checks the table too.
EXPECTED = {
    ("draft", "manager"): WRITE,
    ("returned", "manager"): WRITE,
    ("submitted", "regional_manager"): REVIEW,
    ("submitted", "admin_user"): REVIEW,
}


def _buttons(html, report):
    """The steps the page offers, read from its forms and buttons."""
    marks = {
        "edit": f'action="/reports/{report.pk}/sections/"',
        "refresh": f'action="/reports/{report.pk}/refresh/"',
        "submit": 'name="submit"',
        "approve": f'action="/reports/{report.pk}/approve/"',
        "return": f'action="/reports/{report.pk}/return/"',
    }
    return {step for step, mark in marks.items() if mark in html}


def _accepted(client, report, step):
    """The API's answer to the step, undone afterwards so each step meets the same state."""
    base = f"/api/reports/{report.pk}/"
    with transaction.atomic():
        if step == "edit":
            response = client.patch(base, {"problems": "库存偏高"}, format="json")
        else:
            data = {"comment": "请补充原因"} if step == "return" else {}
            response = client.post(f"{base}{step}/", data, format="json")
        transaction.set_rollback(True)
    assert response.status_code in (200, 403, 404, 409), (step, response.content)
    return response.status_code == 200


@pytest.fixture
def report_in(report, manager, regional_manager):
    def _make(state):
        # Section b) written, so submitting is refused only by the table.
        services.report_update_sections(report=report, actor=manager, data={"problems": "偏高"})
        if state == "draft":
            return report
        submitted = services.report_submit(report=report, actor=manager)
        if state == "submitted":
            return submitted
        if state == "returned":
            return services.report_return(
                report=submitted, actor=regional_manager, comments={}, comment="请补充"
            )
        return services.report_approve(report=submitted, actor=regional_manager)

    return _make


check = table_check(TRANSITIONS, ("/reports/{pk}/", "/api/reports/{pk}/"), _buttons, _accepted)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_page_buttons_equal_api_steps_equal_table(
    state, persona, request, report_in, client, api_client
):
    report = MonthlyReport.objects.get(pk=report_in(state).pk)
    assert report.status == state
    user = request.getfixturevalue(persona)
    check(user, report, EXPECTED.get((state, persona), set()), client, api_client)
