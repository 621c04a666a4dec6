"""Fire the same request from several threads at the same instant.

Each thread has its own database connection (Django's are per thread), so the
requests really overlap in the database, as a double tap does in production.
The tests that use this need ``django_db(transaction=True)``: the rows must be
committed for the other connections to see them.
"""

import threading

from django.db import connections
from django.utils import translation
from rest_framework.test import APIClient


def fire_at_once(users, send):
    """Call ``send(client)`` for each user at once; return the responses in order.

    An exception in a thread (such as "database is locked") is returned in place
    of its response, so the test can show it.
    """
    barrier = threading.Barrier(len(users))
    results = [None] * len(users)

    def run(index, user):
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        client.force_authenticate(user)
        # The client would re-raise a view's exception in this thread; keep
        # the 500 as the answer the user would have seen.
        client.raise_request_exception = False
        try:
            # A new thread starts in the default language (Chinese).
            with translation.override("en"):
                barrier.wait(timeout=10)
                results[index] = send(client)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, user)) for i, user in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def statuses(results):
    """The status codes, sorted; an exception shows as its text."""
    return sorted(
        (
            r.status_code if hasattr(r, "status_code") else f"{type(r).__name__}: {r}"
            for r in results
        ),
        key=str,
    )
