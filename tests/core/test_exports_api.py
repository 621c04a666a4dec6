"""The same exports from the API's list endpoints (``export/``), in the schema."""

import csv
import io

import openpyxl
import pytest
from django.test import Client

from accounts.services import token_create
from core.models import AuditEvent, ExportJob
from tests import factories

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/customers/export/",
    "/api/sales/export/",
    "/api/visits/records/export/",
    "/api/visits/schedules/export/",
    "/api/visits/price-violations/export/",
    "/api/visits/promotions/export/",
    "/api/visits/unlicensed/export/",
    "/api/visits/work-logs/export/",
    "/api/complaints/export/",
    "/api/reports/export/",
}


def _rows(response):
    content = b"".join(response.streaming_content)
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_every_list_export_is_in_the_schema(api_login, admin_user):
    schema = api_login(admin_user).get("/api/schema/?format=json").json()
    assert set(schema["paths"]) >= ENDPOINTS
    operation = schema["paths"]["/api/visits/records/export/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    # The list's filters, and the file's format.
    assert {"file_format", "status", "kind", "customer"} <= names
    assert set(operation["responses"]["200"]["content"]) == {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "text/csv",
    }
    assert "202" in operation["responses"]


def test_api_export_has_the_users_rows_only(api_login, manager, teammate, outsider):
    factories.CustomerFactory(manager=manager, name="MINE")
    factories.CustomerFactory(manager=teammate, name="TEAMMATE")
    factories.CustomerFactory(manager=outsider, name="OUTSIDE")
    response = api_login(manager).get("/api/customers/export/", {"file_format": "csv"})
    assert response.status_code == 200
    rows = _rows(response)
    assert rows[0][:2] == ["Customer code", "Name"]  # the API client asks for English
    assert {row[1] for row in rows[1:]} == {"MINE"}
    assert AuditEvent.objects.get(action="export").actor == manager


def test_api_export_xlsx_with_filters(api_login, manager):
    factories.CustomerFactory(manager=manager, name="和平便利店")
    factories.CustomerFactory(manager=manager, name="胜利超市")
    response = api_login(manager).get("/api/customers/export/", {"q": "胜利"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["胜利超市"]


def test_api_export_bad_input_is_400_with_field_messages(api_login, manager):
    client = api_login(manager)
    response = client.get("/api/visits/records/export/", {"status": "nonsense"})
    assert response.status_code == 400 and "status" in response.json()
    response = client.get("/api/visits/records/export/", {"file_format": "pdf"})
    assert response.status_code == 400 and "file_format" in response.json()


def test_api_big_export_is_a_job_for_its_requester_only(
    api_login, manager, teammate, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.EXPORT_SYNC_ROWS = 1
    settings.MEDIA_ROOT = tmp_path
    factories.CustomerFactory.create_batch(2, manager=manager)
    client = api_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/api/customers/export/", {"file_format": "csv"})
    assert response.status_code == 202
    job = ExportJob.objects.get()
    status = client.get(f"/api/exports/{job.pk}/").json()
    assert status["status"] == "done" and status["rows_done"] == 2
    # The download link takes the API's token.
    download = _token_client(manager).get(status["download_url"])
    assert download.status_code == 200 and len(_rows(download)) == 3

    assert api_login(teammate).get(f"/api/exports/{job.pk}/").status_code == 404
    assert _token_client(teammate).get(status["download_url"]).status_code == 404


def _token_client(user):
    _token, key = token_create(user=user, device="script")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def test_a_format_parameter_does_not_change_the_answer(api_login, manager, customer):
    client = api_login(manager)
    response = client.get("/api/reports/export/", {"file_format": "csv", "format": "nonsense"})
    assert response.status_code == 200
    response = client.get("/api/customers/export/", {"file_format": "csv"}, HTTP_ACCEPT="image/png")
    assert response.status_code == 200
