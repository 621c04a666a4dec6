"""Celery tasks of the complaints app. Each takes a period and calls a service."""

import datetime

from celery import shared_task

from complaints import services


@shared_task
def send_overdue_reminders(day=None):
    """Remind whoever must act on each overdue form; ``day`` is an ISO date (default today)."""
    day = datetime.date.fromisoformat(day) if day else None
    return services.complaints_send_overdue_reminders(day=day)
