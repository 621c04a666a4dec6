"""Visits partitioned or not, measured: ``.venv/bin/python bench/layout.py``.

The choice of layout for the biggest table (``visits_visit``) is made from
these figures (bench/RESULTS.md, "Layout of the big tables"). On the
benchmark's database (``--scale 10``: ``crm_bench_x10``, 10,000,000 visits)
it builds, once, a copy of the visits partitioned by the month of
``arrived_at`` with the same indexes (``visits_visit_by_month``), then times
the queries the pages and jobs make on both: a manager's newest visits and a
deeper page of them, a region's newest, the whole list's page 1 and 1,000, a
visit by its number (detail pages and every foreign key), a customer's last
visit (grade interval, reminders) and a manager's month (KPIs, reports).

Each query runs ``--runs`` times (default 30, after 3 to warm the cache) with
a different manager, region, customer or visit each time; it prints the
median and p95 in ms. ``--drop`` removes the copy.
"""

import argparse
import statistics
import time

import psycopg2

COPY = "visits_visit_by_month"


def build(cursor):
    cursor.execute("SELECT to_regclass(%s)", [COPY])
    if cursor.fetchone()[0]:
        return None
    started = time.monotonic()
    cursor.execute("SELECT date_trunc('month', min(arrived_at)), max(arrived_at) FROM visits_visit")
    first, last = cursor.fetchone()
    cursor.execute(
        f"CREATE TABLE {COPY} (LIKE visits_visit INCLUDING DEFAULTS) "
        "PARTITION BY RANGE (arrived_at)"
    )
    month, n = first, 0
    while month <= last:
        cursor.execute(
            f"CREATE TABLE {COPY}_{n:03d} PARTITION OF {COPY} "
            "FOR VALUES FROM (%s) TO (%s::timestamptz + interval '1 month')",
            [month, month],
        )
        cursor.execute("SELECT %s::timestamptz + interval '1 month'", [month])
        month, n = cursor.fetchone()[0], n + 1
    cursor.execute(f"INSERT INTO {COPY} SELECT * FROM visits_visit")
    # The keys a partitioned table can have: its unique keys must hold arrived_at.
    cursor.execute(f"ALTER TABLE {COPY} ADD PRIMARY KEY (id, arrived_at)")
    cursor.execute(f"CREATE INDEX ON {COPY} (manager_id, arrived_at DESC)")
    cursor.execute(f"CREATE INDEX ON {COPY} (customer_id, arrived_at DESC)")
    cursor.execute(f"CREATE INDEX ON {COPY} (arrived_at DESC, id DESC)")
    cursor.execute(f"CREATE INDEX ON {COPY} (id)")
    cursor.execute(f"ANALYZE {COPY}")
    return time.monotonic() - started, n


def samples(cursor, sql, count):
    cursor.execute(sql.format(count=count))
    return [row[0] for row in cursor.fetchall()]


def queries(cursor, runs):
    managers = samples(
        cursor,
        "SELECT id FROM crm_user WHERE role = 'manager' ORDER BY md5(id::text) LIMIT {count}",
        runs,
    )
    regions = samples(
        cursor, "SELECT id FROM crm_region ORDER BY md5(id::text) LIMIT {count}", runs
    )
    customers = samples(
        cursor, "SELECT id FROM crm_customer ORDER BY md5(id::text) LIMIT {count}", runs
    )
    cursor.execute("SELECT max(id) FROM visits_visit")
    top = cursor.fetchone()[0]
    visits = [top - (n * 7919) % top for n in range(runs)]
    cursor.execute(
        "SELECT date_trunc('month', max(arrived_at) - interval '2 months') FROM visits_visit"
    )
    month = cursor.fetchone()[0]
    return [
        (
            "a manager's newest 50",
            "SELECT id FROM {table} WHERE manager_id = %s "
            "ORDER BY arrived_at DESC, id DESC LIMIT 50",
            managers,
        ),
        (
            "a manager's page 20",
            "SELECT id FROM {table} WHERE manager_id = %s "
            "ORDER BY arrived_at DESC, id DESC LIMIT 50 OFFSET 950",
            managers,
        ),
        (
            "a region's newest 50",
            "SELECT v.id FROM {table} v JOIN crm_customer c ON c.id = v.customer_id "
            "WHERE c.region_id = %s ORDER BY v.arrived_at DESC, v.id DESC LIMIT 50",
            regions,
        ),
        (
            "all, page 1",
            "SELECT id FROM {table} WHERE id > %s * 0 ORDER BY arrived_at DESC, id DESC LIMIT 50",
            visits,
        ),
        (
            "all, page 1000",
            "SELECT id FROM {table} WHERE id > %s * 0 "
            "ORDER BY arrived_at DESC, id DESC LIMIT 50 OFFSET 49950",
            visits,
        ),
        ("a visit by its number", "SELECT * FROM {table} WHERE id = %s", visits),
        (
            "a customer's last visit",
            "SELECT arrived_at FROM {table} WHERE customer_id = %s "
            "ORDER BY arrived_at DESC LIMIT 1",
            customers,
        ),
        (
            "a manager's month (count)",
            "SELECT count(*) FROM {table} WHERE manager_id = %s AND arrived_at >= "
            f"'{month.isoformat()}' AND arrived_at < '{month.isoformat()}'::timestamptz "
            "+ interval '1 month'",
            managers,
        ),
    ]


def timed(cursor, sql, values):
    for value in values[:3]:
        cursor.execute(sql, [value])
        cursor.fetchall()
    spent = []
    for value in values:
        started = time.perf_counter()
        cursor.execute(sql, [value])
        cursor.fetchall()
        spent.append((time.perf_counter() - started) * 1000)
    spent.sort()
    return statistics.median(spent), spent[int(len(spent) * 0.95) - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="crm_bench_x10")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--drop", action="store_true")
    options = parser.parse_args()
    connection = psycopg2.connect(
        host="127.0.0.1", port=5432, user="postgres", dbname=options.database
    )
    connection.autocommit = True
    cursor = connection.cursor()
    if options.drop:
        cursor.execute(f"DROP TABLE IF EXISTS {COPY}")
        return
    built = build(cursor)
    cursor.execute("SELECT count(*) FROM visits_visit")
    rows = cursor.fetchone()[0]
    print(f"visits_visit: {rows:,} rows, {options.runs} runs per query (median / p95 ms).")
    if built:
        print(f"Partitioned copy built in {built[0]:.0f} s: {built[1]} monthly partitions.")
    print()
    print("| query | one table: median | p95 | by month: median | p95 |")
    print("|---|---:|---:|---:|---:|")
    for name, sql, values in queries(cursor, options.runs):
        plain = timed(cursor, sql.format(table="visits_visit"), values)
        split = timed(cursor, sql.format(table=COPY), values)
        print(f"| {name} | {plain[0]:.2f} | {plain[1]:.2f} | {split[0]:.2f} | {split[1]:.2f} |")
    for table in ("visits_visit", COPY):
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size(%s))", [table])
        if table == COPY:
            cursor.execute(
                "SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) "
                "FROM pg_inherits WHERE inhparent = %s::regclass",
                [COPY],
            )
        print(f"- {table}: {cursor.fetchone()[0]} with its indexes")


if __name__ == "__main__":
    main()
