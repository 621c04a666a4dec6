"""The reports API: visibility, roles, states and the list's query budget."""

import pytest

from reports import services
from reports.models import MonthlyReport
from tests import factories
from tests.reports.conftest import SEPTEMBER, sale

pytestmark = pytest.mark.django_db


def url(report, action=""):
    return f"/api/reports/{report.pk}/" + (f"{action}/" if action else "")


class TestVisibility:
    def test_each_role_lists_what_it_may_see(
        self, api_login, report, manager, teammate, outsider, regional_manager, admin_user
    ):
        services.prepare_month(month=SEPTEMBER)
        ids = {user.username: user.monthly_reports.get().pk for user in (teammate, outsider)}

        def listed(user):
            return {row["id"] for row in api_login(user).get("/api/reports/").json()["results"]}

        assert listed(manager) == {report.pk}
        assert listed(regional_manager) == {report.pk, ids["teammate"]}
        assert listed(admin_user) == {report.pk, ids["teammate"], ids["outsider"]}

    @pytest.mark.parametrize("persona", ["teammate", "outsider", "other_regional_manager"])
    def test_someone_elses_report_is_404(self, request, api_login, submitted, persona):
        client = api_login(request.getfixturevalue(persona))
        assert client.get(url(submitted)).status_code == 404
        assert client.patch(url(submitted), {"problems": "x"}, format="json").status_code == 404
        assert client.post(url(submitted, "approve")).status_code == 404
        assert client.get(url(submitted, "pdf")).status_code == 404

    def test_detail_carries_the_sections(self, api_login, report, manager):
        body = api_login(manager).get(url(report)).json()
        assert body["month"] == "2026-09"
        assert body["due_date"] == "2026-10-08"
        assert body["figures"]["total"]["amount"] == "1000.00"
        assert body["forecast"]["method"] == "moving_average_3"

    def test_filters(self, api_login, report, admin_user):
        client = api_login(admin_user)
        assert client.get("/api/reports/?month=2026-09").json()["count"] == 1
        assert client.get("/api/reports/?month=2026-08").json()["count"] == 0
        assert client.get("/api/reports/?status=approved").json()["count"] == 0
        assert client.get("/api/reports/?month=sept").status_code == 400


class TestWorkflow:
    def test_the_whole_round(self, api_login, report, manager, regional_manager):
        client = api_login(manager)
        response = client.patch(url(report), {"problems": "竞品冲击"}, format="json")
        assert response.status_code == 200
        assert response.json()["problems"] == "竞品冲击"
        assert client.post(url(report, "submit")).json()["status"] == "submitted"

        reviewer = api_login(regional_manager)
        response = reviewer.post(
            url(report, "return"), {"comments": {"b": "原因分析不足"}}, format="json"
        )
        assert response.status_code == 200
        assert response.json()["status"] == "returned"
        assert response.json()["comments"][0]["text"] == "原因分析不足"

        client = api_login(manager)
        assert client.post(url(report, "submit")).status_code == 200
        reviewer = api_login(regional_manager)
        response = reviewer.post(url(report, "approve"), {"comment": "同意"}, format="json")
        assert response.json()["status"] == "approved"
        assert response.json()["approved_by"]["username"] == "regional"

    def test_submit_without_section_b_is_400(self, api_login, report, manager):
        response = api_login(manager).post(url(report, "submit"))
        assert response.status_code == 400
        assert "problems" in response.json()

    @pytest.mark.parametrize("persona", ["regional_manager", "admin_user"])
    def test_a_reviewer_may_not_edit_or_submit(self, request, api_login, report, persona):
        client = api_login(request.getfixturevalue(persona))
        assert client.patch(url(report), {"problems": "x"}, format="json").status_code == 403
        assert client.post(url(report, "submit")).status_code == 403
        assert client.post(url(report, "refresh")).status_code == 403

    def test_the_manager_may_not_approve_their_own(self, api_login, submitted, manager):
        client = api_login(manager)
        assert client.post(url(submitted, "approve")).status_code == 403
        assert client.post(url(submitted, "return"), {"comment": "x"}).status_code == 403

    def test_wrong_state_is_409_with_a_message(self, api_login, approved, manager, admin_user):
        response = api_login(admin_user).post(url(approved, "approve"))
        assert response.status_code == 409
        assert response.json()["detail"]
        response = api_login(manager).patch(url(approved), {"problems": "x"}, format="json")
        assert response.status_code == 409
        assert api_login(manager).post(url(approved, "refresh")).status_code == 409

    def test_return_without_comment_is_400(self, api_login, submitted, regional_manager):
        response = api_login(regional_manager).post(url(submitted, "return"), {}, format="json")
        assert response.status_code == 400

    def test_bad_input_is_400(self, api_login, report, manager):
        client = api_login(manager)
        assert client.patch(url(report), {}, format="json").status_code == 400
        assert (
            client.patch(url(report), {"forecast_amount": "-5"}, format="json").status_code == 400
        )

    def test_pdf_of_a_draft_is_409(self, api_login, report, manager):
        assert api_login(manager).get(url(report, "pdf")).status_code == 409

    def test_pdf_of_an_approved_report(self, api_login, approved, manager):
        response = api_login(manager).get(url(approved, "pdf"))
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("managers", [2, 12])
def test_list_query_budget(api_login, admin_user, region, managers, django_assert_max_num_queries):
    for index in range(managers):
        manager = factories.ManagerFactory(username=f"m{index}", region=region)
        sale(factories.CustomerFactory(manager=manager), SEPTEMBER, "100")
    services.prepare_month(month=SEPTEMBER)
    assert MonthlyReport.objects.count() == managers
    client = api_login(admin_user)
    # session-less token auth: count, page of reports with manager, region and
    # approver joined; a couple more for the request's user and savepoints.
    with django_assert_max_num_queries(4):
        response = client.get("/api/reports/")
    assert response.json()["count"] == managers
