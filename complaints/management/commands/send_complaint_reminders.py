import datetime

from django.core.management.base import BaseCommand

from complaints import services


class Command(BaseCommand):
    help = "Remind the responsible people of overdue quality complaints (once per form a day)."

    def add_arguments(self, parser):
        parser.add_argument("--day", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args, day=None, **options):
        created = services.complaints_send_overdue_reminders(day=day)
        self.stdout.write(f"{created} reminder(s) created")
