"""What a month is: its first day, the month n months away, its bounds in time.

Months are dates on the 1st. Parsing a month typed by a user ("2026-09") is
``core.business_dates.parse_month``; working days are ``core.workdays``.
"""

import datetime

from django.utils import timezone


def month_start(day):
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def month_shift(month, months):
    """The first day of the month ``months`` after (or before, if negative) ``month``."""
    index = month.year * 12 + month.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_back(today, count):
    """The ``count`` whole months before ``today``'s month, oldest first."""
    first = month_start(today)
    return [month_shift(first, -offset) for offset in range(count, 0, -1)]


def month_key(month):
    """'2026-09': how a month is written in URLs, file names and the API."""
    return f"{month:%Y-%m}"


def month_bounds(month):
    """(start, end) aware datetimes of ``month`` in the current time zone, end excluded."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(month_start(month), datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(month_shift(month, 1), datetime.time.min, tzinfo=tz)
    return start, end
