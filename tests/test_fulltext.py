"""SQLite's full-text index of relationships stays whole: a lost trigger is seen and the index
rebuilt by the guard that migrate, load_directory and restore run (partnerships/sql/fulltext.py)."""

import json

import pytest
from django.core.management import call_command
from django.db import connection

from partnerships.models import Relationship
from partnerships.platform.loading import load_fixtures
from partnerships.sql import fulltext
from tests.builders import make_jp_city, make_relationship, make_us_city

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's full-text index"),
]


def lose_trigger(name):
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {name}")


def triggers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'partnerships%'")
        return sorted(name for (name,) in cursor.fetchall())


def repair_with_the_guard(tmp_path):
    fulltext.ensure_sqlite_index()


def repair_with_migrate(tmp_path):
    call_command("migrate", verbosity=0)


def repair_with_a_load(tmp_path):
    """load_directory's loader, on a fixture of one source (the bundled data would take its time)."""
    fixture = tmp_path / "sources.json"
    source = {"slug": "clair-list", "title": "CLAIR", "url": "https://www.clair.or.jp/"}
    fixture.write_text(json.dumps([{"model": "partnerships.source", "fields": source}]), encoding="utf-8")
    load_fixtures([fixture])


@pytest.mark.parametrize("repair", [repair_with_the_guard, repair_with_migrate, repair_with_a_load])
@pytest.mark.parametrize("lost", fulltext.SQLITE_TRIGGERS)
def test_a_lost_trigger_is_put_back_and_the_index_rebuilt(repair, lost, tmp_path):
    before = make_relationship(make_us_city(name="Saint Paul"), make_jp_city(name="Nagasaki", name_ja="長崎市"))
    lose_trigger(lost)
    # Written while the trigger was missing: the index does not know this row as it is.
    written = make_relationship(make_us_city(name="Bellingham"), make_jp_city(name="Tateyama", name_ja="館山市"))
    written.notes = "Exchange of harbour pilots"
    written.save()
    repair(tmp_path)
    assert triggers() == sorted(fulltext.SQLITE_TRIGGERS)
    assert list(Relationship.objects.search("tateyama")) == [written]
    assert list(Relationship.objects.search("harbour")) == [written]
    assert list(Relationship.objects.search("nagasaki")) == [before]
    written.delete()
    before.delete()
    assert not Relationship.objects.search("tateyama").exists()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {fulltext.SQLITE_INDEX}({fulltext.SQLITE_INDEX}) VALUES ('integrity-check')")


def test_the_guard_leaves_a_whole_index_alone():
    make_relationship()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {fulltext.SQLITE_INDEX}_data")
        pages = cursor.fetchone()[0]
    fulltext.ensure_sqlite_index()
    assert triggers() == sorted(fulltext.SQLITE_TRIGGERS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {fulltext.SQLITE_INDEX}_data")
        assert cursor.fetchone()[0] == pages
