"""A complaint goes with its customer: the steps belong to the customer's current
manager and the decision to the regional manager of the customer's current region.

After a reassignment the previous manager no longer sees the customer's
complaints (404) and changes none of them; the new manager takes over the form
where it stands. A regional manager whose region the customer left no longer
decides it.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from complaints import services
from complaints.models import Complaint, ComplaintEvent
from tests.complaints.conftest import complaint_fields, inspection_fields
from tests.reassignment import hand_over, table_state

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["teammate", "outsider"])
def new_manager(request):
    return request.getfixturevalue(request.param)


def snapshot():
    return table_state(Complaint, ("status", "cause"), ComplaintEvent)


class TestManagerSteps:
    def test_previous_manager_gets_404_everywhere_and_nothing_changes(
        self, api_login, login, manager, customer, new_manager, admin_user, complaint_at
    ):
        complaint = complaint_at("open")
        hand_over(customer, new_manager, admin_user)
        before = snapshot()
        api = api_login(manager)
        assert api.get(f"/api/complaints/{complaint.pk}/").status_code == 404
        response = api.post(f"/api/complaints/{complaint.pk}/inspect/", inspection_fields())
        assert response.status_code == 404
        page = login(manager).post(
            reverse("complaints:action", args=[complaint.pk, "inspect"]), inspection_fields()
        )
        assert page.status_code == 404
        assert snapshot() == before

    def test_the_service_refuses_a_copy_read_before_the_reassignment(
        self, manager, customer, teammate, admin_user, complaint_at
    ):
        complaint = complaint_at("open")
        assert complaint.customer.manager == manager  # as the caller read it
        hand_over(customer, teammate, admin_user)
        before = snapshot()
        with pytest.raises(PermissionDenied):
            services.complaint_inspect(complaint=complaint, actor=manager, **inspection_fields())
        with pytest.raises(PermissionDenied):
            services.complaint_open(
                actor=manager,
                customer=customer,
                reported_on=complaint.reported_on,
                **complaint_fields(),
            )
        assert snapshot() == before

    def test_new_manager_takes_the_form_where_it_stands(
        self, api_login, login, customer, new_manager, admin_user, complaint_at
    ):
        complaint = complaint_at("open")
        hand_over(customer, new_manager, admin_user)
        page = login(new_manager).get(complaint.get_absolute_url()).content.decode()
        assert reverse("complaints:action", args=[complaint.pk, "inspect"]) in page
        response = api_login(new_manager).post(
            f"/api/complaints/{complaint.pk}/inspect/", inspection_fields()
        )
        assert response.status_code == 200, response.content
        complaint.refresh_from_db()
        assert complaint.status == Complaint.Status.INSPECTED
        assert complaint.events.last().actor == new_manager


class TestDecision:
    def test_old_regional_manager_no_longer_decides_a_customer_moved_away(
        self, api_login, login, customer, outsider, admin_user, regional_manager, complaint_at
    ):
        complaint = complaint_at("submitted")
        hand_over(customer, outsider, admin_user)
        before = snapshot()
        api = api_login(regional_manager)
        assert api.post(f"/api/complaints/{complaint.pk}/approve/", {}).status_code == 404
        page = login(regional_manager).post(
            reverse("complaints:action", args=[complaint.pk, "approve"]), {}
        )
        assert page.status_code == 404
        with pytest.raises(PermissionDenied):
            services.complaint_approve(complaint=complaint, actor=regional_manager)
        assert snapshot() == before

    def test_the_new_regional_manager_decides(
        self, api_login, customer, outsider, admin_user, other_regional_manager, complaint_at
    ):
        complaint = complaint_at("submitted")
        hand_over(customer, outsider, admin_user)
        response = api_login(other_regional_manager).post(
            f"/api/complaints/{complaint.pk}/approve/", {"comment": "同意调换"}
        )
        assert response.status_code == 200, response.content
        complaint.refresh_from_db()
        assert (complaint.status, complaint.decided_by) == (
            Complaint.Status.APPROVED,
            other_regional_manager,
        )
