"""One name for the date option of every management command: ``--date YYYY-MM-DD``
for a day, ``--month YYYY-MM`` for a month.

Before: ``send_complaint_reminders --day``, ``prepare_monthly_reports --today``
and ``generate_scale_data --today`` beside ``send_visit_reminders --date`` and
``propose_schedules --date``.
"""

import argparse
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError

from complaints.models import Complaint

pytestmark = pytest.mark.django_db

OURS = ("core", "crm", "accounts", "visits", "complaints", "reports", "home", "demo")


def _our_commands():
    for name, app in get_commands().items():
        if app in OURS:
            yield name, load_command_class(app, name)


def _option_strings(command):
    parser = command.create_parser("manage.py", "x")
    return {
        option
        for action in parser._actions
        if not isinstance(action, argparse._HelpAction)
        for option in action.option_strings
    }


def test_no_command_names_a_day_otherwise():
    found = {}
    for name, command in _our_commands():
        options = _option_strings(command)
        found[name] = options & {"--day", "--today", "--date", "--month"}
        assert not options & {"--day", "--today", "--on", "--when"}, name
    assert found["send_complaint_reminders"] == {"--date"}
    assert found["prepare_monthly_reports"] == {"--date", "--month"}
    assert found["generate_scale_data"] == {"--date"}
    assert found["send_visit_reminders"] == {"--date"}
    assert found["propose_schedules"] == {"--date"}


def test_complaint_reminders_for_a_given_date(manager, customer, regional_manager):
    from tests.complaints.conftest import make_complaint

    with time_machine.travel("2026-10-05 09:00 +08:00"):
        make_complaint(manager, customer, regional_manager, stage="open")
    assert Complaint.objects.count() == 1
    out = StringIO()
    # Long past the complaint's deadlines: the reminder is due on that day.
    call_command("send_complaint_reminders", "--date", "2026-12-01", stdout=out)
    assert "1 reminder(s) created" in out.getvalue()


# prepare_monthly_reports --date runs the daily job of that date:
# tests/reports/test_prepare.py::TestDailyJob::test_command_runs_the_daily_job.


@pytest.mark.parametrize(
    "command",
    [
        "send_complaint_reminders",
        "prepare_monthly_reports",
        "send_visit_reminders",
        "propose_schedules",
    ],
)
def test_a_date_that_is_no_date_is_refused_with_a_message(command):
    with pytest.raises(CommandError, match="--date"):
        call_command(command, "--date", "2026-13-01")


def test_a_month_that_is_no_month_is_refused_with_a_message():
    with pytest.raises(CommandError, match="--month as YYYY-MM"):
        call_command("prepare_monthly_reports", "--month", "October")
