"""Care moments (关怀时刻): birthdays and company anniversaries in the manager's daily
reminder and on the today page, a set number of days ahead, across month and year
ends and on 29 February."""

import datetime

import pytest
from django.urls import reverse

from core.models import Notification
from crm import care
from crm.models import Customer, ReminderSettings
from tests import factories
from visits.services import reminders

pytestmark = pytest.mark.django_db

D = datetime.date


def _days_ahead(days):
    row = ReminderSettings.load()
    row.care_days_ahead = days
    row.save()


def _care(user, day):
    return Notification.objects.filter(user=user, key=f"care:{user.pk}:{day}").first()


def test_a_29_february_birthday_falls_on_28_february_in_a_common_year():
    born = D(1980, 2, 29)
    assert care.occurrence(born, 2027) == D(2027, 2, 28)
    assert care.occurrence(born, 2028) == D(2028, 2, 29)
    assert care.occurrence(D(1980, 12, 31), 2027) == D(2027, 12, 31)


def test_across_the_year_end_the_reminder_names_the_moment_and_its_years(manager, travel):
    """Monday 2026-12-28, 7 days ahead: a birthday on 2 January and an anniversary on
    31 December come; one on 5 January is beyond the window."""
    factories.CustomerFactory(manager=manager, code="NEWYEAR", operator_birthday=D(1970, 1, 2))
    factories.CustomerFactory(manager=manager, code="OLDYEAR", company_anniversary=D(2016, 12, 31))
    factories.CustomerFactory(manager=manager, code="LATER", operator_birthday=D(1990, 1, 5))
    travel("2026-12-28 07:30")
    reminders.reminders_send()
    note = _care(manager, "2026-12-28")
    lines = note.body.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("12-31 OLDYEAR") and "(10 " in lines[0]
    assert lines[1].startswith("2027-01-02 NEWYEAR") and "(57 " in lines[1]
    assert "LATER" not in note.body
    assert note.url == reverse("visits:today")


def test_across_a_month_end_a_weekend_moment_is_announced_on_the_friday(manager, travel):
    """Friday 2026-10-30 with 2 days ahead: the days up to Monday's window (Tuesday 11-03)
    are announced, since no reminder goes out on Saturday or Sunday."""
    _days_ahead(2)
    factories.CustomerFactory(manager=manager, code="TUE", operator_birthday=D(1985, 11, 3))
    factories.CustomerFactory(manager=manager, code="SUN", company_anniversary=D(2020, 11, 1))
    factories.CustomerFactory(manager=manager, code="WED", operator_birthday=D(1985, 11, 4))
    travel("2026-10-30 07:30")
    reminders.reminders_send()
    body = _care(manager, "2026-10-30").body
    assert "SUN" in body and "TUE" in body and "WED" not in body


def test_a_29_february_birthday_is_announced_for_28_february_of_a_common_year(manager, travel):
    factories.CustomerFactory(manager=manager, code="LEAP", operator_birthday=D(1980, 2, 29))
    _days_ahead(2)
    travel("2027-02-26 07:30")
    reminders.reminders_send()
    assert _care(manager, "2027-02-26").body.startswith("02-28 LEAP")


def test_in_a_leap_year_29_february_is_not_moved(manager):
    customer = factories.CustomerFactory(manager=manager, operator_birthday=D(1980, 2, 29))
    found = care.moments(Customer.objects.all(), start=D(2028, 2, 27), end=D(2028, 2, 28))
    assert found == []
    found = care.moments(Customer.objects.all(), start=D(2028, 2, 29), end=D(2028, 3, 1))
    assert [(m.customer, m.on, m.years) for m in found] == [(customer, D(2028, 2, 29), 48)]


