"""Notifying users in the app and by e-mail, once per (user, key)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from crm.models import Notification


def notify(*, user, key, title, body="", url=""):
    """Create the notification unless (user, key) exists; e-mail it after commit.

    Returns the new notification, or None when it was already there.
    """
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, key=key[:200], title=title[:200], body=body, url=url[:300]
            )
    except IntegrityError:
        return None
    if user.email:
        transaction.on_commit(lambda: _send_email(notification.pk))
    return notification


def _send_email(notification_id):
    from crm.tasks import send_notification_email

    send_notification_email.delay(notification_id)


def send_email(*, notification_id):
    """Send one notification's e-mail, once: the row is claimed before sending."""
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if claimed != 1:
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    body = notification.body
    if notification.url:
        body = f"{body}\n\n{settings.SITE_URL.rstrip('/')}{notification.url}"
    try:
        send_mail(notification.title, body, None, [notification.user.email])
    except Exception:
        # Release the claim so a retry sends it.
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


def mark_read(*, user, notification_ids=None):
    queryset = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=notification_ids)
    return queryset.update(read_at=timezone.now())
