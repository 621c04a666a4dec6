"""The audit table refuses TRUNCATE too; notifications record what became of their e-mail.

Migration 0004 made PostgreSQL refuse UPDATE and DELETE of an audit row, row by
row; TRUNCATE fires no row trigger, so it emptied the table. A statement
trigger refuses it here. SQLite, the embedded default, gets the row triggers
(it has no TRUNCATE).
"""

from django.db import migrations, models

POSTGRESQL_NO_TRUNCATE = """
CREATE TRIGGER crm_auditevent_no_truncate
    BEFORE TRUNCATE ON crm_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION crm_auditevent_append_only();
"""
POSTGRESQL_DROP = "DROP TRIGGER IF EXISTS crm_auditevent_no_truncate ON crm_auditevent;"

SQLITE_APPEND_ONLY = [
    """
    CREATE TRIGGER crm_auditevent_no_update BEFORE UPDATE ON crm_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
    """,
    """
    CREATE TRIGGER crm_auditevent_no_delete BEFORE DELETE ON crm_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS crm_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS crm_auditevent_no_delete;",
]


def append_only(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_NO_TRUNCATE)
    elif vendor == "sqlite":
        for sql in SQLITE_APPEND_ONLY:
            schema_editor.execute(sql)


def drop_append_only(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP)
    elif vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)


def emailed_were_sent(apps, schema_editor):
    Notification = apps.get_model("crm", "Notification")
    Notification.objects.filter(emailed_at__isnull=False).update(
        email_status="sent", email_attempts=1
    )


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0007_salesimport_job"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("login", "Logged in"),
                    ("login_failed", "Failed login"),
                    ("logout", "Logged out"),
                    ("transition", "Workflow step"),
                    ("grade_change", "Grade change"),
                    ("assignment", "Manager change"),
                    ("import", "Import"),
                    ("export", "Export"),
                    ("pdf", "PDF download"),
                    ("delete", "Deletion"),
                    ("email_failed", "E-mail not sent"),
                ],
                db_index=True,
                max_length=20,
                verbose_name="action",
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="email_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "not e-mailed"),
                    ("queued", "queued"),
                    ("sent", "sent"),
                    ("retrying", "failed, retrying"),
                    ("failed", "failed"),
                ],
                db_index=True,
                max_length=10,
                verbose_name="e-mail",
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="email_attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="e-mail attempts"),
        ),
        migrations.AddField(
            model_name="notification",
            name="email_error",
            field=models.CharField(blank=True, max_length=500, verbose_name="e-mail error"),
        ),
        migrations.RunPython(emailed_were_sent, migrations.RunPython.noop),
        migrations.RunPython(append_only, drop_append_only),
    ]
