"""For each state × persona: the buttons the page shows = the steps the API
accepts = the steps ``complaints.transitions`` allows (one table, asked by all)."""

import re

import pytest
from django.db import transaction
from django.utils import timezone

from complaints.models import Complaint
from complaints.transitions import TRANSITIONS
from tests.complaints.conftest import photo_upload, signature
from tests.transition_tables import table_check

pytestmark = pytest.mark.django_db

STAGES = ["open", "inspected", "submitted", "rejected", "approved", "exchanged", "closed"]
PERSONAS = ["manager", "teammate", "regional_manager", "other_regional_manager", "admin_user"]
# What each persona may do, written out here so the test checks the table too.
EXPECTED = {
    ("open", "manager"): {"photo", "inspect"},
    ("inspected", "manager"): {"photo", "inspect", "submit"},
    ("submitted", "regional_manager"): {"approve", "reject"},
    ("submitted", "admin_user"): {"approve", "reject"},
    ("rejected", "manager"): {"photo", "inspect", "correct"},
    ("approved", "manager"): {"exchange"},
    ("exchanged", "manager"): {"close"},
}


def _payload(step):
    today = timezone.localdate().isoformat()
    return {
        "photo": {"photo": photo_upload()},
        "inspect": {"cause": "仓储受潮", "signature": signature(), "signer_name": "王店主"},
        "submit": {},
        "approve": {},
        "reject": {"reason": "原因不清"},
        "correct": {"batch_number": "B20261101"},
        "exchange": {
            "exchange_product": "中华(硬)",
            "exchange_quantity": "2",
            "exchanged_on": today,
            "signature": signature(),
            "signer_name": "王店主",
        },
        "close": {"result": "客户满意"},
    }[step]


def _api_path(complaint, step):
    return f"/api/complaints/{complaint.pk}/{'photos' if step == 'photo' else step}/"


def _accepted(client, complaint, step):
    """The API's answer to the step, undone afterwards so each step meets the same state."""
    with transaction.atomic():
        response = client.post(_api_path(complaint, step), _payload(step), format="multipart")
        transaction.set_rollback(True)
    assert response.status_code in (200, 201, 403, 404, 409), (step, response.content)
    return response.status_code in (200, 201)


def _buttons(html, complaint):
    return set(re.findall(r'data-action="(\w+)"', html))


check = table_check(
    TRANSITIONS, ("/complaints/{pk}/", "/api/complaints/{pk}/"), _buttons, _accepted
)


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_page_buttons_equal_api_steps_equal_table(
    stage, persona, request, complaint_at, regional_manager, client, api_client
):
    from complaints import services

    if stage == "rejected":
        complaint = services.complaint_reject(
            complaint=complaint_at("submitted"), actor=regional_manager, reason="原因不清"
        )
    else:
        complaint = complaint_at(stage)
    user = request.getfixturevalue(persona)
    complaint = Complaint.objects.get(pk=complaint.pk)
    check(user, complaint, EXPECTED.get((stage, persona), set()), client, api_client)
