"""Satisfaction measurement (客户满意度测评, regulation §4.8).

- A ``Questionnaire`` is data an admin edits; its questions live in a
  ``QuestionnaireVersion``. Editing a version that answers were given on makes
  a new version; the answers keep theirs.
- A ``Round`` (测评) surveys a sample of customers (``RoundCustomer``) of one
  region, or all, for one month; it is open, then closed (``RoundEvent`` rows).
- An ``Answer`` is one customer's answer in a round (one per customer per
  round, a database constraint), with its ``AnswerItem`` per question and its
  own index (0–100), stored so the index of a month is one aggregate.
- A ``Measure`` is a manager's analysis and measures after a round closed
  (4.8.1–4.8.2), read and commented on by the regional manager.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.links import row_url
from core.models import STATUS_LABELS, WorkflowEvent, status_fields
from crm.models import Customer, Region


class Questionnaire(models.Model):
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    is_active = models.BooleanField(_("in use for new rounds"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self):
        return self.name

    def current_version(self):
        return self.versions.order_by("-number").first()


class QuestionnaireVersion(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )

    class Meta:
        ordering = ["questionnaire_id", "number"]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="satisfaction_one_version_number"
            )
        ]

    def __str__(self):
        return f"{self.questionnaire.name} v{self.number}"

    def in_use(self):
        """Answers or rounds were given on it: its questions may no longer change."""
        return self.rounds.exists()


class Question(models.Model):
    class Kind(models.TextChoices):
        SCORE = "score", _("Score 1–5")
        CHOICE = "choice", _("Single choice")
        TEXT = "text", _("Free text")

    version = models.ForeignKey(
        QuestionnaireVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SCORE)
    text = models.CharField(_("question"), max_length=300)
    # One option per line, for a single-choice question.
    options = models.TextField(_("options (one per line)"), blank=True, max_length=2000)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Only score questions count in the index, each by its weight."),
    )
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["version_id", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text

    @property
    def option_list(self):
        return [line.strip() for line in self.options.splitlines() if line.strip()]


class RoundQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Round.Status.OPEN)

    def closed(self):
        return self.filter(status=Round.Status.CLOSED)


class Round(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open for answers")
        CLOSED = "closed", _("Closed")

    class Sample(models.TextChoices):
        ALL = "all", _("All customers")
        BY_GRADE = "by_grade", _("Random sample per grade")

    version = models.ForeignKey(
        QuestionnaireVersion,
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    # None: every region.
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="satisfaction_rounds",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month surveyed."))
    sample = models.CharField(
        _("sample"), max_length=10, choices=Sample.choices, default=Sample.ALL
    )
    per_grade = models.PositiveIntegerField(
        _("customers per grade"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    launched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("launched by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    launched_at = models.DateTimeField(_("launched at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "-id"]
        verbose_name = _("satisfaction round")
        verbose_name_plural = _("satisfaction rounds")
        indexes = [models.Index(fields=["month", "region"], name="satisfaction_round_month")]

    def __str__(self):
        return f"{self.month:%Y-%m} #{self.pk}"

    def get_absolute_url(self):
        return row_url("satisfaction:round_detail", self.pk)


class RoundCustomer(models.Model):
    """A customer of a round's sample, with the manager and region it had when drawn:
    the answer counts for them, whoever manages the customer later."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="sample_rows"
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["round_id", "customer__code"]
        verbose_name = _("sampled customer")
        verbose_name_plural = _("sampled customers")
        constraints = [
            models.UniqueConstraint(fields=["round", "customer"], name="satisfaction_sample_once")
        ]

    def __str__(self):
        return f"{self.round_id}: {self.customer_id}"


