"""'Reports to review' counts what the user decides: a manager who moved to another region
takes their submitted report to the new region's regional manager."""

import pytest
import time_machine
from django.urls import reverse

from crm import services as crm_services
from tests import factories


def _queue(client, user):
    client.force_login(user)
    return {
        item["key"]: item["count"] for item in client.get(reverse("home")).context["work_queue"]
    }


@pytest.mark.django_db
def test_a_moved_managers_submitted_report_waits_on_the_new_region(client):
    east, west = factories.RegionFactory(code="E"), factories.RegionFactory(code="W")
    east_lead = factories.RegionalManagerFactory(region=east)
    west_lead = factories.RegionalManagerFactory(region=west)
    admin = factories.AdminFactory()
    manager = factories.ManagerFactory(region=east)
    with time_machine.travel("2026-10-02 10:00 +08:00", tick=False):
        report = factories.ReportFactory(manager=manager, reviewer=east_lead, status="submitted")
        assert _queue(client, east_lead)["reports_to_review"] == 1
        assert _queue(client, west_lead)["reports_to_review"] == 0

        crm_services.user_update(user=manager, actor=admin, data={"region": west})

        assert _queue(client, east_lead)["reports_to_review"] == 0
        assert _queue(client, west_lead)["reports_to_review"] == 1
        assert _queue(client, admin)["reports_to_review"] == 1
        # The count is what the new lead may act on; the old one may not.
        client.force_login(east_lead)
        assert client.post(reverse("reports:report_approve", args=[report.pk])).status_code == 403
