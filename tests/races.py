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


def run_at_once(*calls):
    """Run each ``call()`` in its own thread (own connection) at the same instant.

    Returns the results in order; an exception in a thread (a conflict, or
    "database is locked") is returned in place of its result, so the test can
    show it.
    """
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            # A new thread starts in the default language (Chinese).
            with translation.override("en"):
                barrier.wait(timeout=10)
                results[index] = call()
        except Exception as exc:  # noqa: BLE001 - reported by the test
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _client(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    # The client would re-raise a view's exception in its thread; keep the
    # 500 as the answer the user would have seen.
    client.raise_request_exception = False
    return client


def fire_at_once(users, send):
    """Call ``send(client)`` for each user's API client at once; return the responses in order."""
    clients = [_client(user) for user in users]
    return run_at_once(*(lambda client=client: send(client) for client in clients))


def one_wins(users, url, data=None):
    """POST ``data`` to ``url`` as each of ``users`` at once; one gets 200, the other 409.

    Returns the loser's response: its ``detail`` names the state the winner left.
    """
    results = fire_at_once(users, lambda client: client.post(url, data or {}, format="json"))
    assert statuses(results) == [200, 409], [getattr(r, "content", r) for r in results]
    return next(r for r in results if r.status_code == 409)


def statuses(results):
    """The status codes, sorted; an exception shows as its text."""
    return sorted(
        (
            r.status_code if hasattr(r, "status_code") else f"{type(r).__name__}: {r}"
            for r in results
        ),
        key=str,
    )
