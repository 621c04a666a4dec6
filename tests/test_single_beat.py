"""Scheduled jobs are sent once, however many machines start beat.

With Redis, beat is celery-redbeat: the beat holding a lock in Redis sends the
due jobs, another waits for the lock (config/settings.py). The tests start real
``celery beat`` processes on a Redis database of their own, with the schedule
of tests/beat_app.py (one job a second) and no worker, and count the messages
queued:

1. the settings choose redbeat with Redis and the schedule file without;
2. two beats queue a job once a second between them, not twice; the lock
   holder killed, the other takes over within the lock's timeout and goes on
   once a second;
3. a job taken out of the schedule is dropped from Redis when beat starts
   again, and not sent any more.
"""

import contextlib
import json
import os
import runpy
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings

# The queue tests/beat_app.py sends to. Not imported from there: importing it
# would replace the schedule of the project's Celery app in this process too.
QUEUE = "beat-test"
PREFIX = "crm-test:beat:"
LOCK_TIMEOUT = 3  # seconds, as tests/beat_app.py sets it
MAX_LOOP = 1  # the lock is renewed and tried this often (seconds)
STARTUP = 30  # seconds a beat may take to start on a loaded machine


def _test_redis_url():
    """Database 13 of the Redis the suite uses (CI's REDIS_URL), or of a local one."""
    base = urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    return urlunsplit(base._replace(path="/13"))


@pytest.fixture
def beat_redis():
    client = redis.Redis.from_url(_test_redis_url(), socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("REDIS_URL"):
            raise
        pytest.skip("needs a Redis server (CI has one: REDIS_URL)")
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def beats(tmp_path):
    """Starts beat processes; each is killed at the end of the test."""
    started = []

    def start(name, **env):
        log = tmp_path / f"{name}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tests.beat_app", "beat", "--loglevel", "INFO"],
            cwd=Path(settings.BASE_DIR),
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "REDIS_URL": _test_redis_url(),
                "BEAT_KEY_PREFIX": PREFIX,
                **env,
            },
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            # Its own process group, so a kill takes all of it, as a lost machine.
            start_new_session=True,
        )
        process.log = log
        started.append(process)
        return process

    yield start
    for process in started:
        _kill(process)


def _kill(process, sig=signal.SIGKILL):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    process.wait(timeout=15)


def _log(process):
    return process.log.read_text()


def _wait_for(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def _queued(client):
    """The task names of the messages queued, oldest first."""
    messages = client.lrange(QUEUE, 0, -1)
    return [json.loads(message)["headers"]["task"] for message in reversed(messages)]


def _holds_lock(process):
    return "beat: Acquired lock" in _log(process)


def _settings(monkeypatch, **env):
    for name in ("REDIS_URL", "BEAT_KEY_PREFIX"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(settings.BASE_DIR) / "config" / "settings.py"))


def test_settings_choose_the_lock_holding_scheduler_with_redis_and_the_file_without(monkeypatch):
    one_machine = _settings(monkeypatch)
    assert one_machine["CELERY_BEAT_SCHEDULER"] == "celery.beat:PersistentScheduler"
    assert not [name for name in one_machine if name.startswith("REDBEAT_")]

    cluster = _settings(monkeypatch, REDIS_URL="redis://redis:6379/0")
    assert cluster["CELERY_BEAT_SCHEDULER"] == "redbeat.RedBeatScheduler"
    assert cluster["REDBEAT_REDIS_URL"] == "redis://redis:6379/0"
    assert cluster["REDBEAT_KEY_PREFIX"] == "crm:beat:"
    assert cluster["REDBEAT_LOCK_KEY"] == "crm:beat::lock"
    # A live beat renews the lock at every wake-up: it must outlast several.
    assert cluster["REDBEAT_LOCK_TIMEOUT"] >= 3 * cluster["CELERY_BEAT_MAX_LOOP_INTERVAL"]

    second_deployment = _settings(
        monkeypatch, REDIS_URL="redis://redis:6379/0", BEAT_KEY_PREFIX="b:"
    )
    assert second_deployment["REDBEAT_KEY_PREFIX"] == "b:"
    assert second_deployment["REDBEAT_LOCK_KEY"] == "b::lock"


def test_two_beats_send_each_job_once_and_the_second_takes_over(beat_redis, beats):
    first, second = beats("first"), beats("second")

    # 1. Both start; one takes the lock, the other waits for it.
    assert _wait_for(lambda: _holds_lock(first) or _holds_lock(second), STARTUP), _log(
        first
    ) + _log(second)
    holder, waiting = (first, second) if _holds_lock(first) else (second, first)
    assert _wait_for(lambda: "beat: Starting..." in _log(waiting), STARTUP), _log(waiting)
    for process in (first, second):
        assert "scheduler -> redbeat.schedulers.RedBeatScheduler" in _log(process)
    assert beat_redis.exists(f"{PREFIX}:lock")

    # 2. Over 8 seconds, the job is queued about 8 times (two beats would make 16).
    assert _wait_for(lambda: len(_queued(beat_redis)) >= 1, 10)
    before = len(_queued(beat_redis))
    time.sleep(8)
    sent_by_two = len(_queued(beat_redis)) - before
    assert 5 <= sent_by_two <= 9, sent_by_two
    assert not _holds_lock(waiting)
    assert "Sending due task" not in _log(waiting)

    # 3. The holder is lost (SIGKILL: the lock is not released). The other takes
    #    over once the lock expires, trying every MAX_LOOP seconds.
    _kill(holder)
    killed_at = time.monotonic()
    at_kill = len(_queued(beat_redis))
    assert _wait_for(lambda: _holds_lock(waiting), LOCK_TIMEOUT + 2 * MAX_LOOP + 3), _log(waiting)
    took_over = time.monotonic() - killed_at
    assert took_over <= LOCK_TIMEOUT + 2 * MAX_LOOP + 1, took_over
    # Nobody sent while no beat held the lock.
    assert len(_queued(beat_redis)) <= at_kill + 1

    # 4. ... and goes on once a second: about 5 in 5 seconds.
    assert _wait_for(lambda: len(_queued(beat_redis)) > at_kill, 3)
    before = len(_queued(beat_redis))
    time.sleep(5)
    sent_after = len(_queued(beat_redis)) - before
    assert 3 <= sent_after <= 6, sent_after
    assert set(_queued(beat_redis)) == {"beat_test.tick"}
    print(
        f"two beats: {sent_by_two} sent in 8 s; take-over {took_over:.1f} s after the"
        f" holder was killed; then {sent_after} in 5 s"
    )


def test_a_job_taken_out_of_the_schedule_is_not_sent_again(beat_redis, beats):
    # A release whose schedule still had the retired job.
    old = beats("old", BEAT_TEST_RETIRED="1")
    assert _wait_for(lambda: "beat_test.retired" in _queued(beat_redis), STARTUP), _log(old)
    _kill(old, signal.SIGTERM)
    assert beat_redis.exists(f"{PREFIX}beat-test-retired")
    beat_redis.delete(QUEUE)

    # The next release's beat: the retired job is gone from Redis, never sent.
    new = beats("new")
    assert _wait_for(lambda: len(_queued(beat_redis)) >= 3, STARTUP), _log(new)
    assert set(_queued(beat_redis)) == {"beat_test.tick"}
    assert not beat_redis.exists(f"{PREFIX}beat-test-retired")
    assert beat_redis.smembers(f"{PREFIX}:statics") == {b"beat-test-tick"}
