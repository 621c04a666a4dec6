"""Celery tasks of the customer archive. Each takes ids or a period and calls a service."""

from celery import shared_task
from django.utils import timezone

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


# A group robot that is down or refuses for a while: try again after about 1, 2,
# 4, 8 and 16 minutes (jittered), as notification e-mails are; then the message
# says "failed" in the admin's group robot messages.
ROBOT_RETRIES = 5


@shared_task(
    bind=True,
    autoretry_for=(Exception,),
    retry_backoff=60,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=ROBOT_RETRIES,
)
def send_robot_message(self, message_id):
    from crm import robots

    return robots.send(message_id=message_id, final=self.request.retries >= self.max_retries)
