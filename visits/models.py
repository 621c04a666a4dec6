"""Customer visits (客户访问): weekly schedules, visit records with the checklist,
signatures that lock the record, revisits and suggestions, price-violation
reports, promotional-material receipts, unlicensed-operation reports and
work logs."""

import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import models as core_models
from core.errors import ConflictError
from core.links import row_url
from core.models import SettingsRow, actor_field, status_fields
from core.uploads import GeneratedName
from crm.models import Customer, Region

User = settings.AUTH_USER_MODEL


class WeeklySchedule(models.Model):
    """A manager's plan for one week (客户访问日程表)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    manager = models.ForeignKey(
        User, verbose_name=_("customer manager"), on_delete=models.PROTECT, related_name="schedules"
    )
    week_start = models.DateField(_("week starting"), help_text=_("The Monday of the week."))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    proposed_by_job = models.BooleanField(_("proposed automatically"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["-week_start", "manager_id"]
        verbose_name = _("weekly schedule")
        verbose_name_plural = _("weekly schedules")
        constraints = [
            models.UniqueConstraint(fields=["manager", "week_start"], name="one_schedule_per_week"),
        ]

    def __str__(self):
        return f"{self.manager} {self.week_start:%Y-%m-%d}"

    def get_absolute_url(self):
        return row_url("visits:schedule_detail", self.pk)


class PlannedVisit(models.Model):
    schedule = models.ForeignKey(
        WeeklySchedule, verbose_name=_("schedule"), on_delete=models.CASCADE, related_name="entries"
    )
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="planned_visits",
    )
    planned_date = models.DateField(_("planned date"))
    due_date = models.DateField(
        _("due date"), null=True, blank=True, help_text=_("When the grade interval falls due.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["planned_date", "due_date", "customer__code"]
        verbose_name = _("planned visit")
        verbose_name_plural = _("planned visits")
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "customer"], name="plan_customer_once_a_week"
            )
        ]

    def __str__(self):
        return f"{self.customer_id} {self.planned_date}"

    @property
    def is_overdue(self):
        """Its grade interval lapsed before the week began: the schedule page's
        badge and the API's ``is_overdue`` both read this."""
        return self.due_date is not None and self.due_date < self.schedule.week_start


class WorkflowEvent(core_models.WorkflowEvent):
    """A visits workflow's trail row: its action is free text, and the time is
    the moment of saving."""

    action = models.CharField(_("action"), max_length=30)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta(core_models.WorkflowEvent.Meta):
        abstract = True


