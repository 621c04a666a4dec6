"""Grades, regions, users, calendar, schema: who may read and who may write."""

import pytest

from core.models import CalendarDay
from crm.models import Grade, User
from tests import factories

pytestmark = pytest.mark.django_db


class TestGrades:
    def test_everyone_reads_the_scheme(self, api_login, manager):
        codes = [grade["code"] for grade in api_login(manager).get("/api/grades/").json()]
        assert codes == ["A1", "A2", "B1", "B2", "C", "D"]

    @pytest.mark.parametrize("persona", ["manager", "regional_manager"])
    def test_only_admins_change_it(self, request, api_login, persona):
        client = api_login(request.getfixturevalue(persona))
        response = client.patch(
            f"/api/grades/{factories.grade('A1').pk}/", {"visit_interval_days": 3}
        )
        assert response.status_code == 403
        assert factories.grade("A1").visit_interval_days == 7

    def test_admin_edits_thresholds_and_intervals(self, api_login, admin_user):
        client = api_login(admin_user)
        response = client.patch(
            f"/api/grades/{factories.grade('A1').pk}/", {"visit_interval_days": 5}
        )
        assert response.status_code == 200
        assert factories.grade("A1").visit_interval_days == 5

    def test_inverted_range_is_a_field_error(self, api_login, admin_user):
        response = api_login(admin_user).patch(
            f"/api/grades/{factories.grade('A2').pk}/", {"max_annual_amount": "100"}
        )
        assert response.status_code == 400
        assert "max_annual_amount" in response.json()

    def test_a_grade_in_use_cannot_be_deleted(self, api_login, admin_user, customer):
        response = api_login(admin_user).delete(f"/api/grades/{customer.grade.pk}/")
        assert response.status_code == 409
        assert Grade.objects.filter(pk=customer.grade.pk).exists()


class TestUsers:
    @pytest.mark.parametrize("persona", ["manager", "regional_manager"])
    def test_not_for_non_admins(self, request, api_login, persona):
        client = api_login(request.getfixturevalue(persona))
        assert client.get("/api/users/").status_code == 403
        assert (
            client.post(
                "/api/users/", {"username": "x", "password": "pw-Long-enough-1"}
            ).status_code
            == 403
        )

    def test_admin_creates_a_manager(self, api_login, admin_user, region):
        response = api_login(admin_user).post(
            "/api/users/",
            {
                "username": "newbie",
                "password": "Longer-pass-2026",
                "role": "manager",
                "region": region.code,
            },
        )
        assert response.status_code == 201, response.json()
        assert "password" not in response.json()
        assert User.objects.get(username="newbie").check_password("Longer-pass-2026")

    def test_weak_password_and_missing_region_are_field_errors(self, api_login, admin_user):
        response = api_login(admin_user).post(
            "/api/users/", {"username": "weak", "password": "123", "role": "manager"}
        )
        assert response.status_code == 400
        assert "password" in response.json()
        response = api_login(admin_user).post(
            "/api/users/", {"username": "weak", "password": "Longer-pass-2026", "role": "manager"}
        )
        assert response.status_code == 400
        assert "region" in response.json()
        assert not User.objects.filter(username="weak").exists()

    # 1 count + 1 page of users joined with their region.
    @pytest.mark.parametrize("size", [1, 25])
    def test_query_budget(self, api_login, admin_user, region, size, django_assert_max_num_queries):
        factories.ManagerFactory.create_batch(size, region=region)
        client = api_login(admin_user)
        with django_assert_max_num_queries(2):
            client.get("/api/users/")


class TestRegions:
    def test_manager_reads_but_cannot_create(self, api_login, manager):
        client = api_login(manager)
        assert client.get("/api/regions/").json()["count"] == 1
        assert client.post("/api/regions/", {"code": "N", "name": "北"}).status_code == 403

    def test_duplicate_code_is_a_field_error(self, api_login, admin_user, region):
        response = api_login(admin_user).post(
            "/api/regions/", {"code": region.code, "name": "重复"}
        )
        assert response.status_code == 400
        assert "code" in response.json()


class TestCalendar:
    def test_lists_a_years_exceptions(self, api_login, manager):
        response = api_login(manager).get("/api/calendar/", {"year": 2026, "page_size": 100})
        days = {row["date"]: row["kind"] for row in response.json()["results"]}
        assert days["2026-10-01"] == "holiday"
        assert days["2026-09-20"] == "workday"

    def test_working_day_answers(self, api_login, manager):
        body = (
            api_login(manager)
            .get("/api/calendar/working-day/", {"date": "2026-09-30", "add": 3})
            .json()
        )
        assert body["is_working_day"] is True
        assert body["date_plus_working_days"] == "2026-10-10"
        body = api_login(manager).get("/api/calendar/working-day/", {"date": "2026-10-05"}).json()
        assert (body["is_working_day"], body["next_working_day"]) == (False, "2026-10-08")

    def test_working_day_bad_input_is_400(self, api_login, manager):
        response = api_login(manager).get(
            "/api/calendar/working-day/", {"date": "2026-02-30", "add": -1}
        )
        assert response.status_code == 400
        assert set(response.json()) == {"date", "add"}

    def test_only_admins_maintain_it(self, api_login, manager, admin_user):
        payload = {"date": "2026-11-20", "kind": "holiday", "name": "临时调整"}
        assert api_login(manager).post("/api/calendar/", payload).status_code == 403
        assert api_login(admin_user).post("/api/calendar/", payload).status_code == 201
        assert CalendarDay.objects.filter(date="2026-11-20").exists()
        duplicate = api_login(admin_user).post("/api/calendar/", payload)
        assert duplicate.status_code == 400 and "date" in duplicate.json()


def test_schema_and_docs(client, manager):
    # Both need a signed-in user (tests/test_schema_login.py).
    client.force_login(manager)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/customers/{id}/reassign/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()


def test_openapi_schema_is_valid_and_generates_without_warnings(tmp_path):
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    text = target.read_text()
    for route in ("/api/customers/", "/api/visits/records/", "/api/complaints/", "/api/reports/"):
        assert route in text
