"""A real Celery worker process picks up a queued job and changes the database.

The broker is the one the settings choose: Redis when ``REDIS_URL`` is set (CI),
otherwise the embedded filesystem broker the run command uses on a laptop.
"""

import os
import signal
import subprocess
import time

import pytest

from config.celery import app as celery_app
from core.models import CalendarDay
from crm.tasks import calendar_import_year
from tests.workers import start_worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    queue = f"test-worker-{os.getpid()}"
    process = start_worker(
        queue, loglevel="INFO", stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    celery_app.conf.update(CELERY_TASK_ALWAYS_EAGER=False)
    yield queue, process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_worker_imports_a_calendar_year_into_the_database(worker):
    queue, process = worker
    CalendarDay.objects.filter(date__year=2026).delete()

    calendar_import_year.apply_async(args=[2026], queue=queue)

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and process.poll() is None:
        if CalendarDay.objects.filter(date__year=2026).count() > 0:
            break
        time.sleep(0.5)

    if process.poll() is not None:
        pytest.fail(f"worker exited early:\n{process.stdout.read()}")
    national_day = CalendarDay.objects.get(date="2026-10-01")
    assert national_day.kind == CalendarDay.Kind.HOLIDAY
    assert CalendarDay.objects.get(date="2026-09-20").kind == CalendarDay.Kind.WORKDAY
