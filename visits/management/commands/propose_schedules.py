import datetime

from django.core.management.base import BaseCommand

from visits.services import schedules


class Command(BaseCommand):
    help = "Propose next week's schedules (the Friday job), as if run on --date."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=datetime.date.fromisoformat, help="YYYY-MM-DD")

    def handle(self, *args, date=None, **options):
        created = schedules.schedules_propose_next_week(today=date)
        self.stdout.write(f"{created} schedules proposed")
