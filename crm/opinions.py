"""What customers said in a month, as the apps that record it contribute it.

The monthly report's section c) lists the month's complaints, suggestions and
visit opinions of a manager's customers. Each app that records such things
registers a source from ``AppConfig.ready()``::

    from crm import opinions

    opinions.register("suggestion", suggestions_of_month)

``source(month, manager_ids)`` yields ``(manager_id, item)`` with ``item`` a dict
of ``kind``, ``date`` ('YYYY-MM-DD'), ``customer``, ``text`` and ``result``.
"""

from collections import defaultdict

_sources = {}


def register(kind, source):
    """Add a source; registering the same kind again replaces it."""
    _sources[kind] = source


def of_month(month, manager_ids):
    """``{manager_id: [item, ...]}`` of every registered source, by date then kind."""
    items = defaultdict(list)
    for _kind, source in sorted(_sources.items()):
        for manager_id, item in source(month, manager_ids):
            items[manager_id].append(item)
    for rows in items.values():
        rows.sort(key=lambda row: (row["date"], row["kind"]))
    return items
