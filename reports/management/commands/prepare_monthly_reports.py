"""Run the monthly preparation (and, with --remind, the daily reminders) by hand."""

from django.core.management.base import BaseCommand, CommandError

from core.commands import add_date_argument
from reports import figures, services


class Command(BaseCommand):
    help = "Prepare every active manager's monthly report (default: last month)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="The month reported on, YYYY-MM (default: last month)")
        parser.add_argument(
            "--remind",
            action="store_true",
            help="Also run the daily job: reminders and overdue flags",
        )
        add_date_argument(parser, "The day the daily job acts for, YYYY-MM-DD (default: today)")

    def handle(self, *args, month=None, remind=False, date=None, **options):
        try:
            target = figures.parse_month(month) if month else services.last_month()
        except ValueError:
            raise CommandError("Give --month as YYYY-MM.") from None
        services.prepare_month(month=target, progress=self.stdout.write)
        if remind:
            result = services.reports_daily(today=date)
            template = "working day: {working_day}, reminded: {reminded}, marked overdue: {overdue}"
            self.stdout.write(template.format(**result))
