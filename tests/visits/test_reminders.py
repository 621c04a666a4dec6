import datetime

import pytest
from django.core import mail

from core.models import Notification
from tests import factories
from tests.visits.conftest import make_visit
from visits import tasks
from visits.models import Suggestion
from visits.services import reminders

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def due_items(manager, teammate, customer):
    """On Friday 2026-10-09: one revisit due today, one overdue, one suggestion whose
    limit (Saturday 10-10, a make-up working day) is one working day away, one that is
    not near, and one lapsed customer per manager."""
    due_today = make_visit(
        manager, customer, stage="locked", arrived="2026-09-28 10:00", revisit_on=D(2026, 10, 9)
    )
    other = factories.CustomerFactory(manager=manager, code="OTHER")
    overdue = make_visit(
        manager, other, stage="locked", arrived="2026-09-29 10:00", revisit_on=D(2026, 10, 8)
    )
    near = Suggestion.objects.create(
        visit=due_today, customer=customer, text="加送货频次", due_on=D(2026, 10, 10)
    )
    Suggestion.objects.create(
        visit=due_today, customer=customer, text="later", due_on=D(2026, 10, 14)
    )
    weekly = factories.CustomerFactory(manager=manager, code="WEEKLY", grade=factories.grade("A1"))
    make_visit(manager, weekly, stage="ended", arrived="2026-09-28 15:00")  # due 10-05
    factories.CustomerFactory(manager=teammate, code="NEVER")  # never visited since 2024
    return due_today, overdue, near


def _keys():
    return sorted(Notification.objects.values_list("user__username", "key"))


def test_twice_on_the_same_day_one_reminder_per_item(
    manager, due_items, travel, django_capture_on_commit_callbacks
):
    due_today, overdue, near = due_items
    travel("2026-10-09 07:30")
    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.send_daily_reminders.delay().get()
    with django_capture_on_commit_callbacks(execute=True):
        second = tasks.send_daily_reminders.delay().get()
    assert (first, second) == (5, 0)
    teammate_id = Notification.objects.get(user__username="teammate").user_id
    assert _keys() == sorted(
        [
            ("manager", f"revisit-due:{due_today.pk}:2026-10-09"),
            ("manager", f"revisit-overdue:{overdue.pk}:2026-10-09"),
            ("manager", f"suggestion:{near.pk}:2026-10-09"),
            ("manager", f"lapsed:{manager.pk}:2026-10-09"),
            ("teammate", f"lapsed:{teammate_id}:2026-10-09"),
        ]
    )
    assert len(mail.outbox) == 5
    lapsed = Notification.objects.get(key=f"lapsed:{manager.pk}:2026-10-09")
    assert "WEEKLY" in lapsed.body and "2026-10-05" in lapsed.body
    assert "OTHER" not in lapsed.body  # visited 09-29, B2: due 10-29


def test_next_day_reminds_again_and_a_made_revisit_stops(
    manager, customer, due_items, travel, django_capture_on_commit_callbacks
):
    travel("2026-10-09 07:30")
    reminders.reminders_send()
    travel("2026-10-10 07:30")  # the make-up Saturday is a working day
    make_visit(manager, customer, stage="in_progress", arrived="2026-10-10 07:00")
    with django_capture_on_commit_callbacks(execute=True):
        reminders.reminders_send()
    keys = [key for _user, key in _keys() if key.endswith("2026-10-10")]
    assert not any(key.startswith("revisit-due") for key in keys)  # made today
    assert len([k for k in keys if k.startswith("revisit-overdue")]) == 1


def test_nothing_on_a_day_off(due_items, travel):
    travel("2026-10-11 07:30")  # Sunday
    assert reminders.reminders_send() == 0
    assert not Notification.objects.exists()


def test_queries_do_not_grow_with_items(due_items, travel, django_assert_max_num_queries):
    travel("2026-10-09 07:30")
    reminders.reminders_send()
    # Second run, everything already sent: calendar (2), managers, today's keys,
    # revisits, suggestions, the grades' intervals, the customers due with their
    # last visit = 8 queries; the care moments: the reminder settings, the
    # calendar for the days off ahead, the customers with a birthday or
    # anniversary in the window = 11.
    with django_assert_max_num_queries(11):
        assert reminders.reminders_send() == 0


def test_management_command(due_items, travel, capsys):
    from django.core.management import call_command

    call_command("send_visit_reminders", "--date", "2026-10-09")
    assert "5 reminders sent" in capsys.readouterr().out
