"""The database connection itself: whether it answers, its id sequences, its statement limits."""

import sqlite3
from contextlib import contextmanager

from django.core.management.color import no_style
from django.db import connection, connections


def answers(alias):
    """Raise DatabaseError unless the database `alias` answers a statement."""
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


@contextmanager
def sqlite_statement_limit():
    """Django assumes SQLite's old default of 999 values per statement and splits bulk writes into
    that many; use the connection's real limit while loading (a no-op on other databases)."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    before = connection.features.max_query_params
    connection.features.max_query_params = limit
    try:
        yield
    finally:
        connection.features.max_query_params = before


def reset_sequences(models):
    """Move each model's id sequence past its highest id, in one statement (PostgreSQL; SQLite's
    AUTOINCREMENT follows the ids written by itself). Rows written with their own ids, by the loader
    or a restore, never move a sequence."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:
        with connection.cursor() as cursor:
            cursor.execute("\n".join(statements))
