"""Sales imports: a hostile or huge file cannot exhaust a web worker, large files
are imported by the worker (all rows or none), and only their owners see them."""

import datetime
import io
import re
import tracemalloc
import zipfile
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from core.models import Notification
from crm import services, tasks
from crm.models import SalesImport, SalesRecord
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = "customer_code,month,quantity,amount\n"
MONTHS = ["2026-01", "2026-02", "2026-03", "2026-04"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def small_sync(settings):
    """Files of more than 5 rows go to the worker."""
    settings.SALES_IMPORT_SYNC_ROWS = 5


@pytest.fixture
def codes(manager):
    return [factories.CustomerFactory(manager=manager, code=f"BIG{n}").code for n in range(3)]


def csv_upload(text, name="sales.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def twelve_rows(codes):
    return "".join(f"{code},{month},10,2000\n" for code in codes for month in MONTHS)


def xlsx_bytes(rows, *, dimension=None):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    if dimension is None:
        return buffer.getvalue()
    # Rewrite the sheet's declared size, as a hostile (or broken) writer would.
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                declared = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
                data = re.sub(rb'<dimension ref="[^"]*" ?/>', declared, data)
                assert declared in data
            target.writestr(item, data)
    return out.getvalue()


def post_api(client, upload, callbacks_fixture, *, run_job=True):
    """POST the file; the job (queued on commit) runs after the response, if asked."""
    with callbacks_fixture(execute=False) as callbacks:
        response = client.post("/api/sales/import/", {"file": upload}, format="multipart")
    if run_job:
        for callback in callbacks:
            callback()
    return response


class TestHostileFiles:
    def test_declared_size_of_a_sheet_is_ignored(
        self, api_login, admin_user, small_sync, english, django_capture_on_commit_callbacks
    ):
        # 52 KB on disk, "A1:XFD1048576" declared, 10,000 rows of one cell: read
        # as declared, every row was padded to 16,384 cells (1.39 GB in a worker).
        data = xlsx_bytes(
            [["customer_code", "month", "quantity", "amount"]] + [["X"]] * 10_000,
            dimension="A1:XFD1048576",
        )
        assert len(data) < 200_000
        upload = SimpleUploadedFile("hostile.xlsx", data)
        tracemalloc.start()
        try:
            response = post_api(api_login(admin_user), upload, django_capture_on_commit_callbacks)
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < 50 * 1024 * 1024
        assert response.status_code == 202
        batch = SalesImport.objects.get(pk=response.json()["id"])
        # Every row is read - four columns wide - and refused; nothing imported.
        assert batch.status == SalesImport.Status.FAILED
        assert batch.error_count == 10_000
        assert len(batch.errors) == 200
        assert batch.errors[0][0] == 2
        assert "unknown customer code X" in batch.errors[0][1]
        assert not SalesRecord.objects.exists()

    def test_a_sheet_that_declares_no_size_is_not_scanned_for_one(
        self, api_login, manager, codes, small_sync, django_capture_on_commit_callbacks
    ):
        # openpyxl's load_workbook() parses such a sheet whole, in the web
        # request, looking for its size; the import never asks for it.
        rows = [["customer_code", "month", "quantity", "amount"]]
        rows += [[code, month, 1, 1] for code in codes for month in MONTHS]
        data = xlsx_bytes(rows, dimension="")
        assert b"<dimension" not in zipfile.ZipFile(io.BytesIO(data)).read(
            "xl/worksheets/sheet1.xml"
        )
        scan = "openpyxl.worksheet._reader.WorkSheetParser.parse_dimensions"
        with mock.patch(scan, side_effect=AssertionError("the sheet was scanned")):
            response = post_api(
                api_login(manager),
                SimpleUploadedFile("nosize.xlsx", data),
                django_capture_on_commit_callbacks,
            )
        assert response.status_code == 202
        assert SalesImport.objects.get().status == SalesImport.Status.DONE
        assert SalesRecord.objects.count() == 12

    def test_a_sheet_without_the_columns_is_refused_at_once(self, api_login, admin_user):
        data = xlsx_bytes([["X"]] * 10_000, dimension="A1:XFD1048576")
        response = api_login(admin_user).post(
            "/api/sales/import/", {"file": SimpleUploadedFile("h.xlsx", data)}, format="multipart"
        )
        assert response.status_code == 400
        assert response.json()["errors"][0]["row"] == 1
        assert "Missing columns" in response.json()["errors"][0]["message"]
        assert not SalesImport.objects.exists()

    def test_a_csv_line_of_a_million_commas_is_refused(self, api_login, admin_user):
        upload = csv_upload(HEADER + "," * 1_000_000 + "\n")
        response = api_login(admin_user).post(
            "/api/sales/import/", {"file": upload}, format="multipart"
        )
        assert response.status_code == 400
        assert response.json()["errors"] == [
            {"row": 2, "message": "the row is too long (at most 10,000 characters)"}
        ]

    def test_more_rows_than_the_limit_are_refused_naming_the_limit(
        self, api_login, manager, codes, settings
    ):
        settings.SALES_IMPORT_MAX_ROWS = 10
        response = api_login(manager).post(
            "/api/sales/import/",
            {"file": csv_upload(HEADER + twelve_rows(codes))},
            format="multipart",
        )
        assert response.status_code == 400
        assert response.json()["errors"] == [
            {"row": 0, "message": "The file has more than 10 rows; split it into smaller files."}
        ]
        assert not SalesRecord.objects.exists()

    def test_the_limit_holds_for_a_file_the_worker_imports(
        self, api_login, manager, codes, settings, small_sync, django_capture_on_commit_callbacks
    ):
        settings.SALES_IMPORT_MAX_ROWS = 10
        client = api_login(manager)
        upload = csv_upload(HEADER + twelve_rows(codes))
        response = post_api(client, upload, django_capture_on_commit_callbacks)
        assert response.status_code == 202
        status = client.get(response.json()["status_url"]).json()
        assert status["status"] == "failed"
        assert status["errors"] == [
            {"row": 0, "message": "The file has more than 10 rows; split it into smaller files."}
        ]
        assert not SalesRecord.objects.exists()


class TestMonths:
    def test_a_day_that_does_not_exist_is_a_row_error(self, login, manager, customer, english):
        upload = csv_upload(HEADER + "C00001,2026-02-30,1,1\nC00001,2026-03-31,1,1\n")
        page = login(manager).post(reverse("sales_import"), {"file": upload}).content.decode()
        assert "Nothing was imported: 1 row has errors." in page
        assert '<td class="text-nowrap">2</td><td>no such date: 2026-02-30</td>' in page
        assert not SalesRecord.objects.exists()

    def test_a_real_day_names_its_month(self, api_login, manager, customer):
        upload = csv_upload(HEADER + "C00001,2026-02-28,1,1\n")
        response = api_login(manager).post(
            "/api/sales/import/", {"file": upload}, format="multipart"
        )
        assert response.status_code == 201
        assert SalesRecord.objects.get().month.isoformat() == "2026-02-01"


class TestBackgroundImport:
    @pytest.mark.parametrize("kind", ["csv", "xlsx"])
    def test_a_large_file_is_queued_then_imported_whole(
        self, kind, api_login, manager, codes, small_sync, django_capture_on_commit_callbacks
    ):
        if kind == "csv":
            upload = csv_upload(HEADER + twelve_rows(codes))
        else:
            rows = [["客户编码", "月份", "购进数量", "购进金额"]]
            rows += [[code, month, 10, 2000] for code in codes for month in MONTHS]
            upload = SimpleUploadedFile("sales.xlsx", xlsx_bytes(rows))
        client = api_login(manager)
        with django_capture_on_commit_callbacks() as callbacks:
            response = client.post("/api/sales/import/", {"file": upload}, format="multipart")
        assert response.status_code == 202
        body = response.json()
        assert body["status"] == "queued"
        assert body["status_url"].endswith(f"/api/sales/imports/{body['id']}/")
        assert not SalesRecord.objects.exists()
        assert client.get(body["status_url"]).json()["status"] == "queued"

        for callback in callbacks:
            callback()

        status = client.get(body["status_url"]).json()
        assert status["status"] == "done"
        assert (status["rows_checked"], status["rows_total"], status["row_count"]) == (12, 12, 12)
        assert status["months"] == "2026-01, 2026-02, 2026-03, 2026-04"
        assert status["finished_at"]
        assert SalesRecord.objects.filter(batch_id=body["id"]).count() == 12
        notification = Notification.objects.get(user=manager, key=f"sales-import-{body['id']}")
        assert notification.url == reverse("sales_import_detail", args=[body["id"]])
        # The stored upload is gone once the job has ended.
        assert not SalesImport.objects.get(pk=body["id"]).file

    def test_one_bad_row_and_nothing_is_imported(
        self, api_login, manager, codes, small_sync, django_capture_on_commit_callbacks
    ):
        text = HEADER + twelve_rows(codes) + "NOPE,2026-05,1,1\n"
        client = api_login(manager)
        response = post_api(client, csv_upload(text), django_capture_on_commit_callbacks)
        status = client.get(response.json()["status_url"]).json()
        assert status["status"] == "failed"
        assert status["row_count"] == 0
        assert status["error_count"] == 1
        assert status["errors"] == [{"row": 14, "message": "unknown customer code NOPE"}]
        assert not SalesRecord.objects.exists()
        notification = Notification.objects.get(user=manager)
        assert notification.key == f"sales-import-{response.json()['id']}"

    def test_running_the_job_again_changes_nothing(
        self, api_login, manager, codes, small_sync, django_capture_on_commit_callbacks
    ):
        client = api_login(manager)
        response = post_api(
            client, csv_upload(HEADER + twelve_rows(codes)), django_capture_on_commit_callbacks
        )
        batch_id = response.json()["id"]
        record = SalesRecord.objects.filter(batch_id=batch_id).first()
        record.quantity = 999
        record.save()

        # A redelivered task: the import is no longer queued, so it is not run twice.
        assert tasks.sales_import_run(batch_id) is None
        record.refresh_from_db()
        assert record.quantity == 999
        assert SalesImport.objects.get(pk=batch_id).status == SalesImport.Status.DONE
        assert Notification.objects.filter(user=manager).count() == 1

    def test_the_request_does_not_read_a_large_file(
        self, api_login, manager, codes, django_assert_max_num_queries
    ):
        # 50,000 rows: the web request reads the header and at most
        # SALES_IMPORT_SYNC_ROWS rows, stores the file and queues the job; it
        # checks no row against the database (the worker does).
        text = HEADER + "".join(f"{codes[0]},2026-01,1,1\n" for _n in range(50_000))
        client = api_login(manager)
        # session user, the import row (+ audit row), savepoints
        with django_assert_max_num_queries(8):
            response = client.post(
                "/api/sales/import/", {"file": csv_upload(text)}, format="multipart"
            )
        assert response.status_code == 202
        batch = SalesImport.objects.get()
        assert (batch.status, batch.rows_checked) == (SalesImport.Status.QUEUED, 0)


class TestBrowser:
    def test_a_large_file_goes_to_its_page_which_follows_the_job(
        self, login, manager, codes, small_sync, english, django_capture_on_commit_callbacks
    ):
        client = login(manager)
        upload = csv_upload(HEADER + twelve_rows(codes))
        with django_capture_on_commit_callbacks() as callbacks:
            response = client.post(reverse("sales_import"), {"file": upload})
        batch = SalesImport.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("sales_import_detail", args=[batch.pk])

        page = client.get(response["Location"]).content.decode()
        assert "sales.csv is large: it is being imported in the background." in page
        assert "Waiting for the worker to start the import" in page
        assert "0 of 0 rows checked" in page
        assert '<meta http-equiv="refresh" content="3">' in page

        for callback in callbacks:
            callback()
        page = client.get(response["Location"]).content.decode()
        assert "Imported 12 rows of sales.csv (months: 2026-01, 2026-02, 2026-03, 2026-04)." in page
        assert 'http-equiv="refresh"' not in page

    def test_the_progress_is_shown_while_it_runs(self, login, manager, english):
        batch = SalesImport.objects.create(
            file_name="big.csv",
            imported_by=manager,
            status=SalesImport.Status.RUNNING,
            rows_total=120_000,
            rows_checked=45_000,
        )
        page = login(manager).get(reverse("sales_import_detail", args=[batch.pk])).content.decode()
        assert "45,000 of 120,000 rows checked" in page
        assert '<progress class="w-100 mb-2" value="45000" max="120000"' in page

    def test_a_failed_import_lists_its_bad_rows_and_how_many_more(self, login, manager, english):
        batch = SalesImport.objects.create(
            file_name="bad.csv",
            imported_by=manager,
            status=SalesImport.Status.FAILED,
            errors=[[row, "unknown customer code NOPE"] for row in range(2, 202)],
            error_count=450,
        )
        page = login(manager).get(reverse("sales_import_detail", args=[batch.pk])).content.decode()
        assert "Nothing was imported: 450 rows have errors." in page
        assert page.count("unknown customer code NOPE") == 200
        assert "and 250 more rows" in page


class TestWhoSeesAnImport:
    @pytest.fixture
    def batch(self, manager):
        return SalesImport.objects.create(
            file_name="mine.csv", imported_by=manager, status=SalesImport.Status.DONE
        )

    @pytest.mark.parametrize("persona", ["teammate", "outsider", "other_regional_manager"])
    def test_others_get_404(self, request, persona, batch, login, api_login):
        user = request.getfixturevalue(persona)
        assert login(user).get(reverse("sales_import_detail", args=[batch.pk])).status_code == 404
        assert api_login(user).get(f"/api/sales/imports/{batch.pk}/").status_code == 404

    @pytest.mark.parametrize("persona", ["manager", "regional_manager", "admin_user"])
    def test_the_importer_their_regional_manager_and_admins_see_it(
        self, request, persona, batch, login, api_login
    ):
        user = request.getfixturevalue(persona)
        page = login(user).get(reverse("sales_import_detail", args=[batch.pk]))
        assert page.status_code == 200
        assert "mine.csv" in page.content.decode()
        assert (
            api_login(user).get(f"/api/sales/imports/{batch.pk}/").json()["file_name"] == "mine.csv"
        )

    def test_the_recent_list_shows_only_the_visible_ones(self, batch, login, teammate, manager):
        SalesImport.objects.create(file_name="theirs.csv", imported_by=teammate)
        page = login(manager).get(reverse("sales_import")).content.decode()
        assert "mine.csv" in page and "theirs.csv" not in page

    def test_the_admin_home_lists_only_imports_that_stored_rows(self, login, admin_user, manager):
        SalesImport.objects.create(file_name="good.csv", imported_by=manager, row_count=3)
        SalesImport.objects.create(
            file_name="bad.csv", imported_by=manager, status=SalesImport.Status.FAILED
        )
        page = login(admin_user).get(reverse("home")).content.decode()
        assert "good.csv" in page and "bad.csv" not in page


class TestLostWorker:
    """A worker killed mid-job leaves its import running; the sweep queues it again."""

    def _left_running(self, client, codes, callbacks_fixture):
        response = post_api(
            client, csv_upload(HEADER + twelve_rows(codes)), callbacks_fixture, run_job=False
        )
        batch_id = response.json()["id"]
        # What a killed worker leaves: claimed, some rows checked, nothing stored,
        # the file still there.
        SalesImport.objects.filter(pk=batch_id).update(
            status=SalesImport.Status.RUNNING, rows_checked=5
        )
        return batch_id

    def test_an_import_whose_worker_was_lost_is_run_again_once(
        self, api_login, manager, codes, small_sync, django_capture_on_commit_callbacks
    ):
        client = api_login(manager)
        batch_id = self._left_running(client, codes, django_capture_on_commit_callbacks)
        # Before the sweep, a redelivered task cannot claim it: it is "running".
        assert tasks.sales_import_run(batch_id) is None

        later = timezone.now() + datetime.timedelta(minutes=16)
        with django_capture_on_commit_callbacks(execute=True):
            assert services.sales_imports_requeue_stale(now=later) == [batch_id]
        status = client.get(f"/api/sales/imports/{batch_id}/").json()
        assert status["status"] == "done"
        assert SalesRecord.objects.filter(batch_id=batch_id).count() == 12
        # A second sweep finds nothing to do.
        assert services.sales_imports_requeue_stale(now=later) == []
        assert Notification.objects.filter(user=manager).count() == 1

    def test_a_running_import_with_recent_progress_is_left_alone(
        self, api_login, manager, codes, small_sync, django_capture_on_commit_callbacks
    ):
        client = api_login(manager)
        batch_id = self._left_running(client, codes, django_capture_on_commit_callbacks)
        soon = timezone.now() + datetime.timedelta(minutes=5)
        assert services.sales_imports_requeue_stale(now=soon) == []
        assert SalesImport.objects.get(pk=batch_id).status == SalesImport.Status.RUNNING

    def test_a_queued_import_whose_message_was_lost_is_queued_again(
        self, api_login, manager, codes, small_sync, django_capture_on_commit_callbacks
    ):
        client = api_login(manager)
        response = post_api(
            client,
            csv_upload(HEADER + twelve_rows(codes)),
            django_capture_on_commit_callbacks,
            run_job=False,
        )
        later = timezone.now() + datetime.timedelta(minutes=16)
        with django_capture_on_commit_callbacks(execute=True):
            assert services.sales_imports_requeue_stale(now=later) == [response.json()["id"]]
        assert SalesImport.objects.get().status == SalesImport.Status.DONE

    def test_finished_imports_are_never_run_again(
        self, api_login, manager, codes, small_sync, django_capture_on_commit_callbacks
    ):
        client = api_login(manager)
        post_api(
            client, csv_upload(HEADER + twelve_rows(codes)), django_capture_on_commit_callbacks
        )
        later = timezone.now() + datetime.timedelta(days=1)
        assert services.sales_imports_requeue_stale(now=later) == []
