"""Care moments (关怀时刻): the operator's birthday and the company anniversary.

A moment falls on the date's day and month in a given year; a 29 February
falls on 28 February in a common year (the last day of February, as most
people born that day celebrate). The first date itself (the day the operator was
born, the company founded) is no moment.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import workdays

FIELDS = {
    "operator_birthday": _("Birthday of the operator"),
    "company_anniversary": _("Company anniversary"),
}


def occurrence(original, year):
    """The day ``original`` (a date) comes round in ``year``."""
    if original.month == 2 and original.day == 29 and not calendar.isleap(year):
        return datetime.date(year, 2, 28)
    return original.replace(year=year)


@dataclass(frozen=True)
class CareMoment:
    customer: object
    field: str
    on: datetime.date
    years: int

    @property
    def label(self):
        return FIELDS[self.field]

    @property
    def is_birthday(self):
        return self.field == "operator_birthday"

    def days_from(self, day):
        return (self.on - day).days


def window(day, days_ahead):
    """The dates a reminder on ``day`` announces: ``day`` to ``days_ahead`` days later,
    stretched over the days off before the next working day, so a moment
    that comes into range on a weekend is announced on the Friday before."""
    last = workdays.next_working_day(day + datetime.timedelta(days=1))
    end = last - datetime.timedelta(days=1) + datetime.timedelta(days=days_ahead)
    return day, max(end, day + datetime.timedelta(days=days_ahead))


def moments(customers, *, start, end):
    """The care moments of ``customers`` (a queryset) from ``start`` to ``end``, by date.

    One query: the customers whose birthday or anniversary has the month and
    day of a date in the range (29 February too when 28 February of a common
    year is in it).
    """
    days = [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]
    pairs = {(d.month, d.day) for d in days}
    if any(d.month == 2 and d.day == 28 and not calendar.isleap(d.year) for d in days):
        pairs.add((2, 29))
    condition = Q()
    for field in FIELDS:
        for month, day in sorted(pairs):
            condition |= Q(**{f"{field}__month": month, f"{field}__day": day})
    if not pairs:
        return []
    found = []
    for customer in customers.filter(condition):
        for field in FIELDS:
            original = getattr(customer, field)
            if original is None:
                continue
            for year in sorted({start.year, end.year}):
                on = occurrence(original, year)
                if start <= on <= end and on > original:
                    found.append(CareMoment(customer, field, on, year - original.year))
    found.sort(key=lambda moment: (moment.on, moment.customer.code, moment.field))
    return found


def upcoming(*, manager_ids, day, days_ahead=None):
    """The moments of the managers' customers in the network that a reminder on ``day``
    announces (``ReminderSettings.care_days_ahead``), as {manager_id: [CareMoment]}."""
    from crm.models import Customer, ReminderSettings

    if days_ahead is None:
        days_ahead = ReminderSettings.load().care_days_ahead
    start, end = window(day, days_ahead)
    customers = Customer.objects.filter(
        manager_id__in=list(manager_ids), network_status=Customer.NetworkStatus.ACTIVE
    ).select_related("grade")
    found = {}
    for moment in moments(customers, start=start, end=end):
        found.setdefault(moment.customer.manager_id, []).append(moment)
    return found


def describe(moment, day):
    """One line of the reminder: date, customer, which moment, how far."""
    from django.utils.translation import gettext as _g
    from django.utils.translation import ngettext

    from core.templatetags.crm_format import short_date

    if moment.on == day:
        when = _g("today")
    else:
        count = moment.days_from(day)
        when = ngettext("in %(count)s day", "in %(count)s days", count) % {"count": count}
    return _g("%(date)s %(customer)s: %(moment)s (%(years)s years), %(when)s") % {
        "date": short_date(moment.on),  # the year when it is next year's
        "customer": moment.customer,
        "moment": moment.label,
        "years": moment.years,
        "when": when,
    }
