"""Notifying users in the app and by e-mail, once per (user, key)."""

import re

from django.conf import settings
from django.core.mail import EmailMessage, get_connection, send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.functional import Promise

from core import audit
from core.models import AuditEvent, Notification

# Line breaks, tabs and other control characters, in runs.
_NOT_ONE_LINE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")


def one_line(text):
    """``text`` fit for an e-mail header: each run of whitespace or control characters is a space.

    Titles are built from what users typed (a customer's name). A CR/LF in a
    subject would start a header of its own (``Bcc: …``); Django refuses it
    with BadHeaderError and the e-mail never left.
    """
    return _NOT_ONE_LINE.sub(" ", str(text)).strip()


class Message:
    """Words written to a user, rendered in *their* language when the notification
    is made: a lazy text (``gettext_lazy``/``ngettext_lazy``) and its parameters.

    ``notify(user=…, title=Message(_lazy("Complaint %(number)s approved"), number=n))``:
    a regional manager's action notifies a manager who reads English in English,
    whatever language the regional manager's page was in. Parameters that are
    lazy texts or Messages are rendered in the same language.
    """

    def __init__(self, text, **params):
        self.text = text
        self.params = params

    def __str__(self):
        if not self.params:
            return str(self.text)
        params = {
            name: str(value) if isinstance(value, Message | Promise) else value
            for name, value in self.params.items()
        }
        return str(self.text % params)

    def __add__(self, other):
        return Joined(self, other)

    def __radd__(self, other):
        return Joined(other, self)


class Joined(Message):
    """Parts rendered one after the other (``Message(…) + " · " + name``), or
    with ``sep`` between them (``Joined(*lines, sep="\n")``)."""

    def __init__(self, *parts, sep=""):
        super().__init__("")
        self.parts = parts
        self.sep = sep

    def __str__(self):
        return self.sep.join(str(part) for part in self.parts)


def language_of(user):
    """The language the product writes to ``user`` in (``User.language``)."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def render_for(user, text):
    """``text`` (a str, a lazy text or a Message) in ``user``'s language."""
    with translation.override(language_of(user)):
        return str(text)


# Other ways out besides the in-app list and e-mail (a region's group robot):
# callables taking the ids of new notifications, called after the commit that
# made them. Apps above core add theirs from ``AppConfig.ready()``.
_channels = []


def add_channel(deliver):
    """Send new notifications another way too; adding the same callable twice adds it once."""
    if deliver not in _channels:
        _channels.append(deliver)


def _deliver(notification_ids):
    for deliver in _channels:
        deliver(notification_ids)


def notify(*, user, key, title, body="", url=""):
    """Create the notification unless (user, key) exists; e-mail it after commit.

    Returns the new notification, or None when it was already there.
    """
    try:
        with transaction.atomic():
            # Keys, titles and links are written by the code (a title quotes a
            # customer's name): cut to their columns, never refusing the event.
            notification = Notification.objects.create(
                user=user,
                key=key[:200],
                title=one_line(render_for(user, title))[:200],
                body=render_for(user, body),
                url=url[:300],
                email_status=Notification.EmailStatus.QUEUED if user.email else "",
            )
    except IntegrityError:
        return None
    if user.email:
        transaction.on_commit(lambda: _send_email(notification.pk))
    if _channels:
        transaction.on_commit(lambda: _deliver([notification.pk]))
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
        # Cut to the columns as in ``notify``: written by the code, not typed.
        wanted.setdefault(
            (user.pk, key[:200]),
            (user, one_line(render_for(user, title))[:200], render_for(user, body), url[:300]),
        )
    if not wanted:
        return 0
    user_ids = {user_id for user_id, _key in wanted}
    existing = set(
        Notification.objects.filter(
            user_id__in=user_ids, key__in={key for _user_id, key in wanted}
        ).values_list("user_id", "key")
    )
    new = [
        Notification(
            user=user,
            key=key,
            title=title,
            body=body,
            url=url,
            email_status=Notification.EmailStatus.QUEUED if user.email else "",
        )
        for (user_id, key), (user, title, body, url) in wanted.items()
        if (user_id, key) not in existing
    ]
    if not new:
        return 0
    started = timezone.now()
    with transaction.atomic():
        Notification.objects.bulk_create(new, batch_size=batch_size, ignore_conflicts=True)
    if _channels:
        new_ids = list(
            Notification.objects.filter(
                user_id__in={n.user_id for n in new},
                key__in={n.key for n in new},
                created_at__gte=started,
            ).values_list("pk", flat=True)
        )
        transaction.on_commit(lambda: _deliver(new_ids))
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
    from core.tasks import send_notification_emails

    for start in range(0, len(notification_ids), chunk):
        send_notification_emails.delay(notification_ids[start : start + chunk])


