"""Shanghai wall-clock time for tests: ``at("2026-10-09 10:00")``.

The ``travel`` fixture (tests/conftest.py) freezes time at such a moment.
"""

import datetime
import zoneinfo

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(text):
    """An aware datetime in Shanghai time from 'YYYY-MM-DD HH:MM'."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)
