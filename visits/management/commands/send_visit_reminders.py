from core.commands import JobCommand
from visits.services import reminders


class Command(JobCommand):
    help = "Send the daily visit reminders (the 07:30 job) for a day, by hand."

    def run(self, date):
        return f"{reminders.reminders_send(day=date)} reminders sent"
