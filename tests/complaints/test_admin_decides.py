"""An admin takes the supervisor's decisions, stands in for an absent regional manager.

SPEC.md: "an admin sees all"; the regional manager "approves complaint
handling". Before, the admin's home counted "complaints awaiting decision" the
admin could not act on (the page showed no buttons, the API answered 403).
Every decision's event row names who decided.
"""

import pytest
from django.urls import reverse

from complaints.models import Complaint, ComplaintEvent

pytestmark = pytest.mark.django_db
S = Complaint.Status


def test_admin_sees_the_decision_buttons_and_approves_on_the_page(login, complaint_at, admin_user):
    complaint = complaint_at("submitted")
    client = login(admin_user)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert reverse("complaints:action", args=[complaint.pk, "approve"]) in page
    assert reverse("complaints:action", args=[complaint.pk, "reject"]) in page

    response = client.post(
        reverse("complaints:action", args=[complaint.pk, "approve"]), {"comment": "代批"}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == S.APPROVED
    assert complaint.decided_by == admin_user
    event = complaint.events.order_by("-pk").first()
    assert event.action == ComplaintEvent.Action.APPROVED
    assert event.actor == admin_user


def test_admin_rejects_through_the_api(api_login, complaint_at, admin_user):
    complaint = complaint_at("submitted")
    response = api_login(admin_user).post(
        f"/api/complaints/{complaint.pk}/reject/", {"reason": "照片不清"}, format="json"
    )
    assert response.status_code == 200
    complaint.refresh_from_db()
    assert complaint.status == S.REJECTED
    assert complaint.events.order_by("-pk").first().actor == admin_user


def test_the_admins_home_queue_leads_to_complaints_they_can_decide(login, complaint_at, admin_user):
    complaint = complaint_at("submitted")
    client = login(admin_user)
    home = client.get(reverse("home"))
    queue = {item["key"]: item for item in home.context["work_queue"]}
    item = queue["complaints_to_decide"]
    assert item["count"] == 1
    listed = client.get(item["url"]).content.decode()
    assert complaint.number in listed
    # The list offers the "To decide" filter to the admin as to the regional manager.
    assert "?to_decide=true" in listed


@pytest.mark.parametrize("persona", ["manager", "teammate", "other_regional_manager"])
def test_others_still_may_not_decide(request, login, complaint_at, persona):
    complaint = complaint_at("submitted")
    client = login(request.getfixturevalue(persona))
    response = client.post(
        reverse("complaints:action", args=[complaint.pk, "approve"]), {"comment": ""}
    )
    # The customer's own manager sees the complaint (403); the others do not (404).
    assert response.status_code == (403 if persona == "manager" else 404)
    complaint.refresh_from_db()
    assert complaint.status == S.SUBMITTED