class ScheduleChange(models.Model):
    """Append-only record of every change to a schedule after it was submitted."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Submitted")
        ADD = "add", _("Added")
        MOVE = "move", _("Moved")
        REMOVE = "remove", _("Removed")

    schedule = models.ForeignKey(
        WeeklySchedule, verbose_name=_("schedule"), on_delete=models.CASCADE, related_name="changes"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    old_date = models.DateField(_("old date"), null=True, blank=True)
    new_date = models.DateField(_("new date"), null=True, blank=True)
    actor = actor_field()
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("schedule change")
        verbose_name_plural = _("schedule changes")

    def __str__(self):
        return f"{self.schedule_id} {self.action}"


class ScheduleComment(models.Model):
    schedule = models.ForeignKey(
        WeeklySchedule,
        verbose_name=_("schedule"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        User, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("schedule comment")
        verbose_name_plural = _("schedule comments")

    def __str__(self):
        return self.text[:40]


# The visit checklist of SPEC.md §2, a)–f): (field prefix, label).
CHECKLIST = (
    ("info_passed", _("a) Company information passed on")),
    ("info_collected", _("b) Market information collected")),
    ("stock_checked", _("c) Stock checked and an order suggested")),
    ("display_improved", _("d) Display improved / price tags replaced")),
    ("sales_observed", _("e) Sales observed and lawful operation urged")),
    ("price_checked", _("f) Minimum retail guide price compliance checked")),
)


class VisitLocked(ConflictError):
    """A locked visit record cannot change; corrections are new linked records.

    A ``ConflictError``, so the API answers 409 with the message wherever it
    is raised, even from ``save()``.
    """


class VisitChecklist(models.Model):
    """The checklist of the paper form, a)–f): each item done or not, with a note."""

    info_passed = models.BooleanField(_("a) Company information passed on"), default=False)
    info_passed_note = models.CharField(_("note"), max_length=500, blank=True)
    info_collected = models.BooleanField(_("b) Market information collected"), default=False)
    info_collected_note = models.CharField(_("note"), max_length=500, blank=True)
    stock_checked = models.BooleanField(_("c) Stock checked and an order suggested"), default=False)
    stock_checked_note = models.CharField(_("note"), max_length=500, blank=True)
    display_improved = models.BooleanField(
        _("d) Display improved / price tags replaced"), default=False
    )
    display_improved_note = models.CharField(_("note"), max_length=500, blank=True)
    sales_observed = models.BooleanField(
        _("e) Sales observed and lawful operation urged"), default=False
    )
    sales_observed_note = models.CharField(_("note"), max_length=500, blank=True)
    price_checked = models.BooleanField(
        _("f) Minimum retail guide price compliance checked"), default=False
    )
    price_checked_note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        abstract = True


class VisitQuerySet(models.QuerySet):
    """The one definition of a revisit's derived status, used by the model, the
    "today" page and API, the suggestions page and the 07:30 reminders."""

    def revisits_open(self, until):
        """Revisits set on or before ``until`` and not yet made. A record that was
        corrected counts through its correction only; a customer who left the
        network is not revisited."""
        return self.filter(
            revisit_on__isnull=False,
            revisit_on__lte=until,
            revisited_by__isnull=True,
            corrections__isnull=True,
            customer__network_status=Customer.NetworkStatus.ACTIVE,
        )

    def revisits_due(self, today):
        """To be revisited today."""
        return self.revisits_open(today).filter(revisit_on=today)

    def revisits_overdue(self, today):
        """Should have been revisited before today."""
        return self.revisits_open(today).filter(revisit_on__lt=today)


class Visit(VisitChecklist):
    """One visit to a customer (营销人员市场走访签到记录)."""

    class Kind(models.TextChoices):
        PLANNED = "planned", _("Planned visit")
        SPECIAL = "special", _("Special visit")

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        ENDED = "ended", _("Ended, awaiting signatures")
        MANAGER_SIGNED = "manager_signed", _("Signed by the manager")
        LOCKED = "locked", _("Confirmed by the customer (locked)")

    class CheckIn(models.TextChoices):
        ON_SITE = "on_site", _("On site")
        OFF_SITE = "off_site", _("Off site")
        NO_LOCATION = "no_location", _("No location")

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="visits"
    )
    manager = models.ForeignKey(
        User, verbose_name=_("customer manager"), on_delete=models.PROTECT, related_name="visits"
    )
    planned_visit = models.OneToOneField(
        PlannedVisit,
        verbose_name=_("planned visit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visit",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PLANNED)
    special_reason = models.CharField(_("special circumstance"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS
    )
    arrived_at = models.DateTimeField(_("arrived at"))
    departed_at = models.DateTimeField(_("departed at"), null=True, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # Decided on the server at arrival, against the shop's location known then
    # (visits.check_in): no position or no shop location is "no location".
    check_in = models.CharField(
        _("check-in"), max_length=12, choices=CheckIn.choices, default=CheckIn.NO_LOCATION
    )
    distance_m = models.PositiveIntegerField(_("distance from the shop (m)"), null=True, blank=True)
    order_suggestion = models.CharField(_("order suggestion"), max_length=500, blank=True)
    price_violation = models.BooleanField(
        _("price violation found"),
        default=False,
        help_text=_("Sold below the minimum retail guide price; reported to the regional manager."),
    )
    findings = models.TextField(_("findings"), blank=True, max_length=4000)
    customer_opinions = models.TextField(_("customer opinions"), blank=True, max_length=4000)
    revisit_on = models.DateField(_("revisit on"), null=True, blank=True)
    revisited_by = models.ForeignKey(
        "self",
        verbose_name=_("revisited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-arrived_at", "-id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [
            # The whole list, newest first: an admin's visit list pages through it.
            models.Index(fields=["-arrived_at", "-id"], name="visit_newest_first_idx"),
            models.Index(fields=["manager", "-arrived_at"]),
            models.Index(fields=["customer", "-arrived_at"]),
            models.Index(
                fields=["revisit_on"],
                condition=models.Q(revisited_by__isnull=True),
                name="visit_open_revisit_idx",
            ),
        ]

    def __str__(self):
        return f"{self.customer} {self.arrived_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk and Visit.objects.filter(pk=self.pk, status=self.Status.LOCKED).exists():
            raise VisitLocked(_("This visit record is locked."))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return row_url("visits:visit_detail", self.pk)

    def is_revisit_overdue_on(self, today):
        """For a row of ``VisitQuerySet.revisits_open``: the row of ``revisits_overdue``."""
        if self.revisit_on is None or self.revisited_by_id is not None:
            return False
        return self.revisit_on < today

    @property
    def is_revisit_overdue(self):
        return self.is_revisit_overdue_on(timezone.localdate())

    def delete(self, *args, **kwargs):
        raise VisitLocked(_("Visit records are never deleted."))

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == self.Kind.SPECIAL and not self.special_reason.strip():
            errors["special_reason"] = _("A special visit needs the special circumstance.")
        if self.departed_at and self.arrived_at and self.departed_at < self.arrived_at:
            errors["departed_at"] = _("Departure cannot be before arrival.")
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            errors["latitude"] = _("Latitude must be between -90 and 90.")
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            errors["longitude"] = _("Longitude must be between -180 and 180.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_locked(self):
        return self.status == self.Status.LOCKED

    def checklist(self):
        """[(label, done, note)] in the order of the paper form."""
        return [
            (label, getattr(self, prefix), getattr(self, f"{prefix}_note"))
            for prefix, label in CHECKLIST
        ]

    def photo_stages(self):
        """[(stage, label, photos)] of the display photos, before first."""
        photos = list(self.photos.all())
        return [
            (stage, label, [photo for photo in photos if photo.stage == stage])
            for stage, label in VisitPhoto.Stage.choices
        ]

    def content_hash(self, *, manager_signature_digest=""):
        """SHA-256 of what the signers confirm: the content and the manager's signature."""
        content = {
            "customer": self.customer_id,
            "manager": self.manager_id,
            "kind": self.kind,
            "special_reason": self.special_reason,
            "arrived_at": self.arrived_at.isoformat() if self.arrived_at else None,
            "departed_at": self.departed_at.isoformat() if self.departed_at else None,
            "latitude": str(self.latitude) if self.latitude is not None else None,
            "longitude": str(self.longitude) if self.longitude is not None else None,
            "order_suggestion": self.order_suggestion,
            "price_violation": self.price_violation,
            "findings": self.findings,
            "customer_opinions": self.customer_opinions,
            "revisit_on": self.revisit_on.isoformat() if self.revisit_on else None,
            "corrects": self.corrects_id,
            "manager_signature": manager_signature_digest,
        }
        for prefix, _label in CHECKLIST:
            content[prefix] = getattr(self, prefix)
            content[f"{prefix}_note"] = getattr(self, f"{prefix}_note")
        # The display photos by their bytes; a record without any hashes as before.
        photos = sorted(f"{photo.stage}:{photo.sha256}" for photo in self.photos.all())
        if photos:
            content["photos"] = photos
        payload = json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(payload).hexdigest()


