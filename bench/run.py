"""Province-scale benchmark: ``.venv/bin/python bench/run.py``.

1. Make sure PostgreSQL database ``crm_bench`` exists on 127.0.0.1:5432
   (user postgres, trust), migrate it and, if it holds no generated data,
   run ``manage.py generate_scale_data`` at full size (timed).
2. Count the queries of each page at page sizes 1 and 50 (Django test client).
3. Start gunicorn with production-like settings and drive it with locust,
   headless: 20 users (managers, regional managers, two admins).
4. Time the jobs in their own processes, with peak memory: the monthly
   preparation for all managers in 2 processes, one report PDF, the daily
   reminders, an import of 10,000 sales rows.
5. Print the table with each target beside its figure and write it, with
   the date and the machine, to ``bench/RESULTS.md``.

Options: ``--duration`` seconds of load (default 90), ``--users`` (20),
``--warm-up`` seconds of load before counting starts (15), ``--skip-load``,
``--skip-jobs``, ``--generate "--customers 5000 ..."`` to generate a smaller
data set into an empty database.

``--scale 10`` runs the same at ten times the province (500,000 customers,
5,000 managers in 100 regions, 10,000,000 visits) in its own database,
``crm_bench_x10``. Each run keeps its figures in ``bench/results-x<scale>.json``;
when the other size's figures are there, the report sets both sizes side by
side with the ratio of each p95 (target at 10×: ≤ 1.5× of 1×).

``--steps 20,40,80`` adds the throughput steps: the same load at each number
of users, with requests/s and p95, and the step where p95 crosses 150 ms.

The report goes to ``bench/RESULTS.md`` (1×) or ``bench/RESULTS-x10.md``;
what follows the line ``<!-- notes -->`` in it is written by hand (the layout
chosen for the big tables, the profile) and kept.
"""

import argparse
import csv
import datetime
import importlib.util
import json
import os
import platform
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
PORT = 8765
NOTES_MARK = "<!-- notes -->"
# What each size generates (generate_scale_data's arguments); 1 is SPEC.md's province.
SCALES = {
    1: "",
    10: (
        "--customers 500000 --managers 5000 --regions 100 --visits 10000000 "
        "--complaints 50000 --reports 60000"
    ),
}
# Job targets per size: (monthly preparation, daily reminders) in seconds.
JOB_TARGETS = {1: (300, 30), 10: (300, 60)}
# Set by main() for the size being measured.
DB_NAME = "crm_bench"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
WORK = Path("/tmp/crm_bench")


def use_scale(scale):
    global DB_NAME, DB_URL, WORK
    DB_NAME = "crm_bench" if scale == 1 else f"crm_bench_x{scale}"
    DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
    WORK = Path("/tmp/crm_bench" if scale == 1 else f"/tmp/crm_bench_x{scale}")


# (row name, kind, target in ms); kinds: list 150, detail 80, search 100.
TARGETS = {
    "customers: list, filtered": 150,
    "visits: list": 150,
    "complaints: list": 150,
    "reports: list": 150,
    "sales: list": 150,
    "sales: all": 150,
    "api: customers": 150,
    "api: visit records": 150,
    "api: complaints": 150,
    "api: reports": 150,
    "api: sales": 150,
    "customers: all, page 1": 150,
    "customers: all, page 1000": 150,
    "visits: all, page 1": 150,
    "visits: all, page 1000": 150,
    "customers: detail": 80,
    "visits: detail": 80,
    "customers: search": 100,
    "customers: search, all": 100,
}
QUERY_LIMIT = 8


def env():
    values = dict(os.environ)
    values.update(
        DATABASE_URL=DB_URL,
        DEBUG="False",
        SECRET_KEY="bench-secret-key-not-for-production-0123456789abcdefghijklmnop",
        ALLOWED_HOSTS="127.0.0.1,testserver",
        SECURE_SSL_REDIRECT="False",
        SESSION_COOKIE_SECURE="False",
        CSRF_COOKIE_SECURE="False",
        STATIC_MANIFEST="False",
        SECURE_HSTS_SECONDS="0",
        CELERY_TASK_ALWAYS_EAGER="True",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
        # Each simulated user logs in once; a high limit keeps axes out of the way.
        LOGIN_FAILURE_LIMIT="1000",
        PYTHONPATH=str(ROOT),
    )
    return values


def say(message):
    print(message, flush=True)


def run(args, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env(), check=True, **kwargs)


