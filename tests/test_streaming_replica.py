"""The CRM on a real PostgreSQL primary and its streaming replica.

A primary cluster is made with ``initdb`` in a temporary directory, a replica
of it with ``pg_basebackup -R``, each on a free port; the CRM runs in a
subprocess with ``DATABASE_URL`` (the primary) and ``DATABASE_REPLICA_URL``
(the replica). With the replica's replay paused, a user who has not written
reads the customer list from the replica (a change made on the primary does
not show yet), a user who writes reads their change at once from the primary
while the other still reads the replica, and once replay resumes the other
sees it too.

Run alone: ``pytest -m streaming_replica``.
"""

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2
import pytest
import requests
from django.conf import settings

from core.db_routing import COOKIE
from tests.factories import PASSWORD

pytestmark = pytest.mark.streaming_replica

# initdb refuses to run as root: the clusters belong to the postgres user then.
AS_POSTGRES = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

SEED = """
import django

django.setup()
from django.core.management import call_command

call_command("migrate", verbosity=0)
from tests import factories

region = factories.RegionFactory(code="EAST", name="城东区域")
writer = factories.ManagerFactory(username="writer", region=region)
factories.RegionalManagerFactory(username="reader", region=region)
factories.CustomerFactory(manager=writer, code="C1", name="Alpha")
factories.CustomerFactory(manager=writer, code="C2", name="Beta")
"""


