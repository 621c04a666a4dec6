import datetime

import pytest

from core import workdays
from core.models import CalendarDay
from crm import services

D = datetime.date


@pytest.mark.django_db
class TestOfficialCalendar:
    """The seeded 2026 calendar answers as the State Council published it."""

    def test_day_after_national_day_holiday(self):
        assert workdays.next_working_day(D(2026, 10, 5)) == D(2026, 10, 8)

    def test_labour_day_holiday(self):
        assert workdays.next_working_day(D(2026, 5, 5)) == D(2026, 5, 6)

    def test_saturday_moves_to_monday(self):
        assert workdays.next_working_day(D(2026, 9, 5)) == D(2026, 9, 7)

    def test_make_up_sunday_is_a_working_day(self):
        assert workdays.is_working_day(D(2026, 9, 20))

    def test_adding_working_days_across_the_holiday_lands_on_make_up_saturday(self):
        assert workdays.add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)

    def test_a_working_day_is_its_own_next_working_day(self):
        assert workdays.next_working_day(D(2026, 10, 9)) == D(2026, 10, 9)

    def test_ordinary_week(self):
        assert workdays.is_working_day(D(2026, 11, 20))
        assert not workdays.is_working_day(D(2026, 11, 21))


@pytest.mark.django_db
def test_admin_edits_change_the_answer():
    CalendarDay.objects.create(date=D(2026, 11, 20), kind=CalendarDay.Kind.HOLIDAY, name="测试")
    assert not workdays.is_working_day(D(2026, 11, 20))
    assert workdays.next_working_day(D(2026, 11, 20)) == D(2026, 11, 23)


@pytest.mark.django_db
def test_import_year_twice_adds_nothing_twice():
    CalendarDay.objects.filter(date__year=2026).delete()
    added = services.calendar_import_year(year=2026)
    assert added > 20
    assert services.calendar_import_year(year=2026) == 0
    assert CalendarDay.objects.get(date=D(2026, 10, 10)).kind == CalendarDay.Kind.WORKDAY
