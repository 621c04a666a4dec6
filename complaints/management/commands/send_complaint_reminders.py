import datetime

from django.core.management.base import BaseCommand

from complaints import services


class Command(BaseCommand):
    help = "Remind the responsible people of overdue quality complaints (once per form a day)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            default=None,
            help="The day the job acts for, YYYY-MM-DD (default: today)",
        )

    def handle(self, *args, date=None, **options):
        created = services.complaints_send_overdue_reminders(day=date)
        self.stdout.write(f"{created} reminder(s) created")
