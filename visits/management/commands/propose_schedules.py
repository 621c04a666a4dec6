from core.commands import JobCommand
from visits.services import schedules


class Command(JobCommand):
    help = "Propose next week's schedules (the Friday job), as if run on --date."

    def run(self, date):
        return f"{schedules.schedules_propose_next_week(today=date)} schedules proposed"
