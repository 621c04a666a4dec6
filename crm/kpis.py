"""The figures people are judged by (KPIs), as the apps that own the data define them.

Each figure is defined once, in the app that owns its rows (``visits/kpis.py``,
``complaints/kpis.py``, ``reports/kpis.py``, the network exits and the sales
trend here), and registered from that app's ``AppConfig.ready()``::

    from crm import kpis

    kpis.register(kpis.Kpi("coverage", _("Visited within the grade interval"), coverage, order=10))

``Kpi.figures(by, ids, today)`` answers ``{id: Ratio}`` for ``by`` ``"manager"``
(user ids) or ``"region"`` (region ids), in a fixed number of queries whatever
the number of ids or rows. ``Trend.series(by, ids, months)`` answers ``{id:
{month: number or None}}`` over the months given. The home dashboards, the
``/api/kpis/`` endpoints and the exports read the registry, so an app that is
not installed (the satisfaction survey, for one) shows no figure rather than
being imported from here.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from crm.models import Customer, Grade, NetworkStatusChange, SalesRecord

# The yearly network exit rate (退网率) a region must stay below, by grade.
# Taken from issue 15 ("the VIP regulation ... sets a yearly exit rate below
# 3.5%, below 2% for the best grades"); the regulation text in the seeds folder
# (customer-manager-regulation.zh.txt, §3.3 and §4.3) names the exits but gives
# no figure. The best grades are the top ``BEST_GRADES`` ranks of the scheme
# (A1 and A2 in the seed scheme; diamond and gold in VIP practice).
EXIT_RATE_LIMIT = Decimal("0.035")
EXIT_RATE_LIMIT_BEST = Decimal("0.02")
BEST_GRADES = 2


@dataclass(frozen=True)
class Ratio:
    """``done`` of ``total``; no share below ``minimum`` (nothing to judge by)."""

    done: Decimal | int = 0
    total: int = 0
    minimum: int = 1

    def __add__(self, other):
        return Ratio(
            self.done + other.done, self.total + other.total, max(self.minimum, other.minimum)
        )

    @property
    def share(self):
        """``done / total`` as a float from 0 to 1, or None under ``minimum``."""
        if self.total < max(self.minimum, 1):
            return None
        return float(self.done) / self.total


@dataclass(frozen=True)
class Kpi:
    name: str
    label: str
    figures: Callable
    # "percent": share shown as a percentage; "index": share x 100 on a 0-100
    # scale (the satisfaction index); "rate": a small percentage (exits).
    unit: str = "percent"
    order: int = 100
    description: str = ""


@dataclass(frozen=True)
class Trend:
    name: str
    label: str
    series: Callable
    unit: str = "money"
    order: int = 100


_kpis = {}
_trends = {}

GROUPS = ("manager", "region")


def register(kpi):
    """Add a figure (or a trend); registering the same name again replaces it."""
    (_trends if isinstance(kpi, Trend) else _kpis)[kpi.name] = kpi


def all_kpis():
    return sorted(_kpis.values(), key=lambda kpi: (kpi.order, kpi.name))


def all_trends():
    return sorted(_trends.values(), key=lambda trend: (trend.order, trend.name))


def trend(name):
    return _trends.get(name)


def figures(by, ids, today):
    """``{kpi name: {id: Ratio}}`` of every registered figure (missing ids: no data)."""
    if by not in GROUPS:
        raise ValueError(by)
    ids = list(ids)
    return {kpi.name: kpi.figures(by, ids, today) for kpi in all_kpis()}


def year_start(today):
    return datetime.date(today.year, 1, 1)


# The customer archive's own figures -----------------------------------------------------

_CUSTOMER_GROUP = {"manager": "manager_id", "region": "region_id"}


def _customers(by, ids):
    return Customer.objects.filter(**{f"{_CUSTOMER_GROUP[by]}__in": ids}).order_by()


def network_exits(by, ids, today):
    """Exits from the network this year, of the customers in the network during it.

    ``done`` counts the customers with an exit (退网) dated from 1 January to
    ``today``; ``total`` the customers in the network at some time this year:
    in it now, or out of it since a date this year. A customer counts with its
    current manager and region; one who left twice counts once.
    """
    start = year_start(today)
    field = _CUSTOMER_GROUP[by]
    bases = (
        _customers(by, ids)
        .filter(_in_network_during(start))
        .values(field)
        .annotate(count=Count("id"))
    )
    exits = (
        NetworkStatusChange.objects.filter(
            action=NetworkStatusChange.Action.EXITED,
            date__gte=start,
            date__lte=today,
            **{f"customer__{field}__in": ids},
        )
        .order_by()
        .values(f"customer__{field}")
        .annotate(count=Count("customer_id", distinct=True))
    )
    exited = {row[f"customer__{field}"]: row["count"] for row in exits}
    return {row[field]: Ratio(exited.get(row[field], 0), row["count"]) for row in bases}


def _in_network_during(start):
    return Q(network_status=Customer.NetworkStatus.ACTIVE) | Q(exited_on__gte=start)


def exit_limit(grade_rank):
    """The yearly exit rate a grade must stay below (None for no grade: the overall line)."""
    if grade_rank is not None and grade_rank <= BEST_GRADES:
        return EXIT_RATE_LIMIT_BEST
    return EXIT_RATE_LIMIT


@dataclass(frozen=True)
class GradeExits:
    code: str
    name: str
    ratio: Ratio
    limit: Decimal

    @property
    def over_limit(self):
        share = self.ratio.share
        return share is not None and share >= self.limit


def exit_rates_by_grade(today, *, region_ids=None):
    """[GradeExits] of this year by grade (the customers' current grade), in grade
    order, with the whole as the last row. Three queries.

    The rate is ``network_exits``' definition: exits this year over the customers
    in the network at some time this year.
    """
    start = year_start(today)
    customers = Customer.objects.order_by()
    if region_ids is not None:
        customers = customers.filter(region_id__in=region_ids)
    bases = {
        row["grade_id"]: row["count"]
        for row in customers.filter(_in_network_during(start))
        .values("grade_id")
        .annotate(count=Count("id"))
    }
    exits = NetworkStatusChange.objects.filter(
        action=NetworkStatusChange.Action.EXITED, date__gte=start, date__lte=today
    )
    if region_ids is not None:
        exits = exits.filter(customer__region_id__in=region_ids)
    exited = {
        row["customer__grade_id"]: row["count"]
        for row in exits.order_by()
        .values("customer__grade_id")
        .annotate(count=Count("customer_id", distinct=True))
    }
    rows = []
    for grade in Grade.objects.order_by("rank"):
        ratio = Ratio(exited.get(grade.pk, 0), bases.get(grade.pk, 0))
        rows.append(GradeExits(grade.code, grade.name, ratio, exit_limit(grade.rank)))
    if bases.get(None) or exited.get(None):
        rows.append(
            GradeExits(
                "—",
                str(_("No grade")),
                Ratio(exited.get(None, 0), bases.get(None, 0)),
                EXIT_RATE_LIMIT,
            )
        )
    whole = Ratio(sum(exited.values()), sum(bases.values()))
    rows.append(GradeExits("", str(_("All grades")), whole, EXIT_RATE_LIMIT))
    return rows


def sales_trend(by, ids, months):
    """``{id: {month: purchase amount}}`` of the customers each manager (or region)
    serves now, over ``months`` (first days, oldest first). One query."""
    field = _CUSTOMER_GROUP[by]
    rows = (
        SalesRecord.objects.filter(
            month__gte=months[0], month__lte=months[-1], **{f"customer__{field}__in": ids}
        )
        .order_by()
        .values(f"customer__{field}", "month")
        .annotate(amount=Sum("amount"))
    )
    result = defaultdict(dict)
    for row in rows:
        result[row[f"customer__{field}"]][row["month"]] = row["amount"] or Decimal(0)
    return result


def register_own():
    """The archive's figures; called from ``CrmConfig.ready()``."""
    register(
        Kpi(
            "network_exits",
            _("Network exits this year"),
            network_exits,
            unit="rate",
            order=60,
            description=_(
                "Customers who left the network since 1 January, of those in the network "
                "during the year."
            ),
        )
    )
    register(Trend("sales", _("Purchase amount, last 13 months"), sales_trend, order=10))
