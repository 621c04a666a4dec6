"""Models of the shared infrastructure: the audit trail, notifications and the
working calendar. Their tables keep the names they were created with."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """An exception to the Monday–Friday week: a holiday or a make-up working day (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        WORKDAY = "workday", _("Make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        db_table = "crm_calendarday"
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"


class Notification(models.Model):
    """A message to one user, shown in the app and sent by e-mail.

    ``key`` names the thing the message is about and the day (for example
    ``revisit:42:2026-10-05``); the database keeps one per user and key, so a
    job that runs twice notifies once.
    """

    class EmailStatus(models.TextChoices):
        NONE = "", _("not e-mailed")
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        RETRYING = "retrying", _("failed, retrying")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    key = models.CharField(_("key"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # What became of the e-mail, so an admin finds the ones that never left.
    email_status = models.CharField(
        _("e-mail"), max_length=10, choices=EmailStatus.choices, blank=True, db_index=True
    )
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_error = models.CharField(_("e-mail error"), max_length=500, blank=True)

    class Meta:
        db_table = "crm_notification"
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")
        ]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]

    def __str__(self):
        return self.title


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit events are append-only.")

    def delete(self):
        raise PermissionError("Audit events are append-only.")


class AuditEvent(models.Model):
    """One thing that happened: who, what, when, from where. Append-only.

    The model refuses updates and deletes; triggers refuse them in the
    database as well, and TRUNCATE on PostgreSQL (migrations 0004 and 0008).
    """

    class Action(models.TextChoices):
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOGOUT = "logout", _("Logged out")
        TOKENS_REVOKED = "tokens_revoked", _("API tokens revoked")
        TRANSITION = "transition", _("Workflow step")
        GRADE_CHANGE = "grade_change", _("Grade change")
        ASSIGNMENT = "assignment", _("Manager change")
        IMPORT = "import", _("Import")
        EXPORT = "export", _("Export")
        PDF = "pdf", _("PDF download")
        DELETE = "delete", _("Deletion")
        EMAIL_FAILED = "email_failed", _("E-mail not sent")
        SETTINGS = "settings", _("Settings changed")
        ANSWER = "answer", _("Survey answer recorded")
        USER_CREATED = "user_created", _("User created")
        USER_CHANGED = "user_changed", _("User changed")
        USER_DEACTIVATED = "user_deactivated", _("User deactivated")
        USER_REACTIVATED = "user_reactivated", _("User reactivated")
        PASSWORD_RESET = "password_reset", _("Password reset")
        LOCKOUT_LIFTED = "lockout_lifted", _("Login lockout lifted")
        REGION_CREATED = "region_created", _("Region created")
        REGION_CHANGED = "region_changed", _("Region changed")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        db_table = "crm_auditevent"
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["actor", "-at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only.")


class ExportJob(models.Model):
    """A big export written by a Celery job: the requester's filters, progress, the file.

    Only the requester downloads it (404 for anybody else); the file and the row
    are deleted after ``settings.EXPORT_KEEP_DAYS`` by a daily job.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    name = models.CharField(_("list"), max_length=40)
    file_format = models.CharField(_("format"), max_length=5)
    params = models.JSONField(_("filters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self):
        return f"{self.name}.{self.file_format} ({self.get_status_display()})"

    @property
    def running(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self):
        if not self.rows_total:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * self.rows_done / self.rows_total))


# The names of an event row's fields: who, and the status it left and reached
# (short, or in full for the trails that name them so).
BY = _("by")
STATUS_LABELS_SHORT = (_("from"), _("to"))
STATUS_LABELS = (_("from status"), _("to status"))


def actor_field(verbose_name=BY, **kwargs):
    """Who did it: a user, kept (``PROTECT``) while rows name them."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        related_name="+",
        **kwargs,
    )


def status_fields(status=None, *, labels=STATUS_LABELS_SHORT, max_length=20, to_blank=False):
    """An event row's ``from_status`` and ``to_status``, with the workflow's choices."""
    choices = {} if status is None else {"choices": status.choices}
    return (
        models.CharField(labels[0], max_length=max_length, blank=True, **choices),
        models.CharField(labels[1], max_length=max_length, blank=to_blank, **choices),
    )


class WorkflowEvent(models.Model):
    """One row of a workflow's append-only trail: who moved it, when, from which
    state to which. A concrete trail adds its object's foreign key, its action and
    status fields (``status_fields``) and what else it keeps (a comment, a note).

    Written by ``core.transitions.record`` in the transaction of the change.
    """

    actor = actor_field()
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.action} {self.from_status} → {self.to_status}"


class SettingsRow(models.Model):
    """A table of one row of settings that admins change, with who changed it last.

    ``load()`` reads the row (made with the defaults the first time); ``change()``
    writes it under a lock, refusing a name that is not one of its settings.
    """

    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    @classmethod
    def load(cls):
        row, _created = cls.objects.get_or_create(pk=1)
        return row

    @classmethod
    def setting_names(cls):
        kept = {"id", "updated_at", "updated_by"}
        return {field.name for field in cls._meta.concrete_fields if field.name not in kept}

    @classmethod
    def change(cls, *, actor, **values):
        unknown = set(values) - cls.setting_names()
        if unknown:
            refused = _("This field cannot be changed here.")
            raise ValidationError(dict.fromkeys(unknown, refused))
        with transaction.atomic():
            row = cls.objects.select_for_update().get(pk=cls.load().pk)
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_by = actor
            row.full_clean()
            row.save()
        return row


class ClientAction(models.Model):
    """A write sent with an ``Idempotency-Key`` (an id the phone made for a queued
    action) and the answer it got: a replay of the same key gets that answer again
    and changes nothing (``core.idempotency``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    key = models.CharField(_("key"), max_length=64)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=300)
    request_sha256 = models.CharField(_("request SHA-256"), max_length=64)
    # 0 only inside the transaction that runs the action: the row and the
    # action's effects are committed together, with the answer.
    status_code = models.PositiveSmallIntegerField(_("status code"), default=0)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    body = models.BinaryField(_("body"), blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("client action")
        verbose_name_plural = _("client actions")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_answer_per_client_action")
        ]
        indexes = [models.Index(fields=["received_at"])]

    def __str__(self):
        return f"{self.method} {self.path} [{self.key}] {self.status_code}"
