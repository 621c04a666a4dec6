"""Which database a request reads from when a read replica is configured
(core.db_routing): a GET of a client that has not written lately reads the
replica; writes, the client's next reads within REPLICA_PIN_SECONDS, the rows
a request wrote, transactions, Celery tasks, sessions, logins, idempotency
keys and export jobs read the primary; big exports read their rows from the
replica.

The ``replica`` alias is a test mirror: a second connection to the test
database. It sees only what is committed, and a test's own rows are not - as
on a replica that has not replayed them yet - so a page read from it does not
show them. tests/test_streaming_replica.py runs a real streaming replica.
"""

import copy

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken
from config.celery import app as celery_app
from core import export_jobs, exports
from core.db_routing import COOKIE, REPLICA, ReplicaMiddleware
from core.models import AuditEvent, ClientAction, ExportJob
from crm.models import Customer, User
from tests import factories

PRIMARY = DEFAULT_DB_ALIAS


pytestmark = pytest.mark.django_db(databases=[PRIMARY, REPLICA])


@pytest.fixture(scope="module", autouse=True)
def _replica_alias(django_db_setup, django_db_blocker):
    """The replica's alias, mirroring the test database (before each test's set-up
    asks which databases exist)."""
    mirror = copy.deepcopy(connections[PRIMARY].settings_dict)
    mirror["TEST"] = {**mirror["TEST"], "MIRROR": PRIMARY}
    if mirror["ENGINE"] == "django.db.backends.sqlite3":
        # Each test opens a transaction on the mirror too: a reader's takes no
        # write lock (the test's own transaction holds it).
        mirror["OPTIONS"] = {**mirror["OPTIONS"], "transaction_mode": "DEFERRED"}
    connections.settings[REPLICA] = mirror
    yield
    # Closed before the test database is dropped (PostgreSQL refuses while it is open).
    with django_db_blocker.unblock():
        connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture
def replica(settings):
    """The settings DATABASE_REPLICA_URL gives."""
    settings.DATABASE_ROUTERS = ["core.db_routing.ReplicaRouter"]
    settings.REPLICA_PIN_SECONDS = 10
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("core.request_guard.RequestGuardMiddleware") + 1,
        "core.db_routing.ReplicaMiddleware",
    )
    settings.MIDDLEWARE = middleware


@celery_app.task
def _customers_read_from():
    return Customer.objects.all().db


def _serve(request, view):
    return ReplicaMiddleware(view)(request)


def _reads_from(request):
    """The database the customer list of ``request`` is read from, and the answer."""
    seen = []

    def view(request):
        seen.append(Customer.objects.all().db)
        return HttpResponse()

    response = _serve(request, view)
    return seen[0], response


def _with_pin(request, answer):
    request.COOKIES[COOKIE] = answer.cookies[COOKIE].value
    return request


def test_a_get_of_a_client_who_has_not_written_reads_the_replica(rf, replica):
    for request in (rf.get("/customers/"), rf.head("/customers/")):
        database, response = _reads_from(request)
        assert database == REPLICA
        assert COOKIE not in response.cookies


def test_a_write_reads_the_primary_and_pins_the_client(rf, replica):
    for method in ("post", "put", "patch", "delete"):
        database, response = _reads_from(getattr(rf, method)("/api/customers/1/"))
        assert database == PRIMARY
        pin = response.cookies[COOKIE]
        assert pin["max-age"] == 10 and pin["httponly"]


def test_the_reads_after_a_write_stay_on_the_primary_until_the_pin_ends(rf, replica, travel):
    travel("2026-10-05 09:00:00")
    _, written = _reads_from(rf.post("/customers/1/edit/"))
    travel("2026-10-05 09:00:09")
    assert _reads_from(_with_pin(rf.get("/customers/"), written))[0] == PRIMARY
    travel("2026-10-05 09:00:11")
    assert _reads_from(_with_pin(rf.get("/customers/"), written))[0] == REPLICA
    forged = rf.get("/customers/")
    forged.COOKIES[COOKIE] = "1"
    assert _reads_from(forged)[0] == REPLICA


