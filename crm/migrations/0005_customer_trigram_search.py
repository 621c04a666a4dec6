"""Trigram indexes for the customer search on PostgreSQL.

The search box filters with ``icontains`` on name, code and licence number,
which Django writes as ``UPPER(col::text) LIKE UPPER('%term%')``. A GIN
trigram index on exactly that expression lets PostgreSQL answer it from the
index instead of scanning 50,000 customers. Other databases get nothing:
SQLite has no trigram indexes and the test sizes do not need them.
"""

from django.db import migrations

COLUMNS = ("name", "code", "licence_number")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS crm_customer_{column}_trgm "
            f'ON crm_customer USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS crm_customer_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("crm", "0004_audit_event")]

    operations = [migrations.RunPython(create, drop)]
