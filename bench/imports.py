"""Sales import figures, runnable alone: ``.venv/bin/python bench/imports.py``.

Not a timed test: it prints what an import costs, each measurement in a fresh
process so that its peak resident memory (``VmHWM``, the high-water mark,
which includes Django's own ~60 MiB) is the import's and nothing else's:

1. the hostile workbook: 10,000 one-cell rows in a sheet that declares
   ``A1:XFD1048576`` (about 50 KB), read and checked through the web request
   and the worker's job; target: peak ≤ 100 MiB;
2. 100,000 rows from a CSV, and 100,000 rows from an XLSX, imported end to
   end: the web request (which stores the file and queues it) and the
   worker's job (count, check, write), timed apart.

The data set is small and generated: by default a fresh SQLite database in
``/tmp/crm_bench_imports`` (migrated, one region, one admin, 8,334 customers;
the 100,000 rows are 12 months of each). ``--database-url postgres://...``
runs it against a PostgreSQL database instead (it must exist; it is migrated
and the customers are added once).

``--before`` also reads the hostile workbook the way the import did before
(openpyxl believing the declared size), to show what was fixed: about 1.4 GB.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from memory import peak_mib

ROOT = Path(__file__).resolve().parent.parent
WORK = Path("/tmp/crm_bench_imports")
ROWS = 100_000
MONTHS = 12
HOSTILE_ROWS = 10_000
HEADER = ["customer_code", "month", "quantity", "amount", "sales_quantity", "sales_amount"]


def _setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


# Files -------------------------------------------------------------------------------


def _codes():
    return [f"IMP{n:05d}" for n in range(-(-ROWS // MONTHS))]


def _rows():
    for index, code in enumerate(_codes()):
        for month in range(1, MONTHS + 1):
            if index * MONTHS + month > ROWS:
                return
            amount = 1000 + (index * 7 + month) % 5000
            yield [code, f"2025-{month:02d}", f"{amount / 150:.2f}", f"{amount:.2f}", "", ""]


def write_files():
    import csv
    import re
    import zipfile

    from openpyxl import Workbook

    WORK.mkdir(parents=True, exist_ok=True)
    with open(WORK / "rows.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(_rows())
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for row in _rows():
        sheet.append(row)
    workbook.save(WORK / "rows.xlsx")
    # The hostile file: a header, then 10,000 one-cell rows, and a declared size
    # of the whole sheet (16,384 columns by 1,048,576 rows).
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER[:4])
    for _n in range(HOSTILE_ROWS):
        sheet.append(["X"])
    workbook.save(WORK / "plain.xlsx")
    with (
        zipfile.ZipFile(WORK / "plain.xlsx") as source,
        zipfile.ZipFile(WORK / "hostile.xlsx", "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                declared = b'<dimension ref="A1:XFD1048576"/>'
                data = re.sub(rb'<dimension ref="[^"]*" ?/>', declared, data)
            target.writestr(item, data)
    names = ("rows.csv", "rows.xlsx", "hostile.xlsx")
    return {name: (WORK / name).stat().st_size for name in names}


# Database ----------------------------------------------------------------------------


def prepare_database():
    """Migrate, and add the region, the admin and the customers once."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from crm.models import Customer, Grade, Region, User

    region, _ = Region.objects.get_or_create(code="IMP", defaults={"name": "Import bench"})
    admin, _ = User.objects.get_or_create(
        username="import-bench-admin", defaults={"role": User.Role.ADMIN}
    )
    manager, _ = User.objects.get_or_create(
        username="import-bench-manager",
        defaults={"role": User.Role.MANAGER, "region": region},
    )
    grade = Grade.objects.order_by("pk").first()
    have = set(Customer.objects.filter(code__startswith="IMP").values_list("code", flat=True))
    Customer.objects.bulk_create(
        [
            Customer(
                code=code,
                name=f"Import bench {code}",
                licence_number=f"L{code}",
                manager=manager,
                region=region,
                grade=grade,
                joined_on=datetime.date(2024, 1, 1),
            )
            for code in _codes()
            if code not in have
        ],
        batch_size=2000,
    )
    return {"customers": Customer.objects.filter(code__startswith="IMP").count()}


# Measurements (each in its own process) ----------------------------------------------


