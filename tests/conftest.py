"""Personas and clients shared by every test.

Two managers in one region (``manager`` and ``teammate``), one manager in
another region (``outsider``), each region's regional manager, and an admin.
"""

import importlib

import pytest
import time_machine
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import translation
from rest_framework.test import APIClient

from config.celery import app as celery_app
from tests import factories
from tests.browser_support import chromium  # noqa: F401 - one Chromium for the whole run
from tests.clock import at
from tests.world import world, world_rows  # noqa: F401 - the walks' objects (tests/world.py)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _kpis_computed_each_time(settings):
    # The admin's whole-archive KPIs are cached in production; a test's rows
    # (and their reused ids) must not meet another test's figures.
    settings.KPI_CACHE_SECONDS = 0


@pytest.fixture(scope="session", autouse=True)
def _flush_may_empty_the_audit_table():
    """Transactional tests end with a flush, which the audit table's triggers refuse.

    The flush lifts them for its own transaction and puts them back before it
    commits, so every other statement still meets them.
    """
    append_only = importlib.import_module("crm.migrations.0008_audit_append_only")
    lifted = {
        "postgresql": ([append_only.POSTGRESQL_DROP], [append_only.POSTGRESQL_NO_TRUNCATE]),
        "sqlite": (append_only.SQLITE_DROP, append_only.SQLITE_APPEND_ONLY),
    }
    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        drop, create = lifted.get(self.connection.vendor, ([], []))
        if any("crm_auditevent" in sql for sql in sql_list):
            sql_list = [*drop, *sql_list, *create]
        return original(self, sql_list)

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    BaseDatabaseOperations.execute_sql_flush = original


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks queued by the code under test run in-process unless a test starts a worker."""
    # The app reads Django settings under the CELERY_ namespace, so the
    # override must use the namespaced name.
    celery_app.conf.update(CELERY_TASK_ALWAYS_EAGER=True)
    yield
    celery_app.conf.update(CELERY_TASK_ALWAYS_EAGER=False)


@pytest.fixture
def region(db):
    return factories.RegionFactory(code="EAST", name="城东区域")


@pytest.fixture
def other_region(db):
    return factories.RegionFactory(code="WEST", name="城西区域")


@pytest.fixture
def manager(region):
    return factories.ManagerFactory(username="manager", region=region)


@pytest.fixture
def teammate(region):
    return factories.ManagerFactory(username="teammate", region=region)


@pytest.fixture
def outsider(other_region):
    return factories.ManagerFactory(username="outsider", region=other_region)


@pytest.fixture
def regional_manager(region):
    return factories.RegionalManagerFactory(username="regional", region=region)


@pytest.fixture
def other_regional_manager(other_region):
    return factories.RegionalManagerFactory(username="other_regional", region=other_region)


@pytest.fixture
def admin_user(db):
    return factories.AdminFactory(username="crmadmin")


@pytest.fixture
def customer(manager):
    """A customer of ``manager``."""
    return factories.CustomerFactory(manager=manager, name="和平便利店", code="C00001")


@pytest.fixture
def api_client():
    # API tests read the English messages; the browser tests check the
    # Chinese default (zh-hans) and the language switch.
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def login(client):
    """Log a persona in the browser client: ``login(user)``."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def api_login(api_client):
    """Authenticate the API client as a persona: ``api_login(user)``."""

    def _login(user):
        api_client.force_authenticate(user)
        return api_client

    return _login


@pytest.fixture
def english(client, monkeypatch):
    """Pages and messages in English (the product speaks Chinese unless asked);
    notifications too, whatever language their recipient chose."""
    from core import notifications

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    monkeypatch.setattr(notifications, "language_of", lambda user: "en")
    with translation.override("en"):
        yield


@pytest.fixture
def travel():
    """Freeze time at a Shanghai wall-clock time: ``travel("2026-10-09 10:00")``."""
    travellers = []

    def _travel(text):
        traveller = time_machine.travel(at(text), tick=False)
        traveller.start()
        travellers.append(traveller)

    yield _travel
    for traveller in reversed(travellers):
        traveller.stop()
