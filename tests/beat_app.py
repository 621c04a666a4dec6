"""The project's Celery app with a schedule for tests/test_single_beat.py.

Beat reads everything else from the project's settings (Redis, redbeat, the
key prefix); only the schedule and the lock's timings are the test's: one
entry every second, a lock held for 3 seconds, renewed and tried every second.
``BEAT_TEST_RETIRED=1`` adds a second entry, as a release that still had it.
"""

import os
from datetime import timedelta

from config.celery import app

# tests/test_single_beat.py counts the messages of this queue. Only the beat
# processes it starts import this module: it replaces the app's schedule.
QUEUE = "beat-test"

app.conf.beat_schedule = {
    "beat-test-tick": {
        "task": "beat_test.tick",
        "schedule": timedelta(seconds=1),
        "options": {"queue": QUEUE},
    },
}
if os.environ.get("BEAT_TEST_RETIRED"):
    app.conf.beat_schedule["beat-test-retired"] = {
        "task": "beat_test.retired",
        "schedule": timedelta(seconds=1),
        "options": {"queue": QUEUE},
    }
# The settings name it under the CELERY_ namespace, which Celery reads first.
app.conf.CELERY_BEAT_MAX_LOOP_INTERVAL = 1
app.conf.redbeat_lock_timeout = 3
