"""Helpers shared by the pages of every visits aggregate."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core import business_dates
from core.models import CalendarDay
from visits import selectors

ROWS_PER_PAGE = 30


def _week_param(request):
    """The Monday of ``?week=YYYY-MM-DD`` (any day of that week), else of this week.

    A week that is not a date, or outside the business range (9999-12-31 would
    overflow the week's end), falls back to this week with a message.
    """
    raw = request.GET.get("week") or request.POST.get("week") or ""
    try:
        day = business_dates.parse_date(raw)
    except ValidationError as exc:
        messages.warning(request, _("%(error)s This week is shown.") % {"error": exc.messages[0]})
        day = None
    return selectors.monday_of(day or timezone.localdate())


def _week_days(week_start):
    """The seven days of the week: each with whether it is worked and the calendar's name.

    Weekends show only when they are make-up working days (调休). One query.
    """
    start, end = selectors.week_bounds(week_start)
    exceptions = {
        row.date: row for row in CalendarDay.objects.filter(date__gte=start, date__lte=end)
    }
    days = []
    for offset in range(7):
        day = start + datetime.timedelta(days=offset)
        special = exceptions.get(day)
        if special is not None:
            working = special.kind == CalendarDay.Kind.WORKDAY
        else:
            working = day.weekday() < 5
        days.append(
            {
                "date": day,
                "working": working,
                "holiday": special is not None and not working,
                "makeup": special is not None and working,
                "name": special.name if special else "",
                "weekend": day.weekday() >= 5,
                "entries": [],
            }
        )
    return days
