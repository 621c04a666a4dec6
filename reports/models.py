"""The monthly sales analysis report (客户月度销售情况分析报告).

One report per manager and month (a database constraint). A scheduled job
prepares the draft: section a) figures, c) material and d) forecast are
computed; the manager writes b) and edits c) and d), then submits; the
regional manager approves or returns it with comments. An approved report is
frozen: its figures and text stay as they were approved.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.links import row_url
from core.models import WorkflowEvent, actor_field, status_fields
from crm.models import Region

# Still the manager's to write: not yet handed in (draft) or handed back (returned).
OPEN_STATUSES = ("draft", "returned")


class MonthlyReportQuerySet(models.QuerySet):
    """The one definition of each derived status of a report.

    The model's properties, the selectors, the daily job, the dashboards and
    the list filters (page and API) all use these, so a report counted on the
    home page is the report ``?status=overdue`` lists and the job flags.
    """

    def open(self):
        """Still the manager's to write (draft or returned)."""
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today=None):
        """Still the manager's to write and past the due date: late now."""
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def late(self):
        """Flagged late by the daily job, or handed in after the due date: a fact
        that stays once the report is submitted or approved."""
        return self.filter(
            models.Q(overdue_at__isnull=False)
            | models.Q(submitted_at__date__gt=models.F("due_date"))
        )

    def awaiting_review(self):
        """Submitted and waiting for the regional manager's decision."""
        return self.filter(status="submitted")


class MonthlyReport(models.Model):
    """A manager's report on one month.

    Overdue: a report still the manager's to write (draft, or returned by the
    reviewer) whose due date (the 5th of the next month, moved to the next
    working day) has passed. A submitted report waits on the reviewer, not on
    the manager, so it is not overdue; if it was late (flagged by the daily
    job, or submitted after the due date) it keeps a "late" mark, also once
    approved. ``MonthlyReportQuerySet`` holds these rules; the properties
    below apply the same rules to one report.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")

    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer manager"),
        on_delete=models.PROTECT,
        related_name="monthly_reports",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="monthly_reports",
        help_text=_("The manager's region when the report was prepared."),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month reported on."))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    due_date = models.DateField(_("due date"))
    overdue_at = models.DateTimeField(
        _("marked overdue at"),
        null=True,
        blank=True,
        help_text=_("Set by the daily job the day after the due date if still unsubmitted."),
    )

    # a) computed by reports.figures; frozen once approved.
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    figures_computed_at = models.DateTimeField(_("figures computed at"), null=True, blank=True)
    # b)
    problems = models.TextField(
        _("problems, causes and countermeasures"), blank=True, max_length=10000
    )
    # c) prefilled from complaints and visit suggestions, editable.
    opinions = models.TextField(
        _("customers' opinions on goods quality and service"), blank=True, max_length=10000
    )
    opinion_sources = models.JSONField(_("opinion sources"), default=list, blank=True)
    # d) computed suggestion per grade and in total, and the manager's forecast.
    forecast = models.JSONField(_("computed forecast"), default=dict, blank=True)
    forecast_amount = models.DecimalField(
        _("forecast amount for next month"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
    )
    forecast_text = models.TextField(_("forecast of next month"), blank=True, max_length=10000)

    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MonthlyReportQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "manager__username"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [
            models.UniqueConstraint(fields=["manager", "month"], name="report_one_per_month"),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="report_month_is_first_day"
            ),
        ]
        indexes = [
            models.Index(fields=["month", "region", "status"]),
            models.Index(fields=["status", "due_date"]),
        ]

    def __str__(self):
        return f"{self.manager} {self.month:%Y-%m}"

    def get_absolute_url(self):
        return row_url("reports:report_detail", self.pk)

    @property
    def is_editable(self):
        """The row of ``MonthlyReportQuerySet.open``."""
        return self.status in OPEN_STATUSES

    def is_overdue_on(self, today):
        """The row of ``MonthlyReportQuerySet.overdue(today)``."""
        return self.is_editable and self.due_date < today

    @property
    def is_overdue(self):
        return self.is_overdue_on(timezone.localdate())

    @property
    def was_late(self):
        """The row of ``MonthlyReportQuerySet.late``."""
        if self.overdue_at is not None:
            return True
        return (
            self.submitted_at is not None and timezone.localdate(self.submitted_at) > self.due_date
        )

    @property
    def display_status(self):
        """The status a list shows: overdue wins over draft/returned."""
        if self.is_overdue:
            return "overdue"
        return self.status

    @property
    def display_status_label(self):
        return _("Overdue") if self.is_overdue else self.get_status_display()


class ReportEvent(WorkflowEvent):
    """Append-only trail of a report: every transition and figures refresh."""

    class Action(models.TextChoices):
        CREATED = "created", _("Prepared")
        REFRESHED = "refreshed", _("Figures refreshed")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")
        OVERDUE = "overdue", _("Marked overdue")

    report = models.ForeignKey(
        MonthlyReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status, to_status = status_fields(to_blank=True)
    actor = actor_field(
        _("actor"), null=True, blank=True, help_text=_("Empty when the scheduled job acted.")
    )
    comment = models.TextField(_("comment"), blank=True, max_length=4000)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def __str__(self):
        return f"{self.report_id} {self.action}"


class ReportComment(models.Model):
    """A reviewer's comment on one section, written when the report is returned."""

    class Section(models.TextChoices):
        GENERAL = "general", _("General")
        FIGURES = "a", _("a) Overall sales")
        PROBLEMS = "b", _("b) Problems, causes and countermeasures")
        OPINIONS = "c", _("c) Customers' opinions")
        FORECAST = "d", _("d) Forecast of next month")

    report = models.ForeignKey(
        MonthlyReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="comments"
    )
    event = models.ForeignKey(
        ReportEvent,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="comments",
        null=True,
        blank=True,
    )
    section = models.CharField(_("section"), max_length=10, choices=Section.choices)
    text = models.TextField(_("comment"), max_length=4000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("report comment")
        verbose_name_plural = _("report comments")

    def __str__(self):
        return f"{self.report_id} {self.section}: {self.text[:40]}"
