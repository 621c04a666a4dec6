"""The working-day calendar: Monday to Friday, less holidays, plus make-up days (调休).

The exceptions live in ``CalendarDay`` rows that admins maintain; they are
seeded from the ``chinesecalendar`` package. Each function reads the rows of
the span it needs in one query.
"""

import datetime

from core.models import CalendarDay

# Chinese public holidays never run longer than this, so a window of this many
# days always contains the next working day.
_LOOKAHEAD_DAYS = 31


def _exceptions(start, end):
    rows = CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "kind")
    return dict(rows)


def _is_working(day, exceptions):
    kind = exceptions.get(day)
    if kind == CalendarDay.Kind.HOLIDAY:
        return False
    if kind == CalendarDay.Kind.WORKDAY:
        return True
    return day.weekday() < 5


def is_working_day(day):
    return _is_working(day, _exceptions(day, day))


def next_working_day(day):
    """The first working day on or after ``day``."""
    start = day
    while True:
        end = start + datetime.timedelta(days=_LOOKAHEAD_DAYS)
        exceptions = _exceptions(start, end)
        current = start
        while current <= end:
            if _is_working(current, exceptions):
                return current
            current += datetime.timedelta(days=1)
        start = end + datetime.timedelta(days=1)


def add_working_days(day, count):
    """The date ``count`` working days after ``day`` (``day`` itself is not counted)."""
    if count < 0:
        raise ValueError("count must not be negative")
    if count == 0:
        return day
    span = count * 2 + _LOOKAHEAD_DAYS
    current = day
    remaining = count
    while True:
        end = current + datetime.timedelta(days=span)
        exceptions = _exceptions(current, end)
        while current < end:
            current += datetime.timedelta(days=1)
            if _is_working(current, exceptions):
                remaining -= 1
                if remaining == 0:
                    return current


def working_days_between(start, end):
    """The working days in [start, end], in order."""
    exceptions = _exceptions(start, end)
    days = []
    current = start
    while current <= end:
        if _is_working(current, exceptions):
            days.append(current)
        current += datetime.timedelta(days=1)
    return days
