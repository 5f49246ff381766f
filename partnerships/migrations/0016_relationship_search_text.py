"""Relationships keep both sides' folded names (`search_text`), and a search is served by an index
on each database (partnerships/sql/fulltext.py): trigram GIN indexes on PostgreSQL, an FTS5 table with
the trigram tokenizer on SQLite (made after every migrate by the app, see apps.py).

The indexes' SQL is written out here, as it was when this migration was made, so that a later
change to partnerships/sql/fulltext.py cannot change what this step did."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Concat


TABLE = "partnerships_relationship"
INDEXES = {
    "relationship_search_text_trgm": f"CREATE INDEX IF NOT EXISTS relationship_search_text_trgm ON {TABLE} "
    "USING gin (search_text gin_trgm_ops)",
    "relationship_notes_trgm": f"CREATE INDEX IF NOT EXISTS relationship_notes_trgm ON {TABLE} "
    "USING gin (UPPER(notes) gin_trgm_ops)",
}
def fill(apps, schema_editor):
    """The names of the relationships already there (as RelationshipQuerySet.refresh_derived)."""
    Relationship = apps.get_model("partnerships", "Relationship")
    Partner = apps.get_model("partnerships", "Partner")

    def names(side):
        partner = Partner.objects.filter(pk=OuterRef(f"{side}_partner_id")).values("search_text")[:1]
        return Coalesce(Subquery(partner), Value(""), output_field=models.TextField())

    Relationship.objects.update(search_text=Concat(names("us"), names("jp")))


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for sql in INDEXES.values():
            schema_editor.execute(sql)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0015_relationship_sort_names")]

    operations = [
        migrations.AddField(
            model_name="relationship",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="names searched"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
