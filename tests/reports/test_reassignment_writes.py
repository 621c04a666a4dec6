"""A monthly report is written by its own manager only and reviewed by that
manager's regional manager *now*: a manager moved to another region takes their
submitted report to the new region's manager; the old one still reads it
(it was made in their region) but approves or returns nothing.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.models import Notification
from reports import services
from reports.models import MonthlyReport, ReportEvent
from tests.reassignment import table_state

pytestmark = pytest.mark.django_db


def move(user, region):
    user.region = region
    user.save()


def snapshot():
    return table_state(MonthlyReport, ("status", "problems"), ReportEvent)


class TestReviewFollowsTheManagersRegion:
    def test_old_regional_manager_reads_but_no_longer_reviews(
        self, api_login, login, submitted, manager, other_region, regional_manager
    ):
        move(manager, other_region)
        before = snapshot()
        api = api_login(regional_manager)
        assert api.get(f"/api/reports/{submitted.pk}/").status_code == 200
        assert api.post(f"/api/reports/{submitted.pk}/approve/", {}).status_code == 403
        returned = api.post(
            f"/api/reports/{submitted.pk}/return/", {"comment": "请补充"}, format="json"
        )
        assert returned.status_code == 403
        client = login(regional_manager)
        page = client.get(submitted.get_absolute_url()).content.decode()
        assert reverse("reports:report_approve", args=[submitted.pk]) not in page
        response = client.post(reverse("reports:report_approve", args=[submitted.pk]), {})
        assert response.status_code == 403
        with pytest.raises(PermissionDenied):
            services.report_approve(report=submitted, actor=regional_manager)
        assert snapshot() == before

    def test_the_new_regional_manager_sees_and_approves(
        self, api_login, login, submitted, manager, other_region, other_regional_manager
    ):
        move(manager, other_region)
        page = login(other_regional_manager).get(submitted.get_absolute_url())
        assert page.status_code == 200
        assert reverse("reports:report_approve", args=[submitted.pk]) in page.content.decode()
        response = api_login(other_regional_manager).post(
            f"/api/reports/{submitted.pk}/approve/", {"comment": "同意"}
        )
        assert response.status_code == 200, response.content
        submitted.refresh_from_db()
        assert (submitted.status, submitted.approved_by) == ("approved", other_regional_manager)

    def test_submitting_after_the_move_tells_the_new_regional_manager(
        self, report, manager, other_region, regional_manager, other_regional_manager
    ):
        move(manager, other_region)
        services.report_update_sections(report=report, actor=manager, data={"problems": "库存偏高"})
        services.report_submit(report=report, actor=manager)
        told = set(
            Notification.objects.filter(key__startswith="report-submitted:").values_list(
                "user__username", flat=True
            )
        )
        assert told == {other_regional_manager.username}


class TestOnlyTheReportsManagerWrites:
    def test_others_who_see_it_get_403_and_others_404(
        self, api_login, report, teammate, regional_manager, admin_user
    ):
        before = snapshot()
        body = {"problems": "改写"}
        url = f"/api/reports/{report.pk}/"
        assert api_login(teammate).patch(url, body, format="json").status_code == 404
        for supervisor in (regional_manager, admin_user):
            client = api_login(supervisor)
            assert client.patch(url, body, format="json").status_code == 403
            assert client.post(url + "submit/").status_code == 403
        assert snapshot() == before
