"""Quality complaints: the feedback form (商品及服务质量信息反馈单) and its trail.

A complaint moves through explicit states (``Complaint.Status``); each move is
one service in ``complaints.services`` that writes a ``ComplaintEvent``.
Signatures and photos are separate rows that are never overwritten: a form
that is rejected and signed again keeps the earlier signature too.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.links import row_url
from core.models import STATUS_LABELS, SettingsRow, WorkflowEvent, status_fields
from core.uploads import GeneratedName
from crm.models import Customer


class ComplaintSettings(SettingsRow):
    """The working-day deadline of each step; one row, edited by admins."""

    inspection_days = models.PositiveSmallIntegerField(
        _("inspection (working days after the report)"),
        default=1,
        validators=[MinValueValidator(1)],
    )
    decision_days = models.PositiveSmallIntegerField(
        _("regional decision (working days after submission)"),
        default=2,
        validators=[MinValueValidator(1)],
    )
    exchange_days = models.PositiveSmallIntegerField(
        _("exchange (working days after approval)"),
        default=3,
        validators=[MinValueValidator(1)],
    )
    feedback_days = models.PositiveSmallIntegerField(
        _("feedback (working days after the exchange)"),
        default=1,
        validators=[MinValueValidator(1)],
    )

    class Meta:
        verbose_name = _("complaint deadlines")
        verbose_name_plural = _("complaint deadlines")

    def __str__(self):
        return str(_("Complaint deadlines"))


class ComplaintQuerySet(models.QuerySet):
    """The one definition of each derived status of a complaint, used by the
    model, the selectors and list filters, the reminder job and the dashboards."""

    def open(self):
        return self.exclude(status="closed")

    def overdue(self, today=None):
        """Not closed and the current step's deadline has passed."""
        return self.filter(self.overdue_q(today))

    @staticmethod
    def overdue_q(today=None):
        """``overdue`` as a condition, for annotations and counts."""
        return models.Q(due_on__lt=today or timezone.localdate()) & ~models.Q(status="closed")

    def with_overdue(self, today=None):
        """Annotate ``overdue`` (True/False) by the same rule, to sort and badge on."""
        return self.annotate(
            overdue=models.Case(
                models.When(self.overdue_q(today), then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )

    def awaiting_decision(self):
        """Submitted and waiting for the regional decision (approve or reject);
        whose decision it is comes from ``complaints.access``."""
        return self.filter(status="submitted")


class Complaint(models.Model):
    class Kind(models.TextChoices):
        GOODS = "goods", _("Goods quality")
        SERVICE = "service", _("Service quality")

    class Status(models.TextChoices):
        OPEN = "open", _("Reported, awaiting inspection")
        INSPECTED = "inspected", _("Inspected, awaiting submission")
        SUBMITTED = "submitted", _("Awaiting regional decision")
        REJECTED = "rejected", _("Rejected, to correct")
        APPROVED = "approved", _("Approved, awaiting exchange")
        EXCHANGED = "exchanged", _("Exchanged, awaiting feedback")
        CLOSED = "closed", _("Closed")

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="complaints"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.GOODS)
    product = models.CharField(_("product"), max_length=200, blank=True)
    batch_number = models.CharField(_("batch number"), max_length=100, blank=True)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    problem = models.TextField(_("problem reported"))
    reported_on = models.DateField(_("reported on"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    due_on = models.DateField(
        _("current step due on"),
        null=True,
        blank=True,
        help_text=_("The working-day deadline of the step the form waits for."),
    )

    # Inspection (现场查看)
    cause = models.TextField(_("cause found on inspection"), blank=True)
    inspected_at = models.DateTimeField(_("inspected at"), null=True, blank=True)
    inspection_signature = models.ForeignKey(
        "ComplaintSignature",
        verbose_name=_("customer signature"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    # Regional decision (区域市场经理审核)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)

    # Exchange (调换) and the customer's confirmation (客户确认)
    exchange_product = models.CharField(_("goods exchanged"), max_length=200, blank=True)
    exchange_quantity = models.DecimalField(
        _("quantity exchanged"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    exchanged_on = models.DateField(_("exchanged on"), null=True, blank=True)
    receipt_signature = models.ForeignKey(
        "ComplaintSignature",
        verbose_name=_("customer confirmation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # Feedback (处理结果反馈)
    result = models.TextField(_("result fed back to the customer"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("quality complaint")
        verbose_name_plural = _("quality complaints")
        indexes = [
            models.Index(fields=["customer", "-created_at"]),
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["reported_on"]),
        ]

    def __str__(self):
        return f"{self.number} {self.product or self.get_kind_display()}"

    def get_absolute_url(self):
        return row_url("complaints:detail", self.pk)

    @property
    def number(self):
        return f"QF{self.pk:06d}" if self.pk else "QF—"

    def is_overdue(self, today=None):
        """The row of ``ComplaintQuerySet.overdue``."""
        if self.due_on is None or self.status == self.Status.CLOSED:
            return False
        return self.due_on < (today or timezone.localdate())


class ComplaintSignature(models.Model):
    """A customer's signature drawn on screen; kept even when the form is signed again."""

    class Role(models.TextChoices):
        INSPECTION = "inspection", _("Customer signature on inspection")
        RECEIPT = "receipt", _("Customer confirmation on receipt")

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.PROTECT, related_name="signatures"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    image = models.FileField(
        _("signature image"), upload_to=GeneratedName("complaints/signatures", "png")
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    signer_name = models.CharField(_("signed by (customer)"), max_length=100)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("captured by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)

    class Meta:
        ordering = ["signed_at", "id"]
        verbose_name = _("complaint signature")
        verbose_name_plural = _("complaint signatures")

    def __str__(self):
        return f"{self.complaint_id} {self.role} {self.signer_name}"


class ComplaintPhoto(models.Model):
    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.PROTECT, related_name="photos"
    )
    image = models.FileField(_("photo"), upload_to=GeneratedName("complaints/photos"))
    content_type = models.CharField(_("content type"), max_length=30)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("complaint photo")
        verbose_name_plural = _("complaint photos")

    def __str__(self):
        return f"{self.complaint_id} {self.image.name}"


class ComplaintEvent(WorkflowEvent):
    """Append-only trail: who did what to a complaint, when, from which state to which."""

    class Action(models.TextChoices):
        OPENED = "opened", _("Opened")
        PHOTO_ADDED = "photo_added", _("Photo added")
        INSPECTED = "inspected", _("Inspected and signed by the customer")
        SUBMITTED = "submitted", _("Submitted for decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CORRECTED = "corrected", _("Corrected after the rejection")
        EXCHANGED = "exchanged", _("Goods exchanged, receipt confirmed")
        CLOSED = "closed", _("Result fed back, closed")

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status, to_status = status_fields(Complaint.Status, labels=STATUS_LABELS)
    comment = models.TextField(_("comment"), blank=True)
    due_on = models.DateField(_("next step due on"), null=True, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")

    def __str__(self):
        return f"{self.complaint_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
