import pytest
from django.core import mail

from core import notifications
from core.models import Notification

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


def test_notify_many_creates_each_once_and_emails_each_once(
    manager, teammate, monkeypatch, django_assert_max_num_queries
):
    notifications.notify(user=manager, key="suggestion:7:2026-10-09", title="已有")
    items = [
        (manager, "suggestion:7:2026-10-09", "建议待答复", "", "/v/7/"),
        *[(manager, f"revisit:{i}:2026-10-09", f"回访 {i}", "", "/v/") for i in range(40)],
        (teammate, "revisit:99:2026-10-09", "回访 99", "", "/v/99/"),
    ]
    queued = []
    send_emails = notifications._send_emails
    monkeypatch.setattr(notifications, "_send_emails", queued.extend)

    # A fixed number of statements, whatever the number of items (one more: the ids of
    # the new notifications, for the group robots channel).
    with django_assert_max_num_queries(7):
        created = notifications.notify_many(items)

    assert created == 41
    assert len(queued) == 41
    assert notifications.notify_many(items) == 0
    assert Notification.objects.filter(user=manager).count() == 41
    assert Notification.objects.filter(user=teammate).count() == 1
    send_emails(queued)
    send_emails(queued)  # a retried job sends nothing twice
    # One e-mail per notification (the earlier one included), none twice.
    assert len(mail.outbox) == 42
    assert len({message.subject for message in mail.outbox}) == 42


@pytest.mark.parametrize("count", [3, 40])
def test_a_batch_of_emails_costs_the_same_queries_and_one_connection(
    count, monkeypatch, django_assert_num_queries
):
    from django.core.mail.backends.locmem import EmailBackend

    from tests.factories import ManagerFactory

    opened = []

    def connect():
        opened.append(EmailBackend())
        return opened[-1]

    monkeypatch.setattr(notifications, "get_connection", connect)
    monkeypatch.setattr(notifications, "_send_emails", lambda ids: None)
    people = ManagerFactory.create_batch(count)
    notifications.notify_many(
        (person, f"revisit:{i}:2026-10-09", f"回访 {i}", "", f"/v/{i}/")
        for i, person in enumerate(people)
    )
    ids = list(Notification.objects.values_list("pk", flat=True))
    mail.outbox.clear()
    # Claim (begin, update, read back, commit), the rows with their users, the "sent" mark.
    with django_assert_num_queries(6):
        assert notifications.send_emails(ids) == (count, [])
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert len(opened) == 1
    opened.clear()
    assert set(Notification.objects.values_list("email_status", flat=True)) == {"sent"}
    # Sent once: a second run (a redelivered task) sends nothing.
    assert notifications.send_emails(ids) == (0, [])
    assert len(mail.outbox) == count and not opened
