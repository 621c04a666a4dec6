"""Every list exports to XLSX and CSV with the page's filters and the user's
visibility, headers in the user's language, dates and amounts typed, formula
cells written as text, an audit row per export; a big export is a job whose
file only its requester downloads, for a limited time."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from core import export_jobs, exports
from core.models import AuditEvent, ExportJob, Notification
from tests import factories
from visits.models import (
    PriceViolation,
    PromotionReceipt,
    UnlicensedReport,
    Visit,
    WeeklySchedule,
    WorkLog,
)

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","点我")'


def _customer(manager, name):
    return factories.CustomerFactory(manager=manager, name=name)


def _visit(manager, name, **fields):
    return Visit.objects.create(
        customer=_customer(manager, name),
        manager=manager,
        kind="special",
        special_reason="x",
        arrived_at="2026-10-08T10:00:00+08:00",
        **fields,
    )


def _row_customers(manager, marker):
    _customer(manager, marker)


def _row_visits(manager, marker):
    _visit(manager, marker)


def _row_sales(manager, marker):
    factories.SalesRecordFactory(customer=_customer(manager, marker))


def _row_complaints(manager, marker):
    factories.ComplaintFactory(customer=_customer(manager, marker))


def _row_reports(manager, marker):
    factories.ReportFactory(manager=manager)


def _row_violations(manager, marker):
    visit = _visit(manager, marker)
    PriceViolation.objects.create(visit=visit, customer=visit.customer, note="n")


def _row_promotions(manager, marker):
    PromotionReceipt.objects.create(
        customer=_customer(manager, marker),
        manager=manager,
        item=marker,
        quantity=2,
        signer_name="s",
        signature="promotions/x.png",
        signature_sha256="0" * 64,
    )


def _row_unlicensed(manager, marker):
    UnlicensedReport.objects.create(
        region=manager.region, reporter=manager, address=marker, description="d"
    )


def _row_work_logs(manager, marker):
    WorkLog.objects.create(author=manager, kind="daily", day="2026-09-01", content=marker)


def _row_schedules(manager, marker):
    WeeklySchedule.objects.create(manager=manager, week_start=datetime.date(2026, 10, 5))


# (export name, builder, whether the row is found by the manager's name instead of the marker)
LISTS = [
    ("customers", _row_customers, False),
    ("visits", _row_visits, False),
    ("sales", _row_sales, False),
    ("complaints", _row_complaints, False),
    ("reports", _row_reports, True),
    ("price-violations", _row_violations, False),
    ("promotions", _row_promotions, False),
    ("unlicensed", _row_unlicensed, False),
    ("work-logs", _row_work_logs, False),
    ("schedules", _row_schedules, True),
]


def _csv(response):
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _xlsx(response):
    content = b"".join(response.streaming_content)
    return openpyxl.load_workbook(io.BytesIO(content)).active


def _cells(rows):
    return {str(value) for row in rows for value in row if value is not None}


def _export(client, name, file_format="csv", **query):
    return client.get(reverse("export_list", args=[name, file_format]), query)


@pytest.mark.parametrize(("name", "build", "by_manager"), LISTS)
def test_each_export_holds_only_what_the_user_sees(
    login, name, build, by_manager, manager, teammate, outsider, regional_manager
):
    for person, marker in ((manager, "MINE"), (teammate, "TEAMMATE"), (outsider, "OUTSIDE")):
        build(person, marker)
    marker_of = {
        "MINE": str(manager) if by_manager else "MINE",
        "TEAMMATE": str(teammate) if by_manager else "TEAMMATE",
        "OUTSIDE": str(outsider) if by_manager else "OUTSIDE",
    }

    regional = _cells(_csv(_export(login(regional_manager), name)))
    assert marker_of["MINE"] in regional
    assert marker_of["TEAMMATE"] in regional
    assert marker_of["OUTSIDE"] not in regional

    own = _cells(_csv(_export(login(manager), name)))
    assert marker_of["MINE"] in own
    assert marker_of["OUTSIDE"] not in own
    if name != "unlicensed":  # a region's unlicensed reports are its managers' to read
        assert marker_of["TEAMMATE"] not in own

    xlsx = _cells(_xlsx(_export(login(manager), name, "xlsx")).iter_rows(values_only=True))
    assert marker_of["MINE"] in xlsx and marker_of["OUTSIDE"] not in xlsx


def test_the_page_has_the_buttons_with_its_filters(login, manager, customer):
    page = login(manager).get(reverse("customer_list"), {"q": "和平", "page": "1"})
    html = page.content.decode()
    assert reverse("export_list", args=["customers", "xlsx"]) + "?q=" in html
    assert reverse("export_list", args=["customers", "csv"]) + "?q=" in html
    assert "page=1" not in html.split("export-buttons")[1].split("</div>")[0]


def test_the_export_keeps_the_filters(login, manager):
    _customer(manager, "和平便利店")
    _customer(manager, "胜利超市")
    rows = _csv(_export(login(manager), "customers", q="胜利"))
    names = {row[1] for row in rows[1:]}
    assert names == {"胜利超市"}


def test_a_bad_filter_goes_back_to_the_page_with_its_message(login, manager):
    response = _export(login(manager), "visits", status="nonsense")
    assert response.status_code == 302
    assert response.url.startswith(reverse("visits:visit_list"))
    assert "status=nonsense" in response.url
    assert not AuditEvent.objects.filter(action="export").exists()


def test_formula_cells_are_text_in_both_files(login, manager):
    _customer(manager, FORMULA)
    _customer(manager, "+86 139")
    _customer(manager, "@SUM(A1)")
    _customer(manager, "-1+2")
    client = login(manager)

    names = {row[1] for row in _csv(_export(client, "customers"))[1:]}
    assert "'" + FORMULA in names
    assert {"'+86 139", "'@SUM(A1)", "'-1+2"} <= names
    assert FORMULA not in names

    sheet = _xlsx(_export(client, "customers", "xlsx"))
    cells = {row[1].value: row[1].data_type for row in sheet.iter_rows(min_row=2)}
    for text in (FORMULA, "+86 139", "@SUM(A1)", "-1+2"):
        assert cells[text] == "s"  # a string cell: shown as typed, never run


def test_dates_and_amounts_are_typed_in_excel(login, manager):
    customer = _customer(manager, "和平便利店")
    factories.SalesRecordFactory(
        customer=customer, amount=Decimal("-12345.67"), quantity=Decimal("10.50")
    )
    sheet = _xlsx(_export(login(manager), "sales", "xlsx"))
    header = [cell.value for cell in sheet[1]]
    row = sheet[2]
    month = row[header.index("月份")]
    amount = row[header.index("购进金额")]
    assert month.is_date and month.value == datetime.datetime(2026, 9, 1)
    assert amount.data_type == "n" and amount.value == pytest.approx(-12345.67)
    assert amount.number_format == "#,##0.00"
    assert sheet[1][0].font.b  # the header is bold

    rows = _csv(_export(login(manager), "sales"))
    line = dict(zip(rows[0], rows[1], strict=True))
    # A negative amount is a number, not a formula: no apostrophe.
    assert line["月份"] == "2026-09-01" and line["购进金额"] == "-12345.67"


def test_datetimes_are_local_excel_dates(login, manager):
    _visit(manager, "和平便利店")
    sheet = _xlsx(_export(login(manager), "visits", "xlsx"))
    arrived = sheet[2][1]
    assert arrived.is_date and arrived.value == datetime.datetime(2026, 10, 8, 10, 0)


def test_headers_in_chinese_by_default(login, manager, customer):
    client = login(manager)
    assert _csv(_export(client, "customers"))[0][:2] == ["客户编码", "名称"]
    sheet = _xlsx(_export(client, "visits", "xlsx"))
    assert sheet[1][1].value == "到达时间"


def test_headers_in_english_on_request(login, manager, customer, english):
    client = login(manager)
    assert _csv(_export(client, "customers"))[0][:2] == ["Customer code", "Name"]
    sheet = _xlsx(_export(client, "customers", "xlsx"))
    assert [cell.value for cell in sheet[1]][:2] == ["Customer code", "Name"]


def test_each_export_is_audited(login, manager, customer):
    _export(login(manager), "customers", "xlsx", q="和平")
    event = AuditEvent.objects.get(action="export")
    assert event.actor == manager
    assert event.data["list"] == "customers" and event.data["format"] == "xlsx"
    assert event.data["rows"] == 1 and event.data["filters"] == {"q": ["和平"]}


def test_audit_trail_export_is_for_admins_only(login, admin_user, regional_manager, manager):
    assert _export(login(manager), "audit").status_code == 404
    assert _export(login(regional_manager), "audit").status_code == 404
    rows = _csv(_export(login(admin_user), "audit"))
    assert rows[0][0] in ("时间", "At")


def test_unknown_export_or_format_is_404(login, manager):
    client = login(manager)
    assert client.get("/exports/nothing/csv/").status_code == 404
    assert client.get("/exports/customers/pdf/").status_code == 404


def test_anonymous_goes_to_login(client):
    response = client.get(reverse("export_list", args=["customers", "csv"]))
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.parametrize("size", [3, 30])
def test_export_query_budget(login, manager, size, django_assert_max_num_queries):
    for n in range(size):
        _visit(manager, f"店{n}")
    client = login(manager)
    # session and user, the manager's customer ids, the bounded count, the
    # audit row (in a savepoint), the session's save, the rows in one query
    # with their joins: the same for 3 rows as for 30.
    with django_assert_max_num_queries(9):
        rows = _csv(_export(client, "visits"))
    assert len(rows) == size + 1


# Big exports: a job -----------------------------------------------------------------------


@pytest.fixture
def small_threshold(settings, tmp_path):
    settings.EXPORT_SYNC_ROWS = 2
    settings.MEDIA_ROOT = tmp_path
    return settings


def test_a_big_export_is_a_job_with_progress_and_a_link(
    login, manager, small_threshold, django_capture_on_commit_callbacks
):
    for n in range(3):
        _customer(manager, f"店{n}")
    client = login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = _export(client, "customers", "xlsx")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("export_job", args=[job.pk])
    assert job.status == "done" and job.rows_done == 3 and job.rows_total == 3

    page = client.get(response.url)
    assert page.status_code == 200
    assert reverse("export_download", args=[job.pk]) in page.content.decode()

    note = Notification.objects.get(user=manager)
    assert note.url == reverse("export_download", args=[job.pk])
    download = client.get(note.url)
    assert download.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.max_row == 4
    assert AuditEvent.objects.get(action="export").data["rows"] == 3


def test_only_the_requester_reaches_the_job(
    login, manager, teammate, regional_manager, admin_user, small_threshold
):
    for n in range(3):
        _customer(manager, f"店{n}")
    job = export_jobs.start_job(
        user=manager, export=exports.get("customers"), file_format="csv", params={}
    )
    export_jobs.run_job(job.pk)
    for other in (teammate, regional_manager, admin_user):
        client = login(other)
        assert client.get(reverse("export_job", args=[job.pk])).status_code == 404
        assert client.get(reverse("export_download", args=[job.pk])).status_code == 404
    assert login(manager).get(reverse("export_download", args=[job.pk])).status_code == 200


def test_the_job_keeps_the_filters_and_the_scope(
    login, manager, teammate, small_threshold, django_capture_on_commit_callbacks
):
    for n in range(3):
        _customer(manager, f"胜利{n}")
    _customer(manager, "和平")
    for n in range(3):
        _customer(teammate, f"胜利T{n}")
    with django_capture_on_commit_callbacks(execute=True):
        _export(login(manager), "customers", "csv", q="胜利")
    job = ExportJob.objects.get()
    with job.file.open("rb") as handle:
        rows = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig"))))
    assert {row[1] for row in rows[1:]} == {"胜利0", "胜利1", "胜利2"}


def test_files_are_kept_a_limited_time(login, manager, small_threshold, travel):
    for n in range(3):
        _customer(manager, f"店{n}")
    travel("2026-10-01 10:00")
    job = export_jobs.start_job(
        user=manager, export=exports.get("customers"), file_format="csv", params={}
    )
    export_jobs.run_job(job.pk)
    job.refresh_from_db()
    path = job.file.path
    travel("2026-10-07 10:00")
    client = login(manager)
    assert client.get(reverse("export_download", args=[job.pk])).status_code == 200
    assert export_jobs.delete_expired() == 0
    travel("2026-10-08 10:01")
    client = login(manager)
    assert client.get(reverse("export_download", args=[job.pk])).status_code == 404
    assert export_jobs.delete_expired() == 1
    assert not ExportJob.objects.exists()
    import os

    assert not os.path.exists(path)


def test_the_beat_deletes_old_exports():
    from config.celery import app

    entry = app.conf.beat_schedule["exports-delete-expired"]
    assert entry["task"] == "core.tasks.delete_expired_exports"