def import_end_to_end(path, *, actor=None):
    """The web request's part, then the worker's job, timed apart.

    The request's ``delay()`` is caught so that the job runs here, in this
    process, instead of going to a broker.
    """
    from unittest import mock

    from django.core.files.uploadedfile import SimpleUploadedFile

    from crm import services, tasks
    from crm.models import SalesImport, SalesRecord, User
    from crm.sales_import import SalesImportError

    actor = actor or User.objects.get(username="import-bench-admin")
    SalesRecord.objects.filter(customer__code__startswith="IMP").delete()
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    started = time.monotonic()
    with mock.patch.object(tasks.sales_import_run, "delay") as delay:
        try:
            batch = services.sales_import_file(actor=actor, upload=upload)
        except SalesImportError as exc:
            return {
                "request_s": round(time.monotonic() - started, 2),
                "status": "refused at once",
                "errors": exc.count,
            }
    request_seconds = time.monotonic() - started
    request_peak = peak_mib()
    started = time.monotonic()
    if delay.called:
        services.sales_import_run(sales_import_id=batch.pk)
    job_seconds = time.monotonic() - started
    batch = SalesImport.objects.get(pk=batch.pk)
    return {
        "request_s": round(request_seconds, 2),
        "request_peak_rss_mib": request_peak,
        "job_s": round(job_seconds, 2),
        "status": batch.status,
        "rows_imported": batch.row_count,
        "rows_checked": batch.rows_checked,
        "errors": batch.error_count,
    }


def read_hostile_before(path):
    """The way the import read a workbook before: every row padded to the declared width."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    table = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return {"rows": len(table), "cells_in_memory": sum(len(row) for row in table)}


def measure(what, path):
    baseline = peak_mib()
    started = time.monotonic()
    if what == "import":
        outcome = import_end_to_end(Path(path))
    elif what == "traced":
        # What the import itself allocates, Django's own memory aside.
        tracemalloc.start()
        outcome = import_end_to_end(Path(path))
        outcome["traced_peak_mib"] = round(tracemalloc.get_traced_memory()[1] / 1024**2, 1)
        tracemalloc.stop()
    else:
        outcome = read_hostile_before(Path(path))
    outcome["seconds"] = round(time.monotonic() - started, 2)
    outcome["baseline_rss_mib"] = baseline
    outcome["peak_rss_mib"] = peak_mib()
    print(json.dumps(outcome))


def _run(what, path, env):
    process = subprocess.run(
        [sys.executable, __file__, "_measure", what, str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if process.returncode:
        raise SystemExit(f"{what} {path} failed:\n{process.stdout}\n{process.stderr}")
    return json.loads(process.stdout.strip().splitlines()[-1])


def _machine():
    cores = os.cpu_count()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return (
        f"{cores} cores, {memory:.1f} GiB RAM, Python {platform.python_version()}, "
        f"Linux {platform.release()}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=f"sqlite:///{WORK / 'imports.sqlite3'}")
    parser.add_argument(
        "--before", action="store_true", help="also read the hostile file as before"
    )
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "CRM_VAR_DIR": str(WORK / "var"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    os.environ.update(env)
    _setup_django()
    from django.conf import settings
    from django.db import connection

    sizes = write_files()
    data = prepare_database()
    engine = connection.vendor
    now = datetime.datetime.now(datetime.UTC)
    print(f"Sales import figures ({now:%Y-%m-%d %H:%M} UTC)")
    print(f"Machine: {_machine()}; database: {engine}; {data['customers']:,} customers.")
    print(
        f"SALES_IMPORT_SYNC_ROWS={settings.SALES_IMPORT_SYNC_ROWS:,}, "
        f"SALES_IMPORT_MAX_ROWS={settings.SALES_IMPORT_MAX_ROWS:,}"
    )
    print()
    print("| file | size | request | job | status | peak memory (process) |")
    print("|---|---:|---:|---:|---|---:|")
    cases = [
        ("hostile.xlsx: A1:XFD1048576 declared, 10,000 one-cell rows", "hostile.xlsx"),
        ("100,000 rows, CSV", "rows.csv"),
        ("100,000 rows, XLSX", "rows.xlsx"),
    ]
    for label, name in cases:
        result = _run("import", WORK / name, env)
        status = result["status"]
        if result.get("errors"):
            status += f", {result['errors']:,} bad rows listed"
        else:
            status += f", {result.get('rows_imported', 0):,} rows imported"
        job = f"{result['job_s']} s" if "job_s" in result else "-"
        print(
            f"| {label} | {sizes[name] / 1024:,.0f} KB | {result['request_s']} s | {job} | "
            f"{status} | {result['peak_rss_mib']} MiB (Django alone "
            f"{result['baseline_rss_mib']} MiB) |"
        )
    if args.before:
        result = _run("before", WORK / "hostile.xlsx", env)
        print(
            f"| hostile.xlsx read as before (declared size believed) | "
            f"{sizes['hostile.xlsx'] / 1024:,.0f} KB | {result['seconds']} s | - | "
            f"{result['cells_in_memory']:,} cells in memory | {result['peak_rss_mib']} MiB |"
        )

    result = _run("traced", WORK / "hostile.xlsx", env)
    print()
    print(
        f"hostile.xlsx, request and job: {result['traced_peak_mib']} MiB allocated by Python "
        "at the peak (tracemalloc, which counts openpyxl's import too), on top of "
        "Django's own memory."
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_measure":
        _setup_django()
        measure(sys.argv[2], sys.argv[3])
    else:
        main()
