"""The audit trail, notifications and the working calendar move to the core app.

Django forgets them here; ``core.0001_initial`` takes them over. No table changes.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0011_regrading_network_events"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="AuditEvent"),
                migrations.DeleteModel(name="Notification"),
                migrations.DeleteModel(name="CalendarDay"),
            ],
            database_operations=[],
        ),
    ]
