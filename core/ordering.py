"""Sorting the rows a filter found, rather than walking an index in sort order.

For ``ORDER BY code LIMIT 50`` PostgreSQL may walk the index on ``code`` and
test every row against the filter until fifty pass. That is quick when the
matches are spread evenly through the sort order, and slow when they are not:
customers whose code starts ``S0049`` all sit at the end of the code index
(49,000 rows read for 50 kept, 60 ms), a manager's 2,000 visits are spread
through a million (45 ms). Fetching the matches through the filter's own
indexes and sorting them takes 2-6 ms in both cases.

``found_rows_order`` is an ordering term that sorts exactly as the column does
but that no index provides, so the planner takes the second way. Use it where
a filter is known to pick few rows of a big table; when it picks many after
all, ``index_order`` puts the plain columns back.
"""

from django.db.models import F, OrderBy
from django.db.models.functions import Coalesce


class _FoundRows(Coalesce):
    """COALESCE of a column with itself: the column's value (it is only ever
    asked for non-null columns, where it never picks the second)."""


def found_rows_order(field, *, descending=False):
    term = _FoundRows(F(field), F(field))
    return term.desc() if descending else term.asc()


def index_order(queryset):
    """``queryset`` sorted by the plain columns again, for a filter that found many.

    When the filter matched thousands (a search for a word half the archive
    carries, 100,000 customers at ten times the province), sorting them all
    took 490 ms, and walking the index in sort order meets fifty of them
    within the first rows. The paginator asks for this once its count says
    the list is long (``core.pagination``).
    """
    terms, changed = [], False
    for term in queryset.query.order_by:
        if isinstance(term, OrderBy) and isinstance(term.expression, _FoundRows):
            terms.append(OrderBy(term.expression.source_expressions[0], descending=term.descending))
            changed = True
        else:
            terms.append(term)
    return queryset.order_by(*terms) if changed else queryset
