"""Benchmark helpers that run inside Django, one process per measurement.

``bench/run.py`` calls ``python bench/jobs.py <what> ...``; each prints one
JSON object on its last line: ``seconds`` and ``peak_rss_mib`` (the peak
resident memory of this process) plus what the job returned.

    personas <file>          users to log in as, with ids they may see
    prepare <part> <parts>   monthly preparation of last month, one share of managers
    pdf [warm|cold]          render one approved report PDF, twice
    reminders                the daily reminder job for the next working day
    import                   import 10,000 sales rows from a CSV file (as admin)
    queries                  queries per request at page sizes 1 and 50
"""

import datetime
import json
import os
import sys
import time
from pathlib import Path

from memory import peak_mib

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from core import workdays  # noqa: E402
from core.models import Notification  # noqa: E402
from crm.models import Customer, SalesRecord, User  # noqa: E402
from demo import scale_data  # noqa: E402

IMPORT_ROWS = 10000


def _generated_users(role):
    return User.objects.filter(username__regex=scale_data.USER_PATTERN, role=role).order_by("pk")


def personas(path):
    """Managers and regional managers with the ids they may open, and search terms."""
    from visits.models import Visit

    result = {"manager": [], "regional_manager": [], "admin": []}
    for user in _generated_users(User.Role.MANAGER)[:40]:
        customers = list(Customer.objects.filter(manager=user).values_list("pk", flat=True)[:100])
        names = list(Customer.objects.filter(manager=user).values_list("name", flat=True)[:5])
        visits = list(
            Visit.objects.filter(manager=user)
            .order_by("-arrived_at")
            .values_list("pk", flat=True)[:50]
        )
        result["manager"].append(_persona(user, customers, visits, names))
    for user in _generated_users(User.Role.REGIONAL_MANAGER)[:20]:
        scope = Customer.objects.filter(region_id=user.region_id)
        customers = list(scope.order_by("?").values_list("pk", flat=True)[:200])
        names = list(scope.values_list("name", flat=True)[:5])
        visits = list(
            Visit.objects.filter(customer__region_id=user.region_id)
            .order_by("-arrived_at")
            .values_list("pk", flat=True)[:200]
        )
        result["regional_manager"].append(_persona(user, customers, visits, names))
    admins = _generated_users(User.Role.ADMIN)
    names = list(Customer.objects.filter(scale_data.GENERATED_CUSTOMERS).values_list("name")[:5])
    for user in admins:
        result["admin"].append(_persona(user, [], [], [n for (n,) in names]))
    Path(path).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return {"managers": len(result["manager"]), "regional": len(result["regional_manager"])}


def _persona(user, customers, visits, names):
    # Search terms: a name fragment (place + family name), a code prefix, a licence fragment.
    code = Customer.objects.filter(pk__in=customers[:1]).values_list("code", "licence_number")
    terms = [name[:3] for name in names] + [name[2:5] for name in names[:2]]
    for customer_code, licence in code:
        terms += [customer_code[:6], licence[-7:]]
    if not customers:
        terms += ["S00123", "S0049", "便利店", "和平王", "幸福李", "0000123"]
    return {"username": user.username, "customers": customers, "visits": visits, "terms": terms}


def _last_month():
    from reports.services import last_month

    return last_month()


def prepare_reset():
    """Remove last month's generated reports so the preparation starts from nothing."""
    from reports.models import MonthlyReport

    month = _last_month()
    managers = _generated_users(User.Role.MANAGER)
    deleted = MonthlyReport.objects.filter(month=month, manager__in=managers).delete()[0]
    Notification.objects.filter(user__in=managers, key__startswith="report-ready:").delete()
    return {"month": f"{month:%Y-%m}", "deleted": deleted}


def prepare(part, parts):
    from reports.services import prepare_month

    ids = list(_generated_users(User.Role.MANAGER).values_list("pk", flat=True))
    mine = ids[int(part) :: int(parts)]
    return prepare_month(month=_last_month(), manager_ids=mine)


def pdf(start="warm"):
    """One report PDF in a process started as the web and Celery workers start
    (``warm``: core.pdf.warm_up first), or in a bare process (``cold``)."""
    from core.pdf import warm_up
    from reports.models import MonthlyReport
    from reports.pdf import report_pdf

    warm_up_seconds = round(warm_up(), 2) if start == "warm" else None
    report = (
        MonthlyReport.objects.filter(
            manager__in=_generated_users(User.Role.MANAGER), status="approved"
        )
        .select_related("manager", "region", "approved_by")
        .order_by("-month", "pk")
        .first()
    )
    started = time.monotonic()
    data = report_pdf(report)
    render = time.monotonic() - started
    # A worker renders many: the second one shows the time without first-use costs
    # (fonts loaded, templates compiled).
    started = time.monotonic()
    report_pdf(report)
    return {
        "report": report.pk,
        "bytes": len(data),
        "warm_up_seconds": warm_up_seconds,
        "first_render_seconds": round(render, 2),
        "render_seconds": round(time.monotonic() - started, 2),
    }


def _reminder_day():
    day = timezone.localdate()
    while not workdays.is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def reminders():
    """The job as the scheduler runs it, then the e-mails it queued as a worker sends them.

    The job queues its e-mails in chunks (``core.notifications._send_emails``)
    for the workers; here they are kept while the job is timed and then sent
    by this process, one chunk after the other, as one worker would.
    """
    from unittest import mock

    from core import notifications
    from visits.services.reminders import reminders_send

    day = _reminder_day()
    stamp = f":{day:%Y-%m-%d}"
    # Start from nothing so a second benchmark run does the same work.
    Notification.objects.filter(key__endswith=stamp).delete()
    queued = []
    with mock.patch.object(notifications, "_send_emails", queued.extend):
        started = time.monotonic()
        sent = reminders_send(day=day)
        job_seconds = time.monotonic() - started
    started = time.monotonic()
    emailed = 0
    for start in range(0, len(queued), 200):
        emailed += notifications.send_emails(queued[start : start + 200])[0]
    return {
        "day": f"{day}",
        "sent": sent,
        "job_seconds": round(job_seconds, 2),
        "emails": emailed,
        "email_seconds": round(time.monotonic() - started, 2),
    }


