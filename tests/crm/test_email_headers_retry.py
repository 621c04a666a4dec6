"""E-mail subjects are one line whatever users typed; a failed e-mail is retried, then shown."""

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from core import notifications
from core.models import AuditEvent, Notification
from core.tasks import EMAIL_RETRIES
from tests import factories
from tests.visits.conftest import make_violation

pytestmark = pytest.mark.django_db

HOSTILE_NAME = "A\r\nBcc: x@evil.example"


class FlakyBackend(EmailBackend):
    """The test outbox, behind a mail server that refuses the first ``failures`` tries."""

    failures = 0
    tries = 0

    def send_messages(self, messages):
        FlakyBackend.tries += 1
        if FlakyBackend.tries <= FlakyBackend.failures:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"

    def _failing(times):
        FlakyBackend.failures = times
        FlakyBackend.tries = 0

    yield _failing
    FlakyBackend.failures = FlakyBackend.tries = 0


def test_customer_name_with_a_line_break_gives_a_one_line_subject(
    manager, regional_manager, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    customer = factories.CustomerFactory(
        manager=manager, name=HOSTILE_NAME, grade=factories.grade("B1")
    )
    with django_capture_on_commit_callbacks(execute=True):
        make_violation(manager, customer)
    [message] = [m for m in mail.outbox if m.to == [regional_manager.email]]
    assert "\r" not in message.subject and "\n" not in message.subject
    assert "A Bcc: x@evil.example" in message.subject
    sent = message.message()
    assert sent["Bcc"] is None and message.bcc == []
    assert sent["To"] == regional_manager.email
    notification = Notification.objects.get(user=regional_manager)
    assert notification.email_status == Notification.EmailStatus.SENT
    assert "\n" not in notification.title


def test_one_line_collapses_every_control_character():
    assert notifications.one_line(" A\r\n\tBcc:\x00 x\x0b\x1f\x7fy\u2028z ") == "A Bcc: x y z"


def test_a_failing_mail_server_is_tried_again_until_it_takes_the_mail(
    manager, flaky, django_capture_on_commit_callbacks
):
    flaky(2)
    with django_capture_on_commit_callbacks(execute=True):
        notification = notifications.notify(user=manager, key="k:1", title="回访到期")
    assert FlakyBackend.tries == 3
    assert [m.subject for m in mail.outbox] == ["回访到期"]
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.SENT
    assert notification.email_attempts == 3
    assert notification.emailed_at is not None
    assert not AuditEvent.objects.filter(action="email_failed").exists()


def test_an_e_mail_that_never_leaves_is_shown_to_admins(
    manager, admin_user, client, flaky, django_capture_on_commit_callbacks
):
    flaky(100)
    with django_capture_on_commit_callbacks(execute=True):
        notification = notifications.notify(user=manager, key="k:2", title="报告待审")
    assert mail.outbox == []
    assert FlakyBackend.tries == EMAIL_RETRIES + 1
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.FAILED
    assert notification.email_attempts == EMAIL_RETRIES + 1
    assert "SMTPServerDisconnected" in notification.email_error
    assert notification.emailed_at is None
    # The audit trail says so, and the admin's notification list finds it.
    event = AuditEvent.objects.get(action="email_failed")
    assert (event.object_type, event.object_id) == ("core.Notification", str(notification.pk))
    assert event.data["attempts"] == EMAIL_RETRIES + 1
    client.force_login(admin_user)
    page = client.get(reverse("admin:core_notification_changelist"), {"email_status": "failed"})
    assert "报告待审" in page.text
    audit_page = client.get(reverse("audit_list"))
    assert audit_page.status_code == 200
    assert manager.username in audit_page.text


def test_a_failure_in_a_batch_is_retried_alone(
    manager, teammate, flaky, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(notifications, "_send_emails", queued.extend)
    items = [
        (manager, "revisit:1:2026-10-09", "回访 1", "", "/v/1/"),
        (teammate, "revisit:2:2026-10-09", "回访 2", "", "/v/2/"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.notify_many(items) == 2
    flaky(1)  # the batch's first e-mail fails once
    from core.tasks import send_notification_emails

    send_notification_emails.delay(queued)
    assert sorted(m.subject for m in mail.outbox) == ["回访 1", "回访 2"]
    statuses = dict(Notification.objects.values_list("title", "email_status"))
    assert statuses == {"回访 1": "sent", "回访 2": "sent"}
    # The one that failed went out on its second attempt, the other on its first.
    assert sorted(Notification.objects.values_list("email_attempts", flat=True)) == [1, 2]