def _send_email(notification_id):
    from core.tasks import send_notification_email

    send_notification_email.delay(notification_id)


def _email_body(notification):
    if not notification.url:
        return notification.body
    return f"{notification.body}\n\n{settings.SITE_URL.rstrip('/')}{notification.url}"


def _claim(queryset):
    """Mark ``queryset``'s unsent rows as being sent, once: the ids claimed here.

    One conditional UPDATE claims them all (a second worker's update of the
    same rows waits for this one and then finds them taken); the claim's
    timestamp finds them again.
    """
    stamp = timezone.now()
    with transaction.atomic():
        queryset.filter(emailed_at__isnull=True).update(
            emailed_at=stamp, email_attempts=F("email_attempts") + 1
        )
        return list(queryset.filter(emailed_at=stamp).values_list("pk", flat=True))


def send_emails(notification_ids):
    """Send many notifications' e-mails, each once, over one mail connection.

    The daily jobs notify thousands at once: the rows are claimed, read and
    marked sent in a few statements a batch instead of four a message. A
    message that fails is released for a retry of its own (``failed`` is
    returned with the ids) and the connection opened again for the rest.
    Returns ``(sent, failed)``.
    """
    claimed = _claim(Notification.objects.filter(pk__in=list(notification_ids)))
    if not claimed:
        return 0, []
    rows = Notification.objects.select_related("user").filter(pk__in=claimed).order_by("pk")
    sent, failed = [], {}
    connection = get_connection()
    try:
        for notification in rows:
            message = EmailMessage(
                one_line(notification.title),
                _email_body(notification),
                None,
                [notification.user.email],
                connection=connection,
            )
            try:
                message.send()
            except Exception as exc:  # noqa: BLE001 - the others still go out
                failed[notification.pk] = one_line(f"{type(exc).__name__}: {exc}")[:500]
                connection.close()
                connection = get_connection()
                continue
            sent.append(notification.pk)
    finally:
        connection.close()
    Notification.objects.filter(pk__in=sent).update(
        email_status=Notification.EmailStatus.SENT, email_error=""
    )
    for pk, error in failed.items():
        Notification.objects.filter(pk=pk).update(
            emailed_at=None, email_status=Notification.EmailStatus.RETRYING, email_error=error
        )
    return len(sent), list(failed)


def send_email(*, notification_id, final=True):
    """Send one notification's e-mail, once: the row is claimed before sending.

    A failure is written on the row and raised, for the task to retry; when
    ``final`` (no retry follows) the row says "failed" and the audit trail
    gets an "e-mail not sent" event, where admins look.
    """
    if not _claim(Notification.objects.filter(pk=notification_id)):
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    try:
        send_mail(
            one_line(notification.title), _email_body(notification), None, [notification.user.email]
        )
    except Exception as exc:
        error = one_line(f"{type(exc).__name__}: {exc}")[:500]
        status = Notification.EmailStatus.FAILED if final else Notification.EmailStatus.RETRYING
        # Release the claim so a retry (or an admin) can send it again.
        Notification.objects.filter(pk=notification_id).update(
            emailed_at=None, email_status=status, email_error=error
        )
        if final:
            audit.record(
                AuditEvent.Action.EMAIL_FAILED,
                obj=notification,
                username=notification.user.get_username(),
                summary=f"{notification.user.get_username()}: {notification.title}",
                error=error,
                attempts=notification.email_attempts,
            )
        raise
    Notification.objects.filter(pk=notification_id).update(
        email_status=Notification.EmailStatus.SENT, email_error=""
    )
    return True


def mark_read(*, user, notification_ids=None):
    queryset = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=notification_ids)
    return queryset.update(read_at=timezone.now())