def import_rows():
    """10,000 rows of this month, for generated customers, through the import service."""
    from unittest import mock

    from django.core.files.uploadedfile import SimpleUploadedFile

    from crm import services, tasks
    from crm.services import sales_import_file

    month = timezone.localdate().replace(day=1)
    codes = list(
        Customer.objects.filter(scale_data.GENERATED_CUSTOMERS)
        .order_by("code")
        .values_list("code", flat=True)[:IMPORT_ROWS]
    )
    SalesRecord.objects.filter(month=month, customer__code__in=codes).delete()
    lines = ["customer_code,month,quantity,amount,sales_quantity,sales_amount"]
    for index, code in enumerate(codes):
        amount = 1000 + index % 5000
        lines.append(f"{code},{month:%Y-%m},{amount / 150:.2f},{amount:.2f},,")
    upload = SimpleUploadedFile("bench.csv", "\n".join(lines).encode(), "text/csv")
    admin = _generated_users(User.Role.ADMIN).first()
    started = time.monotonic()
    # 10,000 rows are the worker's: the request stores the file and queues the
    # job, which runs here instead of going to a broker (bench/imports.py has
    # the two parts timed apart, and 100,000-row files).
    with mock.patch.object(tasks.sales_import_run, "delay") as delay:
        batch = sales_import_file(actor=admin, upload=upload)
    request_seconds = time.monotonic() - started
    if delay.called:
        batch = services.sales_import_run(sales_import_id=batch.pk)
    return {
        "rows": batch.row_count,
        "request_seconds": round(request_seconds, 2),
        "job_seconds": round(time.monotonic() - started, 2),
    }


# Queries per request ------------------------------------------------------------------

QUERY_PAGES = [
    # (name, persona role, url, browser page-size setting or None for the API)
    ("customers: list, filtered", "regional_manager", "/customers/?grade=B2", "customers"),
    ("customers: search", "regional_manager", "/customers/?q={term}", "customers"),
    ("customers: search, all", "admin", "/customers/?q={term}", "customers"),
    ("customers: all, page 1", "admin", "/customers/?page=1", "customers"),
    ("customers: detail", "manager", "/customers/{customer}/", None),
    ("visits: list", "regional_manager", "/visits/list/", "visits"),
    ("visits: detail", "manager", "/visits/{visit}/", None),
    ("complaints: list", "regional_manager", "/complaints/", "complaints"),
    ("reports: list", "regional_manager", "/reports/", "reports"),
    ("sales: list", "manager", "/sales/", "sales"),
    ("sales: all", "admin", "/sales/", "sales"),
    ("api: customers", "regional_manager", "/api/customers/?page_size={size}", None),
    ("api: visit records", "regional_manager", "/api/visits/records/?page_size={size}", None),
    ("api: complaints", "regional_manager", "/api/complaints/?page_size={size}", None),
    ("api: reports", "regional_manager", "/api/reports/?page_size={size}", None),
    ("api: sales", "regional_manager", "/api/sales/?page_size={size}", None),
]
PAGE_SETTINGS = {
    "customers": ("crm.views", "CUSTOMERS_PER_PAGE"),
    "visits": ("visits.views.visits", "VISITS_PER_PAGE"),
    "complaints": ("complaints.views", "PER_PAGE"),
    "reports": ("reports.views", "REPORTS_PER_PAGE"),
    "sales": ("crm.views", "SALES_PER_PAGE"),
}


def _infrastructure(sql):
    """The session load and save, the logged-in user, transaction control."""
    return (
        sql.startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK"))
        or '"django_session"' in sql
        or (sql.startswith('SELECT "crm_user"."id"') and 'WHERE "crm_user"."id" = ' in sql)
    )


def queries(personas_path):
    import importlib
    from unittest import mock

    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    people = json.loads(Path(personas_path).read_text(encoding="utf-8"))
    result = {}
    for name, role, template, setting in QUERY_PAGES:
        me = people[role][0]
        user = User.objects.get(username=me["username"])
        client = Client()
        client.force_login(user)
        counts = []
        for size in (1, 50):
            url = template.format(
                term=me["terms"][0],
                customer=(me["customers"] or [0])[0],
                visit=(me["visits"] or [0])[0],
                size=size,
            )
            patcher = (
                mock.patch.object(
                    importlib.import_module(PAGE_SETTINGS[setting][0]),
                    PAGE_SETTINGS[setting][1],
                    size,
                )
                if setting
                else mock.patch.dict({})
            )
            with patcher, CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            if response.status_code != 200:
                counts.append(None)
                continue
            app = [q["sql"] for q in captured.captured_queries if not _infrastructure(q["sql"])]
            counts.append([len(captured), len(app)])
        result[name] = counts
    return result


def main(argv):
    what, args = argv[0], argv[1:]
    started = time.monotonic()
    functions = {
        "personas": personas,
        "prepare-reset": prepare_reset,
        "prepare": prepare,
        "pdf": pdf,
        "reminders": reminders,
        "import": import_rows,
        "queries": queries,
    }
    outcome = functions[what](*args)
    outcome = {"result": outcome, "seconds": round(time.monotonic() - started, 2)}
    outcome["peak_rss_mib"] = peak_mib()
    print(json.dumps(outcome, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main(sys.argv[1:])
