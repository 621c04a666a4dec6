"""The Celery app and the schedule of every periodic job, in one place."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")

app = Celery("crm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # 03:00 on 1 December every year: load next year's official holidays and
    # make-up working days, once the calendar package knows them.
    "calendar-import-next-year": {
        "task": "crm.tasks.calendar_import_next_year",
        "schedule": crontab(minute=0, hour=3, day_of_month=1, month_of_year=12),
    },
}
