"""Celery tasks of the customer archive. Each takes ids or a period and calls a service."""

from celery import shared_task
from django.utils import timezone

from core.tasks import DELIVERY, DELIVERY_RETRIES
from crm import services


@shared_task
def calendar_import_year(year):
    return services.calendar_import_year(year=year)


@shared_task
def calendar_import_next_year():
    year = timezone.localdate().year + 1
    return services.calendar_import_year(year=year)


@shared_task
def sales_import_run(sales_import_id):
    # Redelivered or run twice, it imports once: the service claims the import.
    batch = services.sales_import_run(sales_import_id=sales_import_id)
    return batch.status if batch else None


@shared_task
def sales_imports_requeue_stale():
    return len(services.sales_imports_requeue_stale())


# A group robot that is down is tried again as notification e-mails are; then
# the message says "failed" in the admin's group robot messages.
ROBOT_RETRIES = DELIVERY_RETRIES


@shared_task(**DELIVERY)
def send_robot_message(self, message_id):
    from crm import robots

    return robots.send(message_id=message_id, final=self.request.retries >= self.max_retries)
