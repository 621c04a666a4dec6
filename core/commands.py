"""The management commands that run a scheduled job by hand, as if on ``--date``."""

import datetime

from django.core.management.base import BaseCommand

DATE_HELP = "The day the job acts for, YYYY-MM-DD (default: today)"


def add_date_argument(parser, help=DATE_HELP):
    parser.add_argument("--date", type=datetime.date.fromisoformat, default=None, help=help)


class JobCommand(BaseCommand):
    """Runs ``run(date)`` for ``--date`` (today when left out) and writes what it returns."""

    def add_arguments(self, parser):
        add_date_argument(parser)

    def handle(self, *args, date=None, **options):
        self.stdout.write(self.run(date))

    def run(self, date) -> str:
        raise NotImplementedError
