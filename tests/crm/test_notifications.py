import pytest
from django.core import mail

from crm import notifications
from crm.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)


def test_notify_once_per_key_and_email_once(manager):
    first = notifications.notify(
        user=manager, key="revisit:1:2026-10-05", title="回访到期", url="/x/"
    )
    second = notifications.notify(user=manager, key="revisit:1:2026-10-05", title="回访到期")
    assert first is not None and second is None
    assert Notification.objects.filter(user=manager).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [manager.email]
    assert mail.outbox[0].subject == "回访到期"
    assert "/x/" in mail.outbox[0].body
    # Sending again (a retried task) sends nothing more.
    assert notifications.send_email(notification_id=first.pk) is False
    assert len(mail.outbox) == 1


def test_mark_read_touches_only_own(manager, teammate):
    own = notifications.notify(user=manager, key="a", title="a")
    other = notifications.notify(user=teammate, key="a", title="a")
    assert notifications.mark_read(user=manager) == 1
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.read_at is not None and other.read_at is None
