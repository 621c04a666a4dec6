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


def notify_many(items, *, batch_size=1000):
    """Notify many at once: ``items`` are (user, key, title, body, url).

    The same rule as ``notify`` - one per (user, key) - kept by the database
    in a few bulk statements instead of one transaction per item, for the
    daily jobs. E-mails are queued after commit in chunks. Returns the number
    of notifications created.
    """
    wanted = {}
    for user, key, title, body, url in items:
        wanted.setdefault((user.pk, key[:200]), (user, str(title)[:200], body, url[:300]))
    if not wanted:
        return 0
    user_ids = {user_id for user_id, _key in wanted}
    existing = set(
        Notification.objects.filter(
            user_id__in=user_ids, key__in={key for _user_id, key in wanted}
        ).values_list("user_id", "key")
    )
    new = [
        Notification(user=user, key=key, title=title, body=body, url=url)
        for (user_id, key), (user, title, body, url) in wanted.items()
        if (user_id, key) not in existing
    ]
    if not new:
        return 0
    with transaction.atomic():
        Notification.objects.bulk_create(new, batch_size=batch_size, ignore_conflicts=True)
    to_email = [n for n in new if n.user.email]
    if to_email:
        created_ids = list(
            Notification.objects.filter(
                user_id__in={n.user_id for n in to_email},
                key__in={n.key for n in to_email},
                emailed_at__isnull=True,
            ).values_list("pk", flat=True)
        )
        transaction.on_commit(lambda: _send_emails(created_ids))
    return len(new)


def _send_emails(notification_ids, chunk=200):
    from crm.tasks import send_notification_emails

    for start in range(0, len(notification_ids), chunk):
        send_notification_emails.delay(notification_ids[start : start + chunk])


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
