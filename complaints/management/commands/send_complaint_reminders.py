from complaints import services
from core.commands import JobCommand


class Command(JobCommand):
    help = "Remind the responsible people of overdue quality complaints (once per form a day)."

    def run(self, date):
        return f"{services.complaints_send_overdue_reminders(day=date)} reminder(s) created"
