"""A paginator for the browser lists that does not count big unfiltered tables.

An exact ``COUNT(*)`` over a million visits costs a sequential scan on every
page view. When the list is the whole table (no filter, no scope: what an
admin sees first) and PostgreSQL's statistics say it is big, the paginator
takes the planner's row estimate (``pg_class.reltuples``, kept fresh by
autovacuum's ANALYZE) instead. Filtered lists are small enough to count.
The page links stay usable: the last page number is approximate, and a page
past the real end shows the rows that are there (none).

A filtered list is counted exactly up to ``COUNT_UP_TO`` rows, and no
further: a region's visits grow with the province, and counting 100,000 of
them on every page view would make the page as slow as the region is big.
Past that, the count is the planner's estimate for the filtered query (at
least ``COUNT_UP_TO`` + 1), and the paginator says it is ``approximate``;
a list sorted as found rows (``core.ordering``) is then sorted by its index.

Deep pages (page 1,000 of the customers) would make PostgreSQL build and
throw away every joined row before the offset. Past ``DEFER_FROM`` rows the
paginator first reads only the primary keys of the page (an index-only scan
of the ordering index), then the page's rows with their joins: one more
query, whatever the page size. ``KeysFirstPaginator`` does that from page 1:
for lists whose rows are few of a big table but are sorted after their joins
(a manager's visits), sorting bare keys first is what keeps page 1 fast.
"""

import json
from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet

from core.ordering import index_order

ESTIMATE_FROM = 10000
COUNT_UP_TO = 10000
DEFER_FROM = 1000


def estimated_rows(queryset):
    """The planner's row estimate for the queryset's table, or None off PostgreSQL."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [queryset.model._meta.db_table],
        )
        row = cursor.fetchone()
    return row[0] if row and row[0] > 0 else None


def count_up_to(queryset, limit):
    """The number of rows, counted no further than ``limit`` + 1 (a big list is not
    counted whole to learn that it is big)."""
    # Only the keys: the annotations of a list's rows are not needed to count them.
    return queryset.order_by().values("pk")[: limit + 1].count()


def planned_rows(queryset):
    """The planner's estimate of the rows ``queryset`` returns (PostgreSQL's EXPLAIN)."""
    connection = connections[queryset.db]
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    defer_from = DEFER_FROM
    # Whether ``count`` is an estimate (a big table or a long filtered list).
    approximate = False

    @cached_property
    def count(self):
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is not None and not query.where and not query.distinct:
            estimate = estimated_rows(queryset)
            if estimate is not None and estimate >= ESTIMATE_FROM:
                self.approximate = True
                return estimate
        if query is None or connections[queryset.db].vendor != "postgresql":
            return super().count
        exact = count_up_to(queryset, COUNT_UP_TO)
        if exact <= COUNT_UP_TO:
            return exact
        self.approximate = True
        return max(planned_rows(queryset), COUNT_UP_TO + 1)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset = self.object_list
        plain = not isinstance(queryset, QuerySet) or queryset.query.distinct
        if self.approximate and not plain:
            # Many rows: found rows sorted whole would cost more than walking the index.
            queryset = index_order(queryset)
        if bottom < self.defer_from or plain:
            return self._get_page(queryset[bottom:top], number, self)
        keys = list(queryset.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in queryset.filter(pk__in=keys)}
        return self._get_page([rows[key] for key in keys if key in rows], number, self)


class KeysFirstPaginator(EstimatedCountPaginator):
    defer_from = 0
