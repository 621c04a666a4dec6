"""Celery tasks of the visits app. Each takes a day and calls a service."""

import datetime

from celery import shared_task

from visits.services import reminders, schedules


def _day(value):
    return datetime.date.fromisoformat(value) if value else None


@shared_task
def send_daily_reminders(day=None):
    """Revisits due and overdue, suggestions near their limit, lapsed grade intervals."""
    return reminders.reminders_send(day=_day(day))


@shared_task
def propose_next_week_schedules(today=None):
    """Next week's schedule for every active manager who has none yet."""
    return schedules.schedules_propose_next_week(today=_day(today))
