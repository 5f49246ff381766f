"""The index behind a relationship search, on each database.

A relationship is found by the folded names of both its sides (`Relationship.search_text`, kept
right with its other derived columns) and by its notes. Every word of a query must be in one or
the other (`RelationshipQuerySet.search`, `condition`):

- PostgreSQL: trigram GIN indexes on `search_text` and on `UPPER(notes)` (migration 0016) serve
  `search_text LIKE '%word%' OR UPPER(notes) LIKE UPPER('%word%')` directly;
- SQLite: an FTS5 table with the trigram tokenizer over the same two columns, kept in step with
  the relationships by triggers (`ensure_sqlite_index` checks the table and each trigger after
  every migrate, load and restore, since SQLite rebuilds a table to alter it and its triggers go
  with it). A word of 3 or more characters is matched there; a shorter one (a single kanji) has no
  trigram and is matched with LIKE, as before.

Both give the same answers: the cross-script search tests run on both databases.
"""

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection, connections, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL

TABLE = "partnerships_relationship"
SQLITE_INDEX = "partnerships_relationship_fts"
TRIGRAM = 3  # characters in a trigram: shorter words cannot use either index

SQLITE_SETUP = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_INDEX} USING fts5("
    f"search_text, notes, content='{TABLE}', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER IF NOT EXISTS {SQLITE_INDEX}_insert AFTER INSERT ON {TABLE} BEGIN "
    f"INSERT INTO {SQLITE_INDEX}(rowid, search_text, notes) VALUES (new.id, new.search_text, new.notes); END",
    f"CREATE TRIGGER IF NOT EXISTS {SQLITE_INDEX}_delete AFTER DELETE ON {TABLE} BEGIN "
    f"INSERT INTO {SQLITE_INDEX}({SQLITE_INDEX}, rowid, search_text, notes) "
    f"VALUES ('delete', old.id, old.search_text, old.notes); END",
    f"CREATE TRIGGER IF NOT EXISTS {SQLITE_INDEX}_update AFTER UPDATE ON {TABLE} BEGIN "
    f"INSERT INTO {SQLITE_INDEX}({SQLITE_INDEX}, rowid, search_text, notes) "
    f"VALUES ('delete', old.id, old.search_text, old.notes); "
    f"INSERT INTO {SQLITE_INDEX}(rowid, search_text, notes) VALUES (new.id, new.search_text, new.notes); END",
]


SQLITE_TRIGGERS = [f"{SQLITE_INDEX}_insert", f"{SQLITE_INDEX}_delete", f"{SQLITE_INDEX}_update"]


def ensure_sqlite_index(using="default"):
    """Create the FTS5 table and its triggers where any is missing (a new database, a migration that
    rebuilt the relationships' table, a trigger dropped by hand), and then fill it again from the
    relationships: without a trigger, rows written meanwhile are missing from the index, and a
    delete from it of a row it does not hold corrupts it. Run after every migrate, load and restore."""
    from django.db import connections

    database = connections[using]
    if database.vendor != "sqlite":
        return
    wanted = [("table", SQLITE_INDEX), *(("trigger", name) for name in SQLITE_TRIGGERS)]
    with database.cursor() as cursor:
        cursor.execute(
            "SELECT type, name FROM sqlite_master WHERE name IN (%s, %s, %s, %s)", [name for _, name in wanted]
        )
        if set(cursor.fetchall()) == set(wanted):
            return
        for sql in SQLITE_SETUP:
            cursor.execute(sql)
        cursor.execute(f"INSERT INTO {SQLITE_INDEX}({SQLITE_INDEX}) VALUES ('rebuild')")


def condition(words):
    """The condition that the folded words of a query put on relationships: each word in a side's
    names or in the notes. On SQLite the words long enough for trigrams go to the FTS5 table in one
    query (its own intersection is far quicker than one subquery a word); shorter ones use LIKE."""
    result = Q()
    indexed = [word for word in words if len(word) >= TRIGRAM] if connection.vendor == "sqlite" else []
    if indexed:
        phrases = " ".join('"' + word.replace('"', '""') + '"' for word in indexed)
        result &= Q(pk__in=RawSQL(f"SELECT rowid FROM {SQLITE_INDEX} WHERE {SQLITE_INDEX} MATCH %s", [phrases]))
    for word in words:
        if word not in indexed:
            result &= Q(search_text__contains=word) | Q(notes__icontains=word)
    return result


def near_names(partners, phrase):
    """[(pk, search_text)]: on PostgreSQL, the hundred partners whose names the trigram index finds
    loosely like `phrase` (search.closest then ranks them); None elsewhere (rank them all)."""
    if connections[partners.db].vendor != "postgresql":
        return None
    with transaction.atomic(using=partners.db), connections[partners.db].cursor() as cursor:
        cursor.execute("SET LOCAL pg_trgm.word_similarity_threshold = 0.3")
        return list(
            partners.filter(search_text__trigram_word_similar=phrase)
            .annotate(nearness=TrigramWordSimilarity(phrase, "search_text"))
            .order_by("-nearness", "pk")
            .values_list("pk", "search_text")[:100]
        )