class RoundEvent(WorkflowEvent):
    """Append-only trail of a round: launched, closed."""

    class Action(models.TextChoices):
        LAUNCHED = "launched", _("Launched")
        CLOSED = "closed", _("Closed")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status, to_status = status_fields(Round.Status, labels=STATUS_LABELS, max_length=10)
    comment = models.TextField(_("comment"), blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("round event")
        verbose_name_plural = _("round events")

    def __str__(self):
        return f"{self.round_id} {self.action}"


class Answer(models.Model):
    class Channel(models.TextChoices):
        SERVICE_CENTRE = "service_centre", _("Surveyed by the service centre")
        VIA_MANAGER = "via_manager", _("Self-reported via the manager")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="answers"
    )
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="satisfaction_answers",
    )
    version = models.ForeignKey(
        QuestionnaireVersion,
        verbose_name=_("questionnaire version"),
        on_delete=models.PROTECT,
        related_name="answers",
    )
    # The customer's manager and region when sampled: the index is theirs.
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        on_delete=models.PROTECT,
        null=True,
        related_name="satisfaction_answers",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"))
    channel = models.CharField(_("recorded"), max_length=20, choices=Channel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # This answer's index: the weighted mean of its score questions, 1 → 0 … 5 → 100;
    # None when it scored none.
    index = models.DecimalField(_("index"), max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("satisfaction answer")
        verbose_name_plural = _("satisfaction answers")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "customer"], name="satisfaction_one_answer_per_round"
            )
        ]
        indexes = [
            models.Index(fields=["month", "manager"], name="satisfaction_answer_manager"),
            models.Index(fields=["month", "region"], name="satisfaction_answer_region"),
        ]

    def __str__(self):
        return f"{self.round_id}: {self.customer_id}"

    def get_absolute_url(self):
        return row_url("satisfaction:answer_detail", self.pk)


class AnswerItem(models.Model):
    answer = models.ForeignKey(
        Answer, verbose_name=_("answer"), on_delete=models.PROTECT, related_name="items"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="items"
    )
    score = models.PositiveSmallIntegerField(
        _("score"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    choice = models.CharField(_("choice"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True, max_length=2000)

    class Meta:
        ordering = ["answer_id", "question__position"]
        verbose_name = _("answer item")
        verbose_name_plural = _("answer items")
        constraints = [
            models.UniqueConstraint(fields=["answer", "question"], name="satisfaction_item_once")
        ]

    def __str__(self):
        return f"{self.answer_id}: {self.question_id}"


class Measure(models.Model):
    """A manager's analysis of a closed round and the measures they will take."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To write")
        WRITTEN = "written", _("Written")
        COMMENTED = "commented", _("Commented by the regional manager")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="measures"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        on_delete=models.PROTECT,
        related_name="satisfaction_measures",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    analysis = models.TextField(_("analysis"), blank=True, max_length=5000)
    measures = models.TextField(_("measures"), blank=True, max_length=5000)
    written_at = models.DateTimeField(_("written at"), null=True, blank=True)
    comment = models.TextField(_("regional manager's comment"), blank=True, max_length=5000)
    commented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("commented by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    commented_at = models.DateTimeField(_("commented at"), null=True, blank=True)

    class Meta:
        ordering = ["-round__month", "manager__username"]
        verbose_name = _("satisfaction measures")
        verbose_name_plural = _("satisfaction measures")
        constraints = [
            models.UniqueConstraint(fields=["round", "manager"], name="satisfaction_one_measure")
        ]

    def __str__(self):
        return f"{self.round_id}: {self.manager_id}"

    def get_absolute_url(self):
        return row_url("satisfaction:measure_detail", self.pk)


class MeasureEvent(WorkflowEvent):
    """Append-only trail of a manager's measures: written, commented."""

    class Action(models.TextChoices):
        WRITTEN = "written", _("Analysis and measures written")
        COMMENTED = "commented", _("Commented")

    measure = models.ForeignKey(
        Measure, verbose_name=_("measures"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status, to_status = status_fields(Measure.Status, labels=STATUS_LABELS, max_length=10)
    comment = models.TextField(_("comment"), blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("measures event")
        verbose_name_plural = _("measures events")

    def __str__(self):
        return f"{self.measure_id} {self.action}"
