"""A trigram GIN index on partners' folded names, on PostgreSQL only.

`search_text LIKE '%kobe%'` is what every list's `q` runs; pg_trgm lets PostgreSQL answer
it from the index instead of reading every row. SQLite has no such index and needs none at
this size: the same query runs there as a plain scan with the same results.
"""

from django.db import migrations

INDEX = "partner_search_text_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON partnerships_partner USING gin (search_text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0002_partner_search_text")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
