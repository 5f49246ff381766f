"""`make backup` / `make restore` (manage.py backup / restore): a backup taken, the directory
changed, the backup restored, and every table, the history included, is as it was."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from partnerships.models import Partner, Relationship
from tests.builders import make_relationship

pytestmark = pytest.mark.django_db(transaction=True)


def every_table():
    """{table: sorted rows} for every model Django knows, history and accounts included."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        rows = model._default_manager.order_by("pk").values_list(flat=False)
        tables[model._meta.db_table] = [tuple(map(str, row)) for row in rows]
    return tables


def test_a_backup_restores_every_table_and_the_history(tmp_path):
    link = make_relationship(notes="As published")
    link.notes = "Edited once"
    link.save()
    before = every_table()
    assert len(before["partnerships_historicalrelationship"]) == 2
    path = tmp_path / "directory.backup"
    call_command("backup", str(path), verbosity=0)
    assert path.stat().st_size > 0
    Relationship.objects.all().delete()
    Partner.objects.create(name="After the backup", slug="after", kind="us_city", country="US")
    call_command("restore", str(path), verbosity=0)
    assert every_table() == before


def test_restoring_a_missing_file_says_so(tmp_path):
    with pytest.raises(CommandError, match="No backup at"):
        call_command("restore", str(tmp_path / "nothing.dump"), verbosity=0)
