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
a filter is known to pick few rows of a big table.
"""

from django.db.models import F
from django.db.models.functions import Coalesce


def found_rows_order(field, *, descending=False):
    # COALESCE of a column with itself is the column's value (it is only
    # ever asked for non-null columns, where it never picks the second).
    term = Coalesce(F(field), F(field))
    return term.desc() if descending else term.asc()
