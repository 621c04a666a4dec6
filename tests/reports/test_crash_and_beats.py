"""Jobs that lose nothing and repeat nothing.

1. A real worker on Redis prepares the month for many managers; it is killed
   with SIGKILL half-way (the whole process group, as a crashed machine), a
   new worker takes the unacknowledged message once the visibility timeout
   passes, and at the end each manager has exactly one report and one
   "report ready" notification.
2. Two beat processes would send every scheduled task twice: running each
   scheduled task twice creates nothing twice.
"""

import contextlib
import datetime
import importlib
import os
import signal
import subprocess
import time
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps
from django.db.models import Count

from config.celery import app as celery_app
from core.models import Notification
from crm.models import SalesRecord
from reports.models import MonthlyReport
from reports.tasks import prepare_monthly_reports
from tests import factories
from tests.browser_support import seeded  # noqa: F401
from tests.workers import start_worker

SEPTEMBER = datetime.date(2026, 9, 1)
MANAGERS = 150
VISIBILITY_TIMEOUT = 4


def _start_worker(queue):
    return start_worker(
        queue,
        loglevel="WARNING",
        env={"CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # Its own process group, so SIGKILL takes the pool's child with it.
        start_new_session=True,
    )


def _kill(process):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL)")
def test_killed_worker_loses_nothing_and_repeats_nothing(seeded):  # noqa: F811
    region = factories.RegionFactory(code="CRASH")
    managers = []
    for n in range(MANAGERS):
        manager = factories.ManagerFactory(username=f"crash{n}", region=region)
        customer = factories.CustomerFactory(manager=manager, region=region)
        SalesRecord.objects.create(
            customer=customer, month=SEPTEMBER, quantity=Decimal(10), amount=Decimal(1000 + n)
        )
        managers.append(manager)
    reports = MonthlyReport.objects.filter(month=SEPTEMBER)
    queue = f"test-crash-{uuid.uuid4().hex[:8]}"
    celery_app.conf.update(CELERY_TASK_ALWAYS_EAGER=False)

    first = _start_worker(queue)
    second = None
    try:
        prepare_monthly_reports.apply_async(args=["2026-09"], queue=queue)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not reports.exists():
            time.sleep(0.01)
        _kill(first)
        done_at_kill = reports.count()
        assert done_at_kill > 0, "the worker never started the job"

        # Kombu restores unacknowledged messages older than the visibility
        # timeout when a worker starts (then only every ~100 s): start the new
        # worker once the timeout has passed, as a restarted container would.
        time.sleep(VISIBILITY_TIMEOUT + 1)
        second = _start_worker(queue)
        deadline = time.monotonic() + 90 + VISIBILITY_TIMEOUT
        while time.monotonic() < deadline and reports.count() < MANAGERS:
            time.sleep(0.5)
        # Let a duplicate delivery, if any, finish before counting.
        time.sleep(VISIBILITY_TIMEOUT + 2)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                _kill(process)

    per_manager = dict(
        reports.values_list("manager_id").annotate(n=Count("id")).values_list("manager_id", "n")
    )
    assert per_manager == {m.pk: 1 for m in managers}, f"killed after {done_at_kill}"
    ready = Notification.objects.filter(key__startswith="report-ready:")
    per_user = dict(
        ready.values_list("user_id").annotate(n=Count("id")).values_list("user_id", "n")
    )
    assert per_user == {m.pk: 1 for m in managers}
    print(f"killed with {done_at_kill}/{MANAGERS} reports; after restart {reports.count()}")


# Two beats ---------------------------------------------------------------------------------

# Rows the scheduled jobs create.
CREATED = [
    "reports.MonthlyReport",
    "reports.ReportEvent",
    "core.Notification",
    "core.CalendarDay",
    "visits.WeeklySchedule",
    "visits.PlannedVisit",
    "complaints.ComplaintEvent",
]


def _counts():
    return {label: apps.get_model(label).objects.count() for label in CREATED}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "moment",
    [
        "2026-10-01 01:00 +08:00",  # the monthly preparation
        "2026-10-09 07:30 +08:00",  # daily reminders
        "2026-10-09 16:00 +08:00",  # Friday: next week's schedules
        "2026-12-01 03:00 +08:00",  # next year's calendar
    ],
)
def test_every_scheduled_task_twice_creates_nothing_twice(
    moment, manager, teammate, customer, regional_manager, settings, tmp_path
):
    from tests.complaints.conftest import make_complaint
    from tests.visits.conftest import make_visit

    settings.MEDIA_ROOT = tmp_path / "media"
    SalesRecord.objects.create(customer=customer, month=SEPTEMBER, quantity=1, amount=100)
    make_visit(
        manager,
        customer,
        stage="ended",
        arrived="2026-09-01 10:00",
        revisit_on=datetime.date(2026, 9, 20),
    )
    with time_machine.travel(datetime.datetime.fromisoformat("2026-09-01 10:00 +08:00")):
        make_complaint(manager, customer, regional_manager, stage="submitted")

    tasks = [entry["task"] for entry in celery_app.conf.beat_schedule.values()]
    assert len(tasks) == 9  # with the daily purges of expired exports and idempotency keys
    for task in tasks:
        importlib.import_module(task.rsplit(".", 1)[0])
    with time_machine.travel(datetime.datetime.fromisoformat(moment), tick=False):
        for task in tasks:
            celery_app.tasks[task].apply().get()
        after_first = _counts()
        for task in tasks:
            celery_app.tasks[task].apply().get()
        assert _counts() == after_first
    # The first run did something, so "nothing twice" is not "nothing at all".
    assert after_first["reports.MonthlyReport"] >= 1 or moment[5:7] != "10"
