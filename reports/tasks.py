"""Celery tasks of the reports app: each takes a period and calls a service."""

from celery import shared_task

from reports import figures, services


@shared_task
def prepare_monthly_reports(month=None):
    """Prepare last month's reports, or those of ``month`` ('YYYY-MM')."""
    target = figures.parse_month(month) if month else services.last_month()
    return services.prepare_month(month=target)


@shared_task
def send_daily_report_reminders():
    """Remind managers of reports due soon and flag overdue ones (working days only)."""
    return services.reports_daily()