def _bindir():
    """The newest PostgreSQL server's binaries (Debian keeps them off the PATH)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parts[-3]),
    )
    initdb = found[-1] if found else shutil.which("initdb")
    if initdb is None:
        pytest.skip("the PostgreSQL server (initdb, pg_basebackup) is not installed")
    return Path(initdb).parent


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _query(port, sql, *params, dbname="crm"):
    conn = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname=dbname)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql, params or None)
            return cursor.fetchone() if cursor.description else None
    finally:
        conn.close()


def _until(check, what, timeout=15):
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(0.1)


class Clusters:
    """A primary and its streaming replica in ``base``, run as the postgres user."""

    def __init__(self, base, bindir):
        self.base = base
        self.bindir = bindir
        self.primary_port = _free_port()
        self.replica_port = _free_port()
        self.primary = base / "primary"
        self.replica = base / "replica"

    def run(self, tool, *args, check=True):
        done = subprocess.run(
            [*AS_POSTGRES, str(self.bindir / tool), *args],
            cwd=self.base,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if check and done.returncode:
            logs = "".join(log.read_text() for log in self.base.glob("*.log"))
            raise AssertionError(f"{tool} failed:\n{done.stdout}{done.stderr}{logs}")

    def start(self):
        self.run(
            "initdb",
            *("-D", str(self.primary), "-U", "postgres", "-A", "trust"),
            *("-E", "UTF8", "--no-locale", "--no-sync"),
        )
        with open(self.primary / "postgresql.conf", "a") as conf:
            conf.write(
                f"port = {self.primary_port}\n"
                "listen_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.base}'\n"
                "wal_level = replica\n"
                "max_wal_senders = 4\n"
                "hot_standby = on\n"
                # A throw-away cluster: no waiting for the disk.
                "fsync = off\n"
                "synchronous_commit = off\n"
                "full_page_writes = off\n"
            )
        with open(self.primary / "pg_hba.conf", "a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
        self.pg_ctl(self.primary, "primary.log")
        self.run(
            "pg_basebackup",
            *("-h", "127.0.0.1", "-p", str(self.primary_port), "-U", "postgres"),
            *("-D", str(self.replica), "-R", "-X", "stream", "-c", "fast", "--no-sync"),
        )
        self.pg_ctl(self.replica, "replica.log", "-o", f"-p {self.replica_port}")

    def pg_ctl(self, data, log, *options):
        self.run("pg_ctl", "-D", str(data), "-l", str(self.base / log), "-w", *options, "start")

    def stop(self):
        for data in (self.replica, self.primary):
            if (data / "postmaster.pid").exists():
                self.run("pg_ctl", "-D", str(data), "-m", "immediate", "stop", check=False)

    def url(self, port):
        return f"postgres://postgres@127.0.0.1:{port}/crm"


@pytest.fixture
def clusters():
    bindir = _bindir()
    base = Path(tempfile.mkdtemp(prefix="crm-replica-"))
    if AS_POSTGRES:
        shutil.chown(base, "postgres", "postgres")
    pair = Clusters(base, bindir)
    try:
        pair.start()
        _query(pair.primary_port, "CREATE DATABASE crm", dbname="postgres")
        yield pair
    finally:
        pair.stop()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def crm(clusters):
    """The CRM on the two clusters, migrated and seeded: its address."""
    var = clusters.base / "var"
    env = {
        key: value
        for key, value in os.environ.items()
        # Its own broker (a directory), whatever the suite's environment says.
        if key not in ("REDIS_URL", "CELERY_TASK_ALWAYS_EAGER")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="True",
        CRM_VAR_DIR=str(var),
        DATABASE_URL=clusters.url(clusters.primary_port),
        DATABASE_REPLICA_URL=clusters.url(clusters.replica_port),
    )
    subprocess.run(
        [sys.executable, "-c", SEED], cwd=settings.BASE_DIR, env=env, check=True, timeout=120
    )
    port = _free_port()
    with open(clusters.base / "crm.log", "wb") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "runserver",
                "--noreload",
                "--skip-checks",
                f"127.0.0.1:{port}",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    address = f"http://127.0.0.1:{port}"

    def answers():
        assert server.poll() is None, (clusters.base / "crm.log").read_text()
        try:
            return requests.get(f"{address}/api/", timeout=2).status_code < 500
        except requests.ConnectionError:
            return False

    try:
        _until(answers, "the CRM starts", timeout=30)
        yield address
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _token(address, username, client=requests):
    answer = client.post(
        f"{address}/api/auth/token/", json={"username": username, "password": PASSWORD}, timeout=5
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Token {answer.json()['token']}"}


def _names(address, headers, client=requests):
    answer = client.get(f"{address}/api/customers/", headers=headers, timeout=5)
    assert answer.status_code == 200, answer.text
    return {row["code"]: row["name"] for row in answer.json()["results"]}


def test_reads_go_to_the_replica_and_a_writer_reads_their_writes(clusters, crm):
    primary, replica = clusters.primary_port, clusters.replica_port
    assert _query(primary, "SELECT pg_is_in_recovery()") == (False,)
    assert _query(replica, "SELECT pg_is_in_recovery()") == (True,)
    health = requests.get(f"{crm}/healthz/", timeout=5)
    assert health.status_code == 200 and health.json()["replica"] == "ok"
    (seeded,) = _query(primary, "SELECT pg_current_wal_lsn()")
    _until(
        lambda: _query(replica, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", seeded)[0],
        "the replica replays the seed",
    )

    # The writer's client keeps cookies, as a browser does; the reader's logged
    # in long ago (it keeps no pin from its login).
    writer = requests.Session()
    writer_token = _token(crm, "writer", writer)
    reader_token = _token(crm, "reader")
    assert _names(crm, reader_token) == {"C1": "Alpha", "C2": "Beta"}

    _query(replica, "SELECT pg_wal_replay_pause()")
    _until(
        lambda: _query(replica, "SELECT pg_get_wal_replay_pause_state()") == ("paused",),
        "the replay pauses",
    )
    _query(primary, "UPDATE crm_customer SET name = 'Alpha renamed' WHERE code = 'C1'")
    # The list a reader gets is the replica's: the change is not there yet.
    assert _names(crm, reader_token) == {"C1": "Alpha", "C2": "Beta"}

    (beta,) = _query(primary, "SELECT id FROM crm_customer WHERE code = 'C2'")
    answer = writer.patch(
        f"{crm}/api/customers/{beta}/", json={"name": "Beta edited"}, headers=writer_token
    )
    assert answer.status_code == 200, answer.text
    assert COOKIE in answer.cookies
    # The writer's next list is the primary's; the reader's still the replica's.
    assert _names(crm, writer_token, writer) == {"C1": "Alpha renamed", "C2": "Beta edited"}
    assert _names(crm, reader_token) == {"C1": "Alpha", "C2": "Beta"}

    _query(replica, "SELECT pg_wal_replay_resume()")
    _until(
        lambda: _names(crm, reader_token) == {"C1": "Alpha renamed", "C2": "Beta edited"},
        "the reader sees both changes once replayed",
    )
