"""Export figures, runnable alone: ``.venv/bin/python bench/exports.py``.

Not a timed test: it prints what exporting 100,000 visits costs, each
measurement in a fresh process so that its peak resident memory
(``VmHWM``, Django's own ~80 MiB included) is the export's alone:

- the worker's job (``core.export_jobs.run_job``: count, write every row with
  the visit list's columns, store the file, notify, audit), XLSX and CSV;
- the writer alone streaming into a throw-away file, as a direct answer does.

Targets (issue 15): ≤ 30 s and ≤ 200 MiB for 100,000 visits.

The data set is generated: by default a fresh SQLite database in
``/tmp/crm_bench_exports`` (migrated; one region, one admin, 20 managers,
2,000 customers, 100,000 visits bulk-created once). ``--database-url
postgres://...`` runs it against a PostgreSQL database instead (it must exist;
it is migrated and the rows are added once).
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from memory import peak_mib

ROOT = Path(__file__).resolve().parent.parent
WORK = Path("/tmp/crm_bench_exports")
VISITS = 100_000
CUSTOMERS = 2_000
MANAGERS = 20


def _setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def prepare_database():
    """Migrate, and add the region, users, customers and visits once."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from crm.models import Customer, Grade, Region, User
    from visits.models import Visit

    region, _ = Region.objects.get_or_create(code="EXP", defaults={"name": "导出测试区域"})
    User.objects.get_or_create(username="export-bench-admin", defaults={"role": User.Role.ADMIN})
    managers = []
    for n in range(MANAGERS):
        user, _ = User.objects.get_or_create(
            username=f"export-bench-m{n:02d}",
            defaults={"role": User.Role.MANAGER, "region": region, "first_name": f"经理{n}"},
        )
        managers.append(user)
    grade = Grade.objects.order_by("pk").first()
    if not Customer.objects.filter(code__startswith="EXP").exists():
        Customer.objects.bulk_create(
            [
                Customer(
                    code=f"EXP{n:05d}",
                    name=f"导出便利店{n}",
                    licence_number=f"EXPLIC{n:07d}",
                    address="人民路 1 号",
                    region=region,
                    manager=managers[n % MANAGERS],
                    grade=grade,
                    joined_on=datetime.date(2024, 1, 1),
                )
                for n in range(CUSTOMERS)
            ],
            batch_size=1000,
        )
    customers = list(Customer.objects.filter(code__startswith="EXP").order_by("code"))
    have = Visit.objects.filter(customer__code__startswith="EXP").count()
    start = datetime.datetime(2025, 1, 1, 9, 0, tzinfo=datetime.UTC)
    batch = []
    for n in range(have, VISITS):
        customer = customers[n % len(customers)]
        arrived = start + datetime.timedelta(minutes=7 * n)
        batch.append(
            Visit(
                customer=customer,
                manager_id=customer.manager_id,
                kind="special",
                special_reason="电话约访",
                status="locked",
                arrived_at=arrived,
                departed_at=arrived + datetime.timedelta(minutes=25),
                findings=f"陈列整齐，库存正常 {n}",
                customer_opinions="=希望增加畅销品规格" if n % 100 == 0 else "希望增加畅销品规格",
            )
        )
        if len(batch) == 5000:
            Visit.objects.bulk_create(batch)
            batch = []
    if batch:
        Visit.objects.bulk_create(batch)
    return {"visits": Visit.objects.filter(customer__code__startswith="EXP").count()}


def measure(what, file_format):
    """One measurement in this (fresh) process; prints a JSON line."""
    _setup_django()
    from django.http import QueryDict

    from core import export_jobs, exports
    from core.models import ExportJob
    from crm.models import User

    admin = User.objects.get(username="export-bench-admin")
    export = exports.get("visits")
    baseline = peak_mib()
    started = time.monotonic()
    cpu_started = time.process_time()
    if what == "job":
        job = export_jobs.start_job(
            user=admin, export=export, file_format=file_format, params=QueryDict()
        )
        export_jobs.run_job(job.pk)
        job.refresh_from_db()
        rows, size, status = job.rows_done, job.file.size, job.status
    else:
        queryset = exports.rows(export, user=admin, params=QueryDict())
        path = WORK / f"direct.{file_format}"
        with path.open("wb") as target:
            exports.write_file(export, queryset, file_format, target)
        rows, size, status = queryset.count(), path.stat().st_size, "written"
    seconds = round(time.monotonic() - started, 2)
    cpu = round(time.process_time() - cpu_started, 2)
    ExportJob.objects.all().delete()
    print(
        json.dumps(
            {
                "rows": rows,
                "bytes": size,
                "status": status,
                "seconds": seconds,
                "cpu_seconds": cpu,
                "baseline_rss_mib": baseline,
                "peak_rss_mib": peak_mib(),
            }
        )
    )


def _run(what, file_format, env):
    process = subprocess.run(
        [sys.executable, __file__, "_measure", what, file_format],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if process.returncode:
        raise SystemExit(f"{what} {file_format} failed:\n{process.stdout}\n{process.stderr}")
    return json.loads(process.stdout.strip().splitlines()[-1])


def _machine():
    cores = os.cpu_count()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    load = os.getloadavg()[0]
    return (
        f"{cores} cores, {memory:.1f} GiB RAM, Python {platform.python_version()}, "
        f"Linux {platform.release()}, load average {load:.1f}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=f"sqlite:///{WORK / 'exports.sqlite3'}")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "CRM_VAR_DIR": str(WORK / "var"),
        "MEDIA_ROOT": str(WORK / "media"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CELERY_TASK_ALWAYS_EAGER": "1",
    }
    os.environ.update(env)
    _setup_django()
    from django.db import connection

    started = time.monotonic()
    data = prepare_database()
    prepared = time.monotonic() - started
    now = datetime.datetime.now(datetime.UTC)
    print(f"Export figures ({now:%Y-%m-%d %H:%M} UTC)")
    print(f"Machine: {_machine()}; database: {connection.vendor}.")
    print(f"{data['visits']:,} visits (data ready in {prepared:.1f} s); visit list columns.")
    print()
    print("| what | format | rows | file | time | CPU time | peak memory (process) | targets |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for what, label in (("job", "worker's job"), ("direct", "writer alone")):
        for file_format in ("xlsx", "csv"):
            result = _run(what, file_format, env)
            met = result["seconds"] <= 30 and result["peak_rss_mib"] <= 200
            print(
                f"| {label} | {file_format.upper()} | {result['rows']:,} | "
                f"{result['bytes'] / 1024 / 1024:.1f} MiB | {result['seconds']:.2f} s | "
                f"{result['cpu_seconds']:.2f} s | "
                f"{result['peak_rss_mib']:.1f} MiB (Django alone "
                f"{result['baseline_rss_mib']:.1f}) | {'met' if met else 'NOT met'} |"
            )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_measure":
        measure(sys.argv[2], sys.argv[3])
    else:
        main()
