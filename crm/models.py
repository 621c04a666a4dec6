"""The customer archive: users and regions, customers, grading, sales, calendar."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.business_dates import validate_past_date
from core.links import row_url
from core.models import STATUS_LABELS, SettingsRow, WorkflowEvent, actor_field, status_fields
from core.uploads import GeneratedName


class Region(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name


class User(AbstractUser):
    class Role(models.TextChoices):
        MANAGER = "manager", _("Customer manager")
        REGIONAL_MANAGER = "regional_manager", _("Regional market manager")
        ADMIN = "admin", _("Administrator")
        # 客户服务中心: surveys customers' satisfaction, reads names and contacts only.
        SERVICE_CENTRE = "service_centre", _("Customer service centre")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MANAGER)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # The language of what the product writes to this user when they are not
    # looking (notifications, e-mails, group robots); set on the account page.
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        """Chinese names read family name first with no space (张伟); others as Django has it."""
        first, last = self.first_name.strip(), self.last_name.strip()
        if any("\u4e00" <= char <= "\u9fff" for char in first + last):
            return f"{last}{first}"
        return super().get_full_name()

    def clean(self):
        super().clean()
        if self.role in (self.Role.MANAGER, self.Role.REGIONAL_MANAGER) and not self.region_id:
            raise ValidationError({"region": _("Managers and regional managers need a region.")})

    @property
    def is_manager(self):
        return self.role == self.Role.MANAGER

    @property
    def is_regional_manager(self):
        return self.role == self.Role.REGIONAL_MANAGER

    @property
    def is_service_centre(self):
        return self.role == self.Role.SERVICE_CENTRE

    @property
    def is_crm_admin(self):
        return self.role == self.Role.ADMIN or self.is_superuser


class Grade(models.Model):
    """One grade of the grading scheme (分级管理); admins edit the scheme."""

    code = models.CharField(_("grade code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=50)
    rank = models.PositiveSmallIntegerField(
        _("rank"), unique=True, help_text=_("1 is the best grade.")
    )
    min_annual_amount = models.DecimalField(
        _("minimum annual purchase amount"),
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    max_annual_amount = models.DecimalField(
        _("maximum annual purchase amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Exclusive upper bound; empty means no upper bound."),
    )
    visit_interval_days = models.PositiveSmallIntegerField(
        _("visit interval (days)"), validators=[MinValueValidator(1)]
    )
    promotion_allowed = models.BooleanField(
        _("promotions allowed"),
        default=False,
        help_text=_("Promotional materials may be handed to customers of this grade."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        ordering = ["rank"]
        verbose_name = _("grade")
        verbose_name_plural = _("grades")

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        super().clean()
        if (
            self.max_annual_amount is not None
            and self.min_annual_amount is not None
            and self.max_annual_amount <= self.min_annual_amount
        ):
            raise ValidationError(
                {"max_annual_amount": _("The maximum must be greater than the minimum.")}
            )


class Customer(models.Model):
    class Type(models.TextChoices):
        RETAILER = "retailer", _("Retailer")
        DEALER = "dealer", _("Dealer")
        KEY_ACCOUNT = "key_account", _("Key account")

    class KeyAccountClass(models.TextChoices):
        INDUSTRY = "industry", _("Industry")
        REGION = "region", _("Region")
        POTENTIAL = "potential", _("Potential")

    class NetworkStatus(models.TextChoices):
        ACTIVE = "active", _("In network")
        EXITED = "exited", _("Exited")

    # Identity
    code = models.CharField(
        _("customer code"),
        max_length=30,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9_-]+$", _("Use letters, digits, - and _ only."))],
    )
    name = models.CharField(_("name"), max_length=200)
    licence_number = models.CharField(_("licence number"), max_length=50, unique=True)
    customer_type = models.CharField(
        _("customer type"), max_length=20, choices=Type.choices, default=Type.RETAILER
    )
    key_account_class = models.CharField(
        _("key-account class"), max_length=20, choices=KeyAccountClass.choices, blank=True
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="customers"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer manager"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="customers",
        limit_choices_to={"role": User.Role.MANAGER},
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    grade = models.ForeignKey(
        Grade,
        verbose_name=_("grade"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="customers",
    )

    # Profile (客户档案内容)
    economic_nature = models.CharField(_("economic nature"), max_length=100, blank=True)
    business_scale = models.CharField(_("business scale"), max_length=100, blank=True)
    network_scope = models.CharField(_("network scope"), max_length=200, blank=True)
    main_business_performance = models.TextField(_("main business performance"), blank=True)
    credit_standing = models.CharField(_("credit standing"), max_length=100, blank=True)
    operator_background = models.TextField(_("operator background"), blank=True)
    # Care moments (关怀时刻): a day between 1900 and today, older than business dates.
    operator_birthday = models.DateField(
        _("operator birthday"), null=True, blank=True, validators=[validate_past_date]
    )
    company_anniversary = models.DateField(
        _("company anniversary"),
        null=True,
        blank=True,
        validators=[validate_past_date],
        help_text=_("The day the company was founded."),
    )

    # Network status (入网/退网)
    network_status = models.CharField(
        _("network status"),
        max_length=10,
        choices=NetworkStatus.choices,
        default=NetworkStatus.ACTIVE,
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    exited_on = models.DateField(_("exited on"), null=True, blank=True)
    exit_reason = models.CharField(_("exit reason"), max_length=300, blank=True)

    # Where the shop is (WGS-84, as phones report it): visits check in against it.
    # Changed only through ``services.customer_locate``, which keeps the history.
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [
            models.Index(fields=["region", "code"]),
            # A region's customers' ids without reading the table: the scope of a
            # regional manager's complaints, visits and reports joins through
            # them (an index-only scan, not a heap block per customer).
            models.Index(fields=["region", "id"], name="crm_customer_region_ids"),
            models.Index(fields=["manager", "code"]),
            models.Index(fields=["grade", "code"]),
            models.Index(fields=["network_status", "code"]),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return row_url("customer_detail", self.pk)

    def clean(self):
        super().clean()
        errors = {}
        if self.customer_type == self.Type.KEY_ACCOUNT and not self.key_account_class:
            errors["key_account_class"] = _("A key account needs a key-account class.")
        if self.customer_type != self.Type.KEY_ACCOUNT and self.key_account_class:
            errors["key_account_class"] = _("Only key accounts have a key-account class.")
        if self.manager_id and self.region_id and self.manager.region_id != self.region_id:
            errors["manager"] = _("The manager must work in the customer's region.")
        if self.manager_id and not self.manager.is_manager:
            errors["manager"] = _("Only a customer manager can be assigned.")
        if self.network_status == self.NetworkStatus.EXITED:
            if not self.exited_on:
                errors["exited_on"] = _("An exited customer needs an exit date.")
            if not self.exit_reason:
                errors["exit_reason"] = _("An exited customer needs an exit reason.")
        if self.joined_on and self.exited_on and self.exited_on < self.joined_on:
            errors["exited_on"] = _("The exit date cannot be before the join date.")
        if errors:
            raise ValidationError(errors)


class Contact(models.Model):
    """One entry of the customer's address book (客户通讯录)."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=100, blank=True)
    phone = models.CharField(
        _("phone"),
        max_length=30,
        blank=True,
        validators=[RegexValidator(r"^[0-9+()\- ]*$", _("Enter a valid phone number."))],
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return self.name


class GradeChange(models.Model):
    """Append-only history of a customer's grade."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Manual change")
        REGRADING = "regrading", _("Regrading run")
        INITIAL = "initial", _("Initial grade")
        PRICE_VIOLATION = "price_violation", _("Price violation")

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="grade_changes"
    )
    old_grade = models.ForeignKey(
        Grade, verbose_name=_("old grade"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    new_grade = models.ForeignKey(
        Grade, verbose_name=_("new grade"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    reason = models.CharField(_("reason"), max_length=300)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("grade change")
        verbose_name_plural = _("grade changes")

    def __str__(self):
        return f"{self.customer_id}: {self.old_grade_id} → {self.new_grade_id}"


class LocationChange(models.Model):
    """Append-only history of where a customer's shop was recorded to be."""

    class Source(models.TextChoices):
        VISIT = "visit", _("Set at a visit")
        IMPORT = "import", _("Imported")

    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="location_changes",
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    old_latitude = models.DecimalField(
        _("previous latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    old_longitude = models.DecimalField(
        _("previous longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    # What the change came from, in words: the visit, the imported file.
    note = models.CharField(_("note"), max_length=300, blank=True)
    changed_by = actor_field(_("changed by"))
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("location change")
        verbose_name_plural = _("location changes")

    def __str__(self):
        return f"{self.customer_id}: {self.latitude}, {self.longitude}"


class NetworkStatusChange(WorkflowEvent):
    """Append-only history of a customer leaving (退网) and rejoining (入网) the network.

    The customer's ``exited_on`` and ``exit_reason`` describe the exit it is in
    now; a rejoining clears them, and the earlier exit stays here.
    """

    class Action(models.TextChoices):
        EXITED = "exited", _("Exited the network")
        REJOINED = "rejoined", _("Rejoined the network")

    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="network_changes",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status, to_status = status_fields(
        Customer.NetworkStatus, labels=STATUS_LABELS, max_length=10
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # Empty on the rows written from the archive as it was before this history.
    actor = actor_field(null=True, blank=True)

    class Meta(WorkflowEvent.Meta):
        ordering = ["-date", "-at", "-id"]
        verbose_name = _("network status change")
        verbose_name_plural = _("network status changes")

    def __str__(self):
        return f"{self.customer_id} {self.action} {self.date}"


class Assignment(models.Model):
    """Append-only history of who manages a customer."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="assignments"
    )
    from_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("from manager"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    to_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("to manager"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self):
        return f"{self.customer_id}: {self.from_manager_id} → {self.to_manager_id}"


class SalesRecord(models.Model):
    """A customer's purchases (and sales, when known) in one month (客户进销记录)."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="sales"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    quantity = models.DecimalField(
        _("purchase quantity"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    amount = models.DecimalField(
        _("purchase amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    sales_quantity = models.DecimalField(
        _("sales quantity"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    sales_amount = models.DecimalField(
        _("sales amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    batch = models.ForeignKey(
        "SalesImport",
        verbose_name=_("import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="records",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-month", "customer_id"]
        verbose_name = _("sales record")
        verbose_name_plural = _("sales records")
        constraints = [
            models.UniqueConstraint(fields=["customer", "month"], name="sales_one_row_per_month"),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="sales_month_is_first_day"
            ),
        ]
        # Newest month first, customers in order: the sales list's page 1 is
        # the start of this index, whatever the size of the table.
        indexes = [models.Index(fields=["-month", "customer"], name="sales_newest_month_idx")]

    def __str__(self):
        return f"{self.customer_id} {self.month:%Y-%m}"


class SalesImport(models.Model):
    """One import of sales rows: done at once for a small file, or queued for
    the worker (a large one), and then kept for the record."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    file_name = models.CharField(_("file name"), max_length=255)
    # The upload waits in the file storage (MEDIA_ROOT on one machine, the S3
    # bucket on several) rather than in the row: the worker reads it from
    # there instead of holding up to SALES_IMPORT_MAX_BYTES in memory, and it
    # is deleted once the job ends. The random name keeps it unguessable.
    file = models.FileField(
        _("file"), upload_to=GeneratedName("sales-imports"), blank=True, max_length=200
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DONE
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    rows_checked = models.PositiveIntegerField(_("rows checked"), default=0)
    # At most sales_import.LISTED_ERRORS [row, message] pairs; error_count says
    # how many there were in all.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("bad rows"), default=0)
    months = models.CharField(_("months"), max_length=200, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Set when queued and with every batch of rows checked: an import queued or
    # running whose heartbeat stopped was left by a lost worker, and is queued
    # again (services.sales_imports_requeue_stale).
    heartbeat_at = models.DateTimeField(_("last progress"), null=True, blank=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("sales import")
        verbose_name_plural = _("sales imports")

    def __str__(self):
        return f"{self.file_name} ({self.row_count})"


class RegradingRun(models.Model):
    """A proposal of new grades from the last 12 months of sales."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPLIED = "applied", _("Applied")
        DISCARDED = "discarded", _("Discarded")

    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("regrading run")
        verbose_name_plural = _("regrading runs")

    def __str__(self):
        return f"{self.period_start:%Y-%m} – {self.period_end:%Y-%m}"

    def get_absolute_url(self):
        return row_url("regrading_detail", self.pk)


class RegradingProposal(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPLIED = "applied", _("Applied")

    run = models.ForeignKey(
        RegradingRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="proposals"
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="+"
    )
    old_grade = models.ForeignKey(
        Grade, verbose_name=_("old grade"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    new_grade = models.ForeignKey(
        Grade, verbose_name=_("new grade"), on_delete=models.PROTECT, related_name="+"
    )
    annual_amount = models.DecimalField(_("annual amount"), max_digits=16, decimal_places=2)
    applied = models.BooleanField(_("applied"), default=False)

    class Meta:
        ordering = ["customer__code"]
        verbose_name = _("regrading proposal")
        verbose_name_plural = _("regrading proposals")
        constraints = [
            models.UniqueConstraint(fields=["run", "customer"], name="regrading_one_per_customer")
        ]

    def __str__(self):
        return f"{self.customer_id}: {self.old_grade_id} → {self.new_grade_id}"

    @property
    def is_downgrade(self):
        return self.old_grade is not None and self.new_grade.rank > self.old_grade.rank

    @property
    def state(self):
        """The proposal's state for its transition table (``crm.workflows``)."""
        return self.State.APPLIED if self.applied else self.State.PENDING


class RegradingRunEvent(WorkflowEvent):
    """Append-only trail of a regrading run: started, downgrades confirmed, applied, discarded."""

    class Action(models.TextChoices):
        STARTED = "started", _("Started")
        REGION_APPLIED = "region_applied", _("Downgrades of a region applied")
        APPLIED = "applied", _("Applied")
        DISCARDED = "discarded", _("Discarded")

    run = models.ForeignKey(
        RegradingRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status, to_status = status_fields(RegradingRun.Status, labels=STATUS_LABELS)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("regrading run event")
        verbose_name_plural = _("regrading run events")

    def __str__(self):
        return f"{self.run_id} {self.action}"


class ReminderSettings(SettingsRow):
    """How far ahead care moments are announced, and how soon a new customer is contacted.

    One row, edited by admins on the reminder settings page.
    """

    care_days_ahead = models.PositiveSmallIntegerField(
        _("care moments: days ahead"),
        default=7,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
        help_text=_(
            "The daily reminder and the today page show birthdays and company anniversaries "
            "this many days ahead (0 to 60)."
        ),
    )
    contact_days = models.PositiveSmallIntegerField(
        _("new customers: days to the first contact"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "A customer not visited this many days after being assigned is listed for the "
            "regional manager to reassign."
        ),
    )

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self):
        return str(_("Reminder settings"))


class RegionRobot(models.Model):
    """A region's group robot (企业微信 or 钉钉): every notification of the region's users
    is also posted to its webhook. Set by admins; the URL and secret are never shown to others."""

    class Kind(models.TextChoices):
        WECOM = "wecom", _("WeCom (企业微信) group robot")
        DINGTALK = "dingtalk", _("DingTalk (钉钉) group robot")

    region = models.OneToOneField(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="robot"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    webhook_url = models.CharField(_("webhook URL"), max_length=500)
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_("DingTalk only, when the robot's security setting is 加签 (SEC…)."),
    )
    active = models.BooleanField(_("active"), default=True)
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
        ordering = ["region__code"]
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")

    def __str__(self):
        return f"{self.region}: {self.get_kind_display()}"

    def clean(self):
        super().clean()
        from crm.robots import webhook_problem

        problem = webhook_problem(self.webhook_url)
        if problem:
            raise ValidationError({"webhook_url": problem})
        if self.secret and self.kind != self.Kind.DINGTALK:
            raise ValidationError({"secret": _("Only DingTalk robots are signed.")})


class RobotMessage(models.Model):
    """One notification posted to a group robot: one row per notification, so it goes once."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        RETRYING = "retrying", _("failed, retrying")
        FAILED = "failed", _("failed")

    notification = models.OneToOneField(
        "core.Notification",
        verbose_name=_("notification"),
        on_delete=models.CASCADE,
        related_name="robot_message",
    )
    robot = models.ForeignKey(
        RegionRobot,
        verbose_name=_("group robot"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("group robot message")
        verbose_name_plural = _("group robot messages")

    def __str__(self):
        return f"{self.robot}: {self.notification}"