class Signature(models.Model):
    """A signature drawn on screen, with who and when and the content it confirmed."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("Customer manager")
        CUSTOMER = "customer", _("Customer")

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.PROTECT, related_name="signatures"
    )
    role = models.CharField(_("signed as"), max_length=10, choices=Role.choices)
    signer_name = models.CharField(_("signer name"), max_length=100)
    image = models.FileField(_("signature image"), upload_to=GeneratedName("signatures", "png"))
    image_sha256 = models.CharField(_("image SHA-256"), max_length=64)
    content_hash = models.CharField(_("content hash"), max_length=64)
    captured_by = models.ForeignKey(
        User, verbose_name=_("captured by"), on_delete=models.PROTECT, related_name="+"
    )
    # The phone's time of signing (a signature drawn offline is sent later);
    # when the server got it beside it.
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, null=True)

    class Meta:
        ordering = ["signed_at", "id"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(fields=["visit", "role"], name="one_signature_per_role")
        ]

    def __str__(self):
        return f"{self.visit_id} {self.role} {self.signer_name}"


class VisitPhoto(models.Model):
    """A photo of the display for checklist item d): before or after the manager
    improved it. Part of what the signers confirm (``Visit.content_hash``)."""

    class Stage(models.TextChoices):
        BEFORE = "before", _("Before")
        AFTER = "after", _("After")

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.PROTECT, related_name="photos"
    )
    stage = models.CharField(_("taken"), max_length=10, choices=Stage.choices)
    image = models.FileField(_("photo"), upload_to=GeneratedName("visits/photos"))
    content_type = models.CharField(_("content type"), max_length=30)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = actor_field(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["stage", "uploaded_at", "id"]
        verbose_name = _("display photo")
        verbose_name_plural = _("display photos")

    def __str__(self):
        return f"{self.visit_id} {self.stage} {self.image.name}"


class VisitEvent(WorkflowEvent):
    """Append-only trail of a visit's transitions."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.PROTECT, related_name="events"
    )
    from_status, to_status = status_fields(to_blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("visit event")
        verbose_name_plural = _("visit events")

    def __str__(self):
        return f"{self.visit_id} {self.action}"


def suggestion_near_limit(today):
    """Suggestions are flagged from the working day before their limit on."""
    from core import workdays

    return workdays.add_working_days(today, 1)


class SuggestionQuerySet(models.QuerySet):
    """The one definition of a suggestion's derived status, used by the model,
    the pages, the "today" page and API, and the 07:30 reminders."""

    def open(self):
        return self.filter(answered_at__isnull=True)

    def overdue(self, today=None):
        """Not answered and the answer limit has passed."""
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def near_limit(self, today=None):
        """Not answered and due by the next working day, or overdue: the ones to remind about."""
        return self.open().filter(due_on__lte=suggestion_near_limit(today or timezone.localdate()))


class Suggestion(models.Model):
    """A customer's suggestion recorded on a visit; answered within 3 working days."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting an answer")
        ANSWERED = "answered", _("Answered")

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.PROTECT, related_name="suggestions"
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="suggestions"
    )
    text = models.TextField(_("suggestion"), max_length=2000)
    due_on = models.DateField(_("answer due on"))
    answer = models.TextField(_("answer"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        User, verbose_name=_("answered by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("customer suggestion")
        verbose_name_plural = _("customer suggestions")
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=models.Q(answered_at__isnull=True),
                name="suggestion_open_idx",
            ),
        ]

    def __str__(self):
        return self.text[:40]

    def is_overdue_on(self, today):
        """The row of ``SuggestionQuerySet.overdue(today)``."""
        return self.answered_at is None and self.due_on < today

    @property
    def is_overdue(self):
        return self.is_overdue_on(timezone.localdate())


class PriceViolation(models.Model):
    """A price violation found on a visit, for the regional manager to decide on."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting decision")
        DOWNGRADED = "downgraded", _("Customer downgraded")
        DISMISSED = "dismissed", _("Dismissed")

    visit = models.OneToOneField(
        Visit, verbose_name=_("visit"), on_delete=models.PROTECT, related_name="violation"
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="violations"
    )
    note = models.CharField(_("what was found"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    decided_by = models.ForeignKey(
        User, verbose_name=_("decided by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("price violation")
        verbose_name_plural = _("price violations")

    def __str__(self):
        return f"{self.customer} {self.get_status_display()}"


class CheckInSettings(SettingsRow):
    """How far from the shop a check-in still counts as on site; one row, edited by admins."""

    radius_m = models.PositiveIntegerField(
        _("on-site radius (m)"),
        default=300,
        validators=[MinValueValidator(20), MaxValueValidator(5000)],
        help_text=_(
            "A visit whose arrival position is farther than this from the shop is marked "
            "off site (20 to 5,000 metres)."
        ),
    )

    class Meta:
        verbose_name = _("check-in settings")
        verbose_name_plural = _("check-in settings")

    def __str__(self):
        return str(_("Check-in settings"))


class PromotionReceipt(models.Model):
    """Promotional items handed to a customer (宣传促销品签收单), signed by the customer."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="promotions"
    )
    manager = models.ForeignKey(
        User, verbose_name=_("customer manager"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.CharField(_("item"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"))
    signer_name = models.CharField(_("signer name"), max_length=100)
    signature = models.FileField(
        _("customer signature"), upload_to=GeneratedName("promotions", "png")
    )
    signature_sha256 = models.CharField(max_length=64)
    handed_at = models.DateTimeField(_("handed out at"), auto_now_add=True)

    class Meta:
        ordering = ["-handed_at"]
        verbose_name = _("promotional material receipt")
        verbose_name_plural = _("promotional material receipts")

    def __str__(self):
        return f"{self.customer} {self.item} × {self.quantity}"


class UnlicensedReport(models.Model):
    """Unlicensed operation seen in the market (无证经营)."""

    class Status(models.TextChoices):
        REPORTED = "reported", _("Reported")
        FORWARDED = "forwarded", _("Forwarded to the monopoly department")
        CLOSED = "closed", _("Outcome recorded")

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    reporter = models.ForeignKey(
        User, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=300)
    # Where the reporter stood, when their phone told it (WGS-84, as visits' check-ins).
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    description = models.TextField(_("description"), max_length=4000)
    photo = models.ImageField(
        _("photo"), upload_to=GeneratedName("unlicensed"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REPORTED
    )
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)
    forwarded_by = models.ForeignKey(
        User, verbose_name=_("forwarded by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    forward_note = models.CharField(_("forwarding note"), max_length=500, blank=True)
    outcome = models.TextField(_("outcome"), blank=True, max_length=4000)
    # The day of the outcome (the department's action), which may be before it is recorded.
    outcome_on = models.DateField(_("outcome date"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("unlicensed operation report")
        verbose_name_plural = _("unlicensed operation reports")

    def __str__(self):
        return self.address


class WorkLog(models.Model):
    """A manager's daily log or weekly summary (工作日志)."""

    class Kind(models.TextChoices):
        DAILY = "daily", _("Daily log")
        WEEKLY = "weekly", _("Weekly summary")

    author = models.ForeignKey(
        User, verbose_name=_("author"), on_delete=models.PROTECT, related_name="work_logs"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    day = models.DateField(_("date"), help_text=_("The day, or the Monday of the week."))
    content = models.TextField(_("content"), max_length=10000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("work log")
        verbose_name_plural = _("work logs")
        constraints = [
            models.UniqueConstraint(fields=["author", "kind", "day"], name="one_log_per_period")
        ]

    def __str__(self):
        return f"{self.author} {self.day}"


class WorkLogComment(models.Model):
    log = models.ForeignKey(
        WorkLog, verbose_name=_("work log"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        User, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("work log comment")
        verbose_name_plural = _("work log comments")

    def __str__(self):
        return self.text[:40]


class PriceViolationEvent(WorkflowEvent):
    violation = models.ForeignKey(
        PriceViolation,
        verbose_name=_("price violation"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    from_status, to_status = status_fields(PriceViolation.Status)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("price violation event")
        verbose_name_plural = _("price violation events")


class UnlicensedReportEvent(WorkflowEvent):
    report = models.ForeignKey(
        UnlicensedReport,
        verbose_name=_("unlicensed operation report"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    from_status, to_status = status_fields(UnlicensedReport.Status)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("unlicensed operation report event")
        verbose_name_plural = _("unlicensed operation report events")


class SuggestionEvent(WorkflowEvent):
    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("customer suggestion"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    from_status, to_status = status_fields(Suggestion.Status)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("customer suggestion event")
        verbose_name_plural = _("customer suggestion events")