def job(*args):
    """Run ``bench/jobs.py`` in its own process; its last output line is JSON."""
    output = run([PYTHON, str(BENCH / "jobs.py"), *args], capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def ensure_locust():
    """locust drives the load; pyinstrument samples bench/profile.py's requests."""
    if shutil.which("locust", path=str(BIN)) and importlib.util.find_spec("pyinstrument"):
        return
    say("Installing locust and pyinstrument into the virtualenv (bench/requirements.txt) …")
    run([PYTHON, "-m", "pip", "install", "-q", "-r", str(BENCH / "requirements.txt")])


def ensure_database(generate_args):
    import psycopg2

    connection = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE DATABASE {DB_NAME}")
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    connection.close()
    run([PYTHON, "manage.py", "migrate", "-v0"])
    connection = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname=DB_NAME)
    # No transaction left open while the data is generated: it would keep
    # VACUUM from marking the new rows visible to all (index-only scans).
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM crm_customer WHERE code LIKE 'S%%'")
        customers = cursor.fetchone()[0]
    # The generation's time is kept beside the database, for the runs that find it made.
    record = WORK / "generation.json"
    generation = json.loads(record.read_text())["seconds"] if record.exists() else None
    if customers == 0:
        say("Generating the data set (this takes a while) …")
        started = time.monotonic()
        run([PYTHON, "manage.py", "generate_scale_data", *shlex.split(generate_args)])
        generation = time.monotonic() - started
        record.write_text(json.dumps({"seconds": round(generation, 1)}))
    sizes = {}
    with connection.cursor() as cursor:
        for table in (
            "crm_customer",
            "crm_salesrecord",
            "visits_visit",
            "complaints_complaint",
            "reports_monthlyreport",
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")
            sizes[table] = cursor.fetchone()[0]
    connection.close()
    return version, generation, sizes


def start_gunicorn(workers):
    WORK.mkdir(exist_ok=True)
    log = open(WORK / "gunicorn.log", "w")  # noqa: SIM115 - lives as long as the server
    # The settings are production's (gunicorn.conf.py, read from cwd); only
    # what that file takes from the environment differs.
    values = env()
    values.update(GUNICORN_BIND=f"127.0.0.1:{PORT}", GUNICORN_WORKERS=str(workers))
    if not os.environ.get("BENCH_ACCESS_LOG"):
        values.update(GUNICORN_ACCESS_LOG="", GUNICORN_LOG_LEVEL="warning")
    server = subprocess.Popen(
        [str(BIN / "gunicorn")],
        cwd=ROOT,
        env=values,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz/", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not start; see /tmp/crm_bench/gunicorn.log")


def stop(server):
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def load(personas, users, duration, warm_up):
    prefix = WORK / "locust"
    environment = env()
    environment["BENCH_PERSONAS"] = str(personas)
    environment["BENCH_WARM_UP"] = str(warm_up)
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(BENCH / "locustfile.py"),
            "--headless",
            f"--users={users}",
            f"--spawn-rate={users}",
            f"--run-time={duration + warm_up}s",
            f"--host=http://127.0.0.1:{PORT}",
            f"--csv={prefix}",
            "--only-summary",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=environment,
        check=False,
        stdout=subprocess.DEVNULL,
    )
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def machine(pg_version):
    memory = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory = int(line.split()[1]) / 1024 / 1024
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return (
        f"{os.cpu_count()} cores ({model}), {memory:.1f} GiB RAM, PostgreSQL {pg_version}, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def _queries_text(counts):
    """'12 (7) / 12 (7)' and whether the page's own queries meet the target."""
    if not counts:
        return "—", True
    if None in counts:
        return "error", False
    text = " / ".join(f"{total} ({own})" for total, own in counts)
    own = [own for _total, own in counts]
    return text, own[0] == own[1] <= QUERY_LIMIT


def mark(ok):
    return "met" if ok else "NOT met"


def load_table(stats, query_counts, out):
    out(
        "| endpoint | requests | failures | req/s | p50 ms | p95 ms | p99 ms | p95 target "
        "| queries at 1 / 50 rows: all (page) | verdict |"
    )
    out("|---|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for name, target in TARGETS.items():
        row = stats.get(name)
        if row is None:
            continue
        p95 = float(row["95%"])
        counts_text, queries_ok = _queries_text(query_counts.get(name))
        verdict = mark(p95 <= target and queries_ok and row["Failure Count"] == "0")
        out(
            f"| {name} | {row['Request Count']} | {row['Failure Count']} "
            f"| {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} "
            f"| ≤ {target} | {counts_text} | {verdict} |"
        )
    total = stats.get("Aggregated")
    if total:
        out(
            f"| all requests | {total['Request Count']} | {total['Failure Count']} "
            f"| {float(total['Requests/s']):.1f} | {total['50%']} | {total['95%']} "
            f"| {total['99%']} | | | |"
        )
    out()


def steps_table(steps, out):
    """The throughput steps: one line per number of users, and where p95 crosses 150 ms."""
    out("| users | requests | failures | req/s | p50 ms | p95 ms | p99 ms |")
    out("|---:|---:|---:|---:|---:|---:|---:|")
    crossed = None
    for users, total in steps:
        out(
            f"| {users} | {total['Request Count']} | {total['Failure Count']} "
            f"| {float(total['Requests/s']):.1f} | {total['50%']} | {total['95%']} "
            f"| {total['99%']} |"
        )
        if crossed is None and float(total["95%"]) > 150:
            crossed = users
    out()
    if crossed is None:
        out(f"- p95 stays within 150 ms up to {steps[-1][0]} users.")
    else:
        out(f"- p95 crosses 150 ms at {crossed} users.")
    out()


def compare(figures, out):
    """Both sizes side by side, when both have been measured."""
    small = BENCH / "results-x1.json"
    large = BENCH / "results-x10.json"
    if not (small.exists() and large.exists()):
        return
    one, ten = json.loads(small.read_text()), json.loads(large.read_text())
    out("## Both sizes side by side (p95 at 10× within 1.5× of 1×)")
    out()
    out(f"1×: {one['data']} ({one['date']}). 10×: {ten['data']} ({ten['date']}).")
    out()
    out("| endpoint | p95 1× ms | p95 10× ms | ratio | queries 1× | queries 10× | verdict |")
    out("|---|---:|---:|---:|---|---|---|")
    for name in TARGETS:
        a, b = one["p95"].get(name), ten["p95"].get(name)
        if a is None or b is None:
            continue
        qa, qb = one["queries"].get(name), ten["queries"].get(name)
        ratio = b / a if a else 0
        same = qa == qb
        out(
            f"| {name} | {a:.0f} | {b:.0f} | {ratio:.2f}× | {_queries_text(qa)[0]} "
            f"| {_queries_text(qb)[0]} | {mark(ratio <= 1.5 and same)} |"
        )
    out()
    out("| job | 1× | 10× | ratio | target at 10× |")
    out("|---|---:|---:|---:|---|")
    for name, target in (
        ("monthly preparation", "≤ 300 s"),
        ("daily reminders", "≤ 60 s"),
        ("reminders' e-mails", "—"),
        ("generation", "printed"),
    ):
        a, b = one["jobs"].get(name), ten["jobs"].get(name)
        if a is None or b is None:
            continue
        out(f"| {name} | {a:.1f} s | {b:.1f} s | {b / a if a else 0:.1f}× | {target} |")
    out()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=90)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument(
        "--warm-up", type=int, default=15, help="Seconds of load before counting starts."
    )
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--skip-jobs", action="store_true")
    parser.add_argument("--scale", type=int, choices=sorted(SCALES), default=1)
    parser.add_argument("--steps", default="", help="Numbers of users, e.g. 20,40,80.")
    parser.add_argument("--generate", default=None, help="Arguments for generate_scale_data.")
    options = parser.parse_args()
    use_scale(options.scale)
    WORK.mkdir(exist_ok=True)
    lines = []
    figures = {"p95": {}, "queries": {}, "jobs": {}}

    def out(text=""):
        say(text)
        lines.append(text)

    ensure_locust()
    generate = SCALES[options.scale] if options.generate is None else options.generate
    pg_version, generation, sizes = ensure_database(generate)
    data = ", ".join(f"{table} {count:,}" for table, count in sizes.items())
    figures["data"] = data
    figures["date"] = f"{datetime.datetime.now():%Y-%m-%d %H:%M}"
    if generation:
        figures["jobs"]["generation"] = generation
    out(f"# Benchmark results at {options.scale}× ({figures['date']})")
    out()
    out(f"Machine: {machine(pg_version)}.")
    out(
        f"Data ({DB_NAME}): {data}" + (f"; generated in {generation:.0f} s." if generation else ".")
    )
    out(
        f"Load: {options.users} users (13:5:2 managers : regional managers : admins), "
        f"{options.duration} s counted after a {options.warm_up} s warm-up (logins, first "
        f"requests of each worker), gunicorn {options.workers} sync workers; "
        "locust, gunicorn and PostgreSQL share the machine."
    )
    out()
    personas = WORK / "personas.json"
    job("personas", str(personas))
    query_counts = job("queries", str(personas))["result"]
    figures["queries"] = query_counts

    if not options.skip_load:
        server = start_gunicorn(options.workers)
        try:
            stats = load(personas, options.users, options.duration, options.warm_up)
            steps = [
                (users, load(personas, users, options.duration, options.warm_up)["Aggregated"])
                for users in (int(n) for n in options.steps.split(",") if n.strip())
            ]
        finally:
            stop(server)
        out("## Pages and API under load")
        out()
        load_table(stats, query_counts, out)
        figures["p95"] = {
            name: float(row["95%"]) for name, row in stats.items() if row["95%"] != "N/A"
        }
        for first, deep in (
            ("customers: all, page 1", "customers: all, page 1000"),
            ("visits: all, page 1", "visits: all, page 1000"),
        ):
            if first in stats and deep in stats:
                a, b = float(stats[first]["50%"]), float(stats[deep]["50%"])
                ratio = b / a if a else 0
                out(
                    f"- {deep} vs page 1 (median): {b:.0f} ms vs {a:.0f} ms = {ratio:.2f}× "
                    f"(target ≤ 2×): {mark(ratio <= 2)}"
                )
        out()
        if steps:
            out(f"## Throughput steps (gunicorn {options.workers} sync workers)")
            out()
            steps_table(steps, out)
    out("## Queries per request (Django test client, page sizes 1 and 50)")
    out()
    out(
        "All queries of a request, and in brackets the page's own: without the session "
        "load and save, the logged-in user and BEGIN/COMMIT, which every page pays. "
        f"Target: ≤ {QUERY_LIMIT}, the same at both sizes (judged on the page's own)."
    )
    out()
    for name, counts in query_counts.items():
        text, ok = _queries_text(counts)
        out(f"- {name}: {text}: {mark(ok)}")
    out()

    if not options.skip_jobs:
        prepare_target, reminders_target = JOB_TARGETS[options.scale]
        out("## Jobs")
        out()
        out("| job | time | target | peak memory | verdict |")
        out("|---|---:|---:|---:|---|")
        job("prepare-reset")
        started = time.monotonic()
        workers = [
            subprocess.Popen(
                [PYTHON, str(BENCH / "jobs.py"), "prepare", str(part), "2"],
                cwd=ROOT,
                env=env(),
                stdout=subprocess.PIPE,
                text=True,
            )
            for part in range(2)
        ]
        results = [json.loads(w.communicate()[0].strip().splitlines()[-1]) for w in workers]
        elapsed = time.monotonic() - started
        figures["jobs"]["monthly preparation"] = elapsed
        created = sum(r["result"]["created"] for r in results)
        peak = max(r["peak_rss_mib"] for r in results)
        out(
            f"| monthly preparation, {created} reports, 2 processes | {elapsed:.1f} s "
            f"| ≤ {prepare_target} s | {peak:.0f} MiB per process "
            f"| {mark(elapsed <= prepare_target)} |"
        )
        cold = job("pdf", "cold")["result"]
        result = job("pdf", "warm")
        render = result["result"]
        ok = render["first_render_seconds"] <= 2 and result["peak_rss_mib"] <= 500
        out(
            f"| one report PDF: first in a worker (which loads WeasyPrint and the fonts "
            f"as it starts, {render['warm_up_seconds']:.2f} s), next "
            f"{render['render_seconds']:.2f} s; in a bare process first "
            f"{cold['first_render_seconds']:.2f} s | {render['first_render_seconds']:.2f} s "
            f"| ≤ 2 s | {result['peak_rss_mib']:.0f} MiB (≤ 500) | {mark(ok)} |"
        )
        result = job("reminders")
        seconds = result["result"]["job_seconds"]
        figures["jobs"]["daily reminders"] = seconds
        out(
            f"| daily reminders over {sizes['visits_visit']:,} visits, "
            f"{result['result']['sent']} sent | {seconds:.1f} s | ≤ {reminders_target} s "
            f"| {result['peak_rss_mib']:.0f} MiB | {mark(seconds <= reminders_target)} |"
        )
        emails = result["result"]["email_seconds"]
        figures["jobs"]["reminders' e-mails"] = emails
        out(
            f"| their {result['result']['emails']:,} e-mails, queued by the job in chunks of "
            f"200, sent by one worker after it | {emails:.1f} s | — | (same process) | — |"
        )
        result = job("import")
        out(
            f"| import of {result['result']['rows']:,} sales rows (CSV) "
            f"| {result['result']['job_seconds']:.1f} s | ≤ 10 s "
            f"| {result['peak_rss_mib']:.0f} MiB | {mark(result['result']['job_seconds'] <= 10)} |"
        )
        out()
    kept = BENCH / f"results-x{options.scale}.json"
    if kept.exists() and (options.skip_load or options.skip_jobs):
        # A partial run keeps the other figures of the last full one.
        previous = json.loads(kept.read_text())
        for key in ("p95", "jobs"):
            figures[key] = {**previous.get(key, {}), **figures[key]}
    kept.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    compare(figures, out)
    results = BENCH / ("RESULTS.md" if options.scale == 1 else f"RESULTS-x{options.scale}.md")
    notes = ""
    if results.exists() and NOTES_MARK in results.read_text(encoding="utf-8"):
        notes = results.read_text(encoding="utf-8").split(NOTES_MARK, 1)[1]
    results.write_text("\n".join(lines) + "\n" + NOTES_MARK + notes, encoding="utf-8")
    say(f"Written to {results}")


if __name__ == "__main__":
    main()
