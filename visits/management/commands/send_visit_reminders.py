import datetime

from django.core.management.base import BaseCommand

from visits.services import reminders


class Command(BaseCommand):
    help = "Send the daily visit reminders (the 07:30 job) for a day, by hand."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=datetime.date.fromisoformat, help="YYYY-MM-DD")

    def handle(self, *args, date=None, **options):
        sent = reminders.reminders_send(day=date)
        self.stdout.write(f"{sent} reminders sent")