def test_one_reminder_a_day_for_own_customers_in_the_network_only(
    manager, teammate, travel, django_capture_on_commit_callbacks
):
    factories.CustomerFactory(manager=manager, code="MINE", operator_birthday=D(1970, 10, 12))
    factories.CustomerFactory(manager=teammate, code="THEIRS", operator_birthday=D(1970, 10, 13))
    factories.CustomerFactory(
        manager=manager,
        code="GONE",
        operator_birthday=D(1970, 10, 12),
        network_status=Customer.NetworkStatus.EXITED,
        exited_on=D(2026, 1, 1),
        exit_reason="关店",
    )
    travel("2026-10-09 07:30")
    with django_capture_on_commit_callbacks(execute=True):
        reminders.reminders_send()
        reminders.reminders_send()
    assert Notification.objects.filter(key__startswith="care:").count() == 2
    mine = _care(manager, "2026-10-09").body
    assert "MINE" in mine and "THEIRS" not in mine and "GONE" not in mine
    assert "THEIRS" in _care(teammate, "2026-10-09").body


def test_the_founding_day_itself_is_no_anniversary(manager, travel):
    factories.CustomerFactory(manager=manager, code="NEW", company_anniversary=D(2026, 10, 10))
    travel("2026-10-09 07:30")
    reminders.reminders_send()
    assert _care(manager, "2026-10-09") is None


def test_the_admin_setting_sets_how_far_ahead(manager, travel):
    factories.CustomerFactory(manager=manager, code="FAR", operator_birthday=D(1970, 10, 20))
    travel("2026-10-09 07:30")
    reminders.reminders_send()
    assert _care(manager, "2026-10-09") is None  # 11 days ahead, 7 by default
    travel("2026-10-12 07:30")
    _days_ahead(10)
    reminders.reminders_send()
    assert "FAR" in _care(manager, "2026-10-12").body


def test_the_today_page_shows_the_moments(manager, login, english, travel):
    factories.CustomerFactory(
        manager=manager, code="TODAY", name="生日便利店", operator_birthday=D(1976, 1, 1)
    )
    factories.CustomerFactory(
        manager=manager, code="SOON", name="周年商行", company_anniversary=D(2000, 1, 3)
    )
    travel("2026-12-31 10:00")
    page = login(manager).get(reverse("visits:today")).content.decode()
    assert "Care moments" in page
    assert "生日便利店" in page and "周年商行" in page
    assert "27 years" in page and "01-03" in page
    home = login(manager).get(reverse("home")).content.decode()
    assert "生日便利店" in home


def test_only_admins_change_the_setting(
    admin_user, manager, regional_manager, login, english, client
):
    url = reverse("reminder_settings")
    for user in (manager, regional_manager):
        assert login(user).post(url, {"care_days_ahead": 3, "contact_days": 7}).status_code == 403
    assert ReminderSettings.load().care_days_ahead == 7
    refused = login(admin_user).post(url, {"care_days_ahead": 61, "contact_days": 7})
    assert refused.status_code == 200 and "60" in refused.content.decode()
    assert ReminderSettings.load().care_days_ahead == 7
    saved = login(admin_user).post(url, {"care_days_ahead": 3, "contact_days": 5})
    assert saved.status_code == 302
    row = ReminderSettings.load()
    assert (row.care_days_ahead, row.contact_days, row.updated_by) == (3, 5, admin_user)


def test_the_birthday_and_anniversary_are_edited_on_the_customer_form_and_api(
    manager, customer, api_login
):
    api = api_login(manager)
    url = f"/api/customers/{customer.pk}/"
    answer = api.patch(
        url,
        {"operator_birthday": "1980-02-29", "company_anniversary": "2010-06-01"},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    customer.refresh_from_db()
    assert customer.operator_birthday == D(1980, 2, 29)
    assert api.patch(url, {"operator_birthday": "1981-02-29"}, format="json").status_code == 400


def test_a_birthday_in_the_future_or_before_1900_is_refused(manager, customer, api_login, travel):
    travel("2026-10-09 10:00")
    url = f"/api/customers/{customer.pk}/"
    api = api_login(manager)
    for day in ("2026-10-10", "1899-12-31"):
        answer = api.patch(url, {"company_anniversary": day}, format="json")
        assert answer.status_code == 400 and "company_anniversary" in answer.json()
    assert api.patch(url, {"company_anniversary": "2026-10-09"}, format="json").status_code == 200
    customer.refresh_from_db()
    assert customer.company_anniversary == D(2026, 10, 9)
