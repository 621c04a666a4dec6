"""A real Celery worker process on the test database, for the tests that need one."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection


def database_url():
    """The test database as a ``DATABASE_URL``, for a process started from a test."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] or "postgres"
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


def start_worker(queue, *, loglevel, env=(), **popen):
    """A worker process (one prefork child) consuming ``queue``; ``popen`` goes to Popen.

    ``env`` adds to the environment, which already names the test database.
    """
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            queue,
            "--concurrency",
            "1",
            "--pool",
            "prefork",
            "--loglevel",
            loglevel,
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=Path(settings.BASE_DIR),
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **dict(env),
        },
        **popen,
    )