def test_a_transaction_reads_the_primary(rf, replica):
    seen = []

    def view(request):
        with transaction.atomic():
            seen.append(Customer.objects.all().db)
        seen.append(Customer.objects.all().db)
        return HttpResponse()

    _serve(rf.get("/customers/"), view)
    assert seen == [PRIMARY, REPLICA]


def test_the_rows_a_request_wrote_are_read_back_from_the_primary(rf, replica, customer):
    seen = []

    def view(request):
        seen.append(Customer.objects.all().db)
        seen.append(Customer.objects.select_for_update().db)
        Customer.objects.filter(pk=customer.pk).update(name="和平超市")
        seen.append(Customer.objects.all().db)
        return HttpResponse()

    response = _serve(rf.get("/customers/"), view)
    assert seen == [REPLICA, PRIMARY, PRIMARY]
    # The client's next page reads its change too.
    assert COOKIE in response.cookies


def test_sessions_logins_tokens_idempotency_keys_and_jobs_read_the_primary(rf, replica):
    seen = {}

    def view(request):
        for model in (Session, User, Permission, AccessAttempt, ApiToken, ClientAction, ExportJob):
            seen[model] = model.objects.all().db
        return HttpResponse()

    _serve(rf.get("/"), view)
    assert set(seen.values()) == {PRIMARY}


def test_tasks_and_commands_read_the_primary(rf, replica):
    # Outside a request: a worker's task, a management command.
    assert Customer.objects.all().db == PRIMARY
    seen = []

    def view(request):
        seen.append(_customers_read_from.delay().get())
        seen.append(Customer.objects.all().db)
        return HttpResponse()

    # A task run inside a request reads the primary too; the request goes on as before.
    _serve(rf.get("/customers/"), view)
    assert seen == [PRIMARY, REPLICA]


def test_migrations_run_on_the_primary_only(replica):
    assert router.allow_migrate(PRIMARY, "crm", model_name="customer")
    assert not router.allow_migrate(REPLICA, "crm", model_name="customer")


def test_an_export_job_reads_its_rows_from_the_replica_and_itself_from_the_primary(
    replica, manager, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    for n in range(3):
        factories.CustomerFactory(manager=manager, name=f"店{n}")
    job = export_jobs.start_job(
        user=manager, export=exports.get("customers"), file_format="csv", params={}
    )
    export_jobs.run_job(job.pk)
    job.refresh_from_db()
    # The job (on the primary) ran; the rows came from the replica, which has
    # not replayed this test's customers.
    assert job.status == ExportJob.Status.DONE
    assert (job.rows_total, job.rows_done) == (0, 0)
    with job.file.open("rb") as handle:
        assert "店0" not in handle.read().decode("utf-8-sig")


def test_a_direct_export_reads_its_rows_from_the_replica_though_it_writes_its_audit_row(
    client, replica, manager, customer
):
    client.force_login(manager)
    answer = client.get(reverse("export_list", args=["customers", "csv"]))
    assert answer.status_code == 200
    listed = b"".join(answer.streaming_content).decode("utf-8-sig")
    # The header, and none of the rows the replica has not replayed.
    assert len(listed.splitlines()) == 1 and customer.name not in listed
    assert AuditEvent.objects.get(action="export").data["rows"] == 0


def test_a_list_page_shows_the_users_own_change_at_once_and_the_replica_to_others(
    client, replica, manager, regional_manager, customer, travel
):
    travel("2026-10-05 09:00:00")
    url = reverse("customer_list")
    client.force_login(manager)
    # Nothing written yet: the page is the replica's, which has not replayed the customer.
    assert customer.name not in client.get(url).content.decode()

    answer = client.patch(
        reverse("customer-detail", args=[customer.pk]),
        {"name": "和平超市"},
        content_type="application/json",
    )
    assert answer.status_code == 200
    assert "和平超市" in client.get(url).content.decode()
    assert "和平超市" in client.get(url).content.decode()

    other = Client()
    other.force_login(regional_manager)
    assert "和平超市" not in other.get(url).content.decode()
    # After the pin the manager reads the replica again (a real one has long
    # replayed the change; this one never does).
    travel("2026-10-05 09:00:11")
    assert "和平超市" not in client.get(url).content.decode()
