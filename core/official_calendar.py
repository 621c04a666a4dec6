"""China's official working-day calendar, as published by the State Council.

Read from the ``chinesecalendar`` package; used to seed and refresh the
``CalendarDay`` rows that admins then maintain.
"""

import datetime

# The package names holidays in English; the calendar shows them as users know them.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}
HOLIDAY = "holiday"
WORKDAY = "workday"


def exceptions_for_year(year):
    """(date, kind, name) for each weekday holiday and weekend make-up working day.

    Empty when the package has no data for ``year`` yet.
    """
    import chinese_calendar

    days = []
    current = datetime.date(year, 1, 1)
    while current.year == year:
        try:
            on_holiday, name = chinese_calendar.get_holiday_detail(current)
        except NotImplementedError:
            return []
        name = HOLIDAY_NAMES.get(name, name or "")
        weekend = current.weekday() >= 5
        if on_holiday and not weekend:
            days.append((current, HOLIDAY, name))
        elif not on_holiday and weekend:
            days.append((current, WORKDAY, name))
        current += datetime.timedelta(days=1)
    return days
