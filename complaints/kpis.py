"""The complaints app's figure: complaint steps taken on time (registered in
``crm.kpis`` from ``ComplaintsConfig.ready()``)."""

import datetime

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint, ComplaintEvent
from crm import kpis

_GROUP = {"manager": "customer__manager_id", "region": "customer__region_id"}
# Over the last year: a rolling window, so January is not empty.
WINDOW_DAYS = 365
# Adding a photo is not a step of the form.
NOT_STEPS = (ComplaintEvent.Action.OPENED, ComplaintEvent.Action.PHOTO_ADDED)


def steps_on_time(by, ids, today):
    """Steps of the complaints of the managers' (or regions') customers in the last
    year, and how many were taken on time. Two queries.

    A step (inspected, submitted, approved or rejected, exchanged, closed) is on
    time when it was taken on or before the working-day deadline that the step
    before it set (``ComplaintEvent.due_on``, from the admin's complaint
    deadlines). A form now past its deadline (``Complaint.objects.overdue``)
    counts as one more step, not on time: the step it waits for is late already.
    """
    field = _GROUP[by]
    since = today - datetime.timedelta(days=WINDOW_DAYS)
    previous_due = (
        ComplaintEvent.objects.filter(complaint=OuterRef("complaint"), due_on__isnull=False)
        .filter(Q(at__lt=OuterRef("at")) | Q(at=OuterRef("at"), pk__lt=OuterRef("pk")))
        .order_by("-at", "-pk")
        .values("due_on")[:1]
    )
    steps = (
        ComplaintEvent.objects.exclude(action__in=NOT_STEPS)
        .filter(**{f"complaint__{field}__in": ids})
        .annotate(day=TruncDate("at"), previous_due=Subquery(previous_due))
        .filter(day__gt=since, day__lte=today, previous_due__isnull=False)
        .order_by()
        .values(f"complaint__{field}")
        .annotate(total=Count("id"), done=Count("id", filter=Q(day__lte=F("previous_due"))))
    )
    result = {row[f"complaint__{field}"]: kpis.Ratio(row["done"], row["total"]) for row in steps}
    late = (
        Complaint.objects.overdue(today)
        .filter(**{f"{field}__in": ids})
        .order_by()
        .values(field)
        .annotate(count=Count("id"))
    )
    for row in late:
        result[row[field]] = result.get(row[field], kpis.Ratio()) + kpis.Ratio(0, row["count"])
    return result


def register():
    kpis.register(
        kpis.Kpi(
            "complaint_steps",
            _("Complaint steps on time"),
            steps_on_time,
            order=30,
            description=_(
                "Steps of the last 12 months taken by the deadline the step before set; a form "
                "past its deadline counts as a late step."
            ),
        )
    )
