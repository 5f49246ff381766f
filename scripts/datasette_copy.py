"""`make bench`'s side-by-side: a flat SQLite copy of the relationships (one row each, both sides'
names, state, prefecture, kind, decade, source count, notes, with an FTS5 index on the names) for
Datasette to serve the same questions as the directory. Usage:
python scripts/datasette_copy.py OUT.sqlite3 (reads the database in DATABASE_URL)."""

import os
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "directory.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from partnerships.models import Relationship  # noqa: E402

COLUMNS = [
    "id",
    "us_name",
    "jp_name",
    "us_region",
    "jp_region",
    "kind",
    "established",
    "decade",
    "source_count",
    "notes",
]


def main():
    out = Path(sys.argv[1])
    out.unlink(missing_ok=True)
    database = sqlite3.connect(out)
    database.execute(
        "CREATE TABLE relationships (id INTEGER PRIMARY KEY, us_name TEXT, jp_name TEXT, state TEXT, prefecture TEXT, "
        "kind TEXT, established TEXT, decade INTEGER, source_count INTEGER, notes TEXT)"
    )
    rows = Relationship.objects.order_by("id").values_list(*COLUMNS).iterator(chunk_size=5000)
    database.executemany(
        "INSERT INTO relationships VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (pk, us, jp, state.removeprefix("US-"), prefecture.removeprefix("JP-"), kind, str(date or ""), *rest)
            for pk, us, jp, state, prefecture, kind, date, *rest in rows
        ),
    )
    for column in ("state", "prefecture", "kind", "decade", "us_name"):
        database.execute(f"CREATE INDEX relationships_{column} ON relationships ({column})")
    database.execute(
        'CREATE VIRTUAL TABLE relationships_fts USING fts5(us_name, jp_name, notes, content="relationships", '
        "content_rowid='id')"  # the double quotes are how Datasette recognises the table's index
    )
    database.execute("INSERT INTO relationships_fts(relationships_fts) VALUES ('rebuild')")
    database.commit()
    database.execute("ANALYZE")
    database.close()
    print(out)


if __name__ == "__main__":
    main()
