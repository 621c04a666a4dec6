"""Where a request's time goes: ``.venv/bin/python bench/profile.py``.

Runs in one process against the benchmark's database (``--scale 10`` for
``crm_bench_x10``), with the production settings ``bench/run.py`` serves
(``DEBUG=False``), through Django's test client as the benchmark's personas
(``bench/run.py`` writes them). Not a timed test: it prints

1. per page, the mean time of a request split into database (the time spent
   in ``cursor.execute``, measured with ``connection.execute_wrapper``),
   templates (the outermost ``Template.render``, database time inside it
   excluded) and the rest of Python (middleware, views, forms, serializers);
2. with ``--profile``, pyinstrument's sample of all those requests, its own
   time summed by where the code lives (Django's templates, ORM, DRF, the
   project's apps …) and the 25 functions with the most own time.

``--requests`` per page (default 30) after 3 warm-up requests.
"""

import argparse
import collections
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class Clock:
    """Database and template time of the requests made inside ``measure()``."""

    def __init__(self):
        self.database = 0.0
        self.templates = 0.0
        self._depth = 0
        self._database_in_templates = 0.0

    def execute(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.database += spent
            if self._depth:
                self._database_in_templates += spent

    def wrap_render(self, render):
        clock = self

        def timed_render(template, context):
            clock._depth += 1
            outermost = clock._depth == 1
            started = time.perf_counter()
            database_before = clock._database_in_templates
            try:
                return render(template, context)
            finally:
                clock._depth -= 1
                if outermost:
                    spent = time.perf_counter() - started
                    database = clock._database_in_templates - database_before
                    clock.templates += spent - database

        return timed_render


# Where code lives, for the profile's breakdown: (label, path fragments), first match wins.
PLACES = [
    ("database driver (psycopg2)", ("/psycopg2/",)),
    ("Django templates", ("/django/template/", "/django/templatetags/", "/templatetags/")),
    ("Django ORM", ("/django/db/",)),
    ("Django REST framework", ("/rest_framework/", "/django_filters/", "/drf_spectacular/")),
    ("Django middleware, sessions, auth", ("/django/middleware/", "/django/contrib/", "/axes/")),
    ("Django forms", ("/django/forms/",)),
    ("Django other", ("/django/",)),
    ("translations (gettext)", ("/gettext.py",)),
    (
        "the project's code",
        ("/crm/", "/visits/", "/complaints/", "/reports/", "/core/", "/home/", "/satisfaction/"),
    ),
]


def place(path):
    path = path or ""
    for label, fragments in PLACES:
        if any(fragment in path for fragment in fragments):
            return label
    return "Python and other libraries"


def own_times(frame, totals, functions):
    # pyinstrument keeps a frame's own time in "[self]" children (total_self_time).
    own = frame.total_self_time
    if frame.file_path and own:
        totals[place(frame.file_path)] += own
        functions[(frame.function, frame.file_path_short, frame.line_no)] += own
    for child in frame.children:
        own_times(child, totals, functions)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--profile", action="store_true", help="Sample with pyinstrument too.")
    parser.add_argument("--only", default="", help="Pages whose name contains this.")
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    import run

    run.use_scale(options.scale)
    os.environ.update(run.env())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.template import base
    from django.test import Client

    from crm.models import User

    sys.argv = [sys.argv[0]]
    import jobs

    people = json.loads((run.WORK / "personas.json").read_text(encoding="utf-8"))
    clock = Clock()
    base.Template.render = clock.wrap_render(base.Template.render)
    profiler = None
    if options.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
    print(f"Requests per page: {options.requests} after 3 warm-up; database {run.DB_NAME}.")
    print()
    print("| page | mean ms | database ms | templates ms | other Python ms | total / database |")
    print("|---|---:|---:|---:|---:|---:|")
    sums = collections.Counter()
    for name, role, template, _setting in jobs.QUERY_PAGES:
        if options.only not in name:
            continue
        me = people[role][0]
        client = Client()
        client.force_login(User.objects.get(username=me["username"]))
        url = template.format(
            term=me["terms"][0],
            customer=(me["customers"] or [0])[0],
            visit=(me["visits"] or [0])[0],
            size=50,
        )
        for _ in range(3):
            assert client.get(url).status_code == 200, url
        clock.database = clock.templates = 0.0
        with connection.execute_wrapper(clock.execute):
            if profiler:
                profiler.start()
            started = time.perf_counter()
            for _ in range(options.requests):
                client.get(url)
            total = time.perf_counter() - started
            if profiler:
                profiler.stop()
        n = options.requests
        database, templates = clock.database, clock.templates
        other = total - database - templates
        sums.update(total=total, database=database, templates=templates, other=other)
        print(
            f"| {name} | {total / n * 1000:.1f} | {database / n * 1000:.1f} "
            f"| {templates / n * 1000:.1f} | {other / n * 1000:.1f} "
            f"| {total / database if database else 0:.1f}× |"
        )
    if sums["total"]:
        share = {key: sums[key] / sums["total"] * 100 for key in ("database", "templates", "other")}
        print()
        print(
            f"All pages: database {share['database']:.0f}%, templates {share['templates']:.0f}%, "
            f"other Python {share['other']:.0f}%; total / database "
            f"{sums['total'] / sums['database']:.1f}×."
        )
    if profiler:
        session = profiler.last_session
        totals, functions = collections.Counter(), collections.Counter()
        own_times(session.root_frame(), totals, functions)
        sampled = sum(totals.values()) or 1
        print()
        print("| where (pyinstrument, own time) | share |")
        print("|---|---:|")
        for label, seconds in totals.most_common():
            print(f"| {label} | {seconds / sampled * 100:.1f}% |")
        print()
        print("| function (own time) | share |")
        print("|---|---:|")
        for (function, path, line), seconds in functions.most_common(25):
            print(f"| `{function}` {path}:{line} | {seconds / sampled * 100:.1f}% |")


if __name__ == "__main__":
    main()
