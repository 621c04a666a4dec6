"""The Celery app and the schedule of every periodic job, in one place."""

import logging
import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger(__name__)

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # 02:30 every day: delete the export files (and their jobs) older than
    # EXPORT_KEEP_DAYS; their download links then answer 404.
    "exports-delete-expired": {
        "task": "core.tasks.delete_expired_exports",
        "schedule": crontab(minute=30, hour=2),
    },
    # 02:40 every day: forget the Idempotency-Keys of API writes older than
    # IDEMPOTENCY_DAYS (a phone retries a queued action within days, not months).
    "client-actions-purge": {
        "task": "core.tasks.purge_client_actions",
        "schedule": crontab(minute=40, hour=2),
    },
    # Every 10 minutes: queue again the sales imports whose worker was lost
    # (no progress for SALES_IMPORT_STALE_MINUTES); nothing of them was stored.
    "sales-imports-requeue-stale": {
        "task": "crm.tasks.sales_imports_requeue_stale",
        "schedule": crontab(minute="*/10"),
    },
    # 03:00 on 1 December every year: load next year's official holidays and
    # make-up working days, once the calendar package knows them.
    "calendar-import-next-year": {
        "task": "crm.tasks.calendar_import_next_year",
        "schedule": crontab(minute=0, hour=3, day_of_month=1, month_of_year=12),
    },
    # 07:30 every day: remind each manager of revisits due today and overdue,
    # suggestions near or past their 3-working-day limit, customers whose
    # grade interval lapsed, and the care moments (birthdays, anniversaries) of
    # the days ahead (skipped on days off; one reminder per item a day).
    "visits-daily-reminders": {
        "task": "visits.tasks.send_daily_reminders",
        "schedule": crontab(minute=30, hour=7),
    },
    # 07:40 every day: remind the responsible person of each overdue quality
    # complaint — the manager, or the region's regional managers for a
    # decision (skipped on days off; one reminder per form a day).
    "complaints-overdue-reminders": {
        "task": "complaints.tasks.send_overdue_reminders",
        "schedule": crontab(minute=40, hour=7),
    },
    # 16:00 every Friday: propose next week's schedule for every active manager
    # who has none yet, and tell them (running twice creates nothing twice).
    "visits-propose-next-week": {
        "task": "visits.tasks.propose_next_week_schedules",
        "schedule": crontab(minute=0, hour=16, day_of_week="fri"),
    },
    # 01:00 on the 1st of every month: prepare every active manager's monthly
    # report on last month (running twice creates nothing twice).
    "reports-prepare-last-month": {
        "task": "reports.tasks.prepare_monthly_reports",
        "schedule": crontab(minute=0, hour=1, day_of_month=1),
    },
    # 09:00 every day, acting on working days only: remind managers of reports
    # due within 2 working days; flag overdue reports (drafts and returned ones).
    "reports-daily-reminders": {
        "task": "reports.tasks.send_daily_report_reminders",
        "schedule": crontab(minute=0, hour=9),
    },
}


@worker_process_init.connect
def _warm_up_pdf(**_kwargs):
    """Each worker process loads WeasyPrint and the fonts as it starts, so the
    first document it renders is as quick as the next."""
    from core.pdf import warm_up

    try:
        warm_up()
    except Exception:  # noqa: BLE001 - a missing library shows on the first real PDF
        logger.warning("PDF warm-up failed", exc_info=True)
