"""The satisfaction index as a KPI of the home dashboards and ``/api/kpis/``.

Registered in ``crm.kpis`` from the app's ``ready()`` (``registrations``). The
index is ``satisfaction.selectors``' definition: the mean of the answers'
indices (0–100), shown from ``SATISFACTION_MIN_ANSWERS`` answers. As a
``crm.kpis.Ratio`` it is ``done`` = the answers' indices added up / 100 and
``total`` = the number of answers, so adding managers' ratios gives the
region's mean over all its answers, as ``index_by(by="region")`` does.
"""

from django.db.models import Count, Max, Sum
from django.utils.translation import gettext_lazy as _

from core import months
from crm import kpis
from satisfaction.models import Answer
from satisfaction.selectors import minimum_answers

_GROUP = {"manager": "manager_id", "region": "region_id"}


def _answers(by, ids):
    return Answer.objects.filter(index__isnull=False, **{f"{_GROUP[by]}__in": ids}).order_by()


def _ratio(total_index, count):
    return kpis.Ratio((total_index or 0) / 100, count, minimum_answers())


def latest_index(by, ids, today):
    """The index of the latest month with answers of any of ``ids`` up to ``today``'s
    month, per manager (or region). Two queries."""
    latest = (
        _answers(by, ids)
        .filter(month__lte=months.month_start(today))
        .aggregate(month=Max("month"))["month"]
    )
    if latest is None:
        return {}
    field = _GROUP[by]
    rows = (
        _answers(by, ids)
        .filter(month=latest)
        .values(field)
        .annotate(total=Sum("index"), count=Count("id"))
    )
    return {row[field]: _ratio(row["total"], row["count"]) for row in rows}


def index_series(by, ids, month_list):
    """``{id: {month: Ratio}}`` over the months given. One query."""
    field = _GROUP[by]
    rows = (
        _answers(by, ids)
        .filter(month__gte=month_list[0], month__lte=month_list[-1])
        .values(field, "month")
        .annotate(total=Sum("index"), count=Count("id"))
    )
    result = {}
    for row in rows:
        result.setdefault(row[field], {})[row["month"]] = _ratio(row["total"], row["count"])
    return result


def register():
    kpis.register(
        kpis.Kpi(
            "satisfaction",
            _("Satisfaction index"),
            latest_index,
            unit="index",
            order=50,
            description=_(
                "The latest month's satisfaction index (0–100), from the minimum number of "
                "answers on."
            ),
        )
    )
    kpis.register(
        kpis.Trend(
            "satisfaction",
            _("Satisfaction index, last 13 months"),
            index_series,
            unit="index",
            order=20,
        )
    )
