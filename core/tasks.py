"""Celery tasks of the shared infrastructure: sending notification e-mails."""

from celery import shared_task

# A receiver (mail server, group robot) that is down or refuses for a while: try
# again after about 1, 2, 4, 8 and 16 minutes (jittered), then the message says
# "failed". A bound task given these options knows its last try by
# ``self.request.retries >= self.max_retries``.
DELIVERY_RETRIES = 5
EMAIL_RETRIES = DELIVERY_RETRIES
DELIVERY = {
    "bind": True,
    "autoretry_for": (Exception,),
    "retry_backoff": 60,
    "retry_backoff_max": 30 * 60,
    "retry_jitter": True,
    "max_retries": DELIVERY_RETRIES,
}


@shared_task(**DELIVERY)
def send_notification_email(self, notification_id):
    from core import notifications

    return notifications.send_email(
        notification_id=notification_id, final=self.request.retries >= self.max_retries
    )


@shared_task
def send_notification_emails(notification_ids):
    from core import notifications

    sent, failed = notifications.send_emails(notification_ids)
    for pk in failed:
        # Retried on its own, with backoff.
        send_notification_email.apply_async((pk,), countdown=60)
    return sent


@shared_task(bind=True)
def run_export(self, job_id):
    """Write a big export's file (core.export_jobs); a failure marks the job failed."""
    from core import export_jobs

    try:
        job = export_jobs.run_job(job_id)
    except Exception as error:
        export_jobs.fail_job(job_id, "")
        raise error
    return job.pk if job is not None else None


@shared_task
def delete_expired_exports():
    """Delete the export files older than EXPORT_KEEP_DAYS (and their jobs)."""
    from core import export_jobs

    return export_jobs.delete_expired()


@shared_task
def purge_client_actions():
    """Forget the Idempotency-Keys older than IDEMPOTENCY_DAYS."""
    from core import idempotency

    return idempotency.purge()
