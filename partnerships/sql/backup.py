"""Backing up and restoring the whole database: every table, the history and the accounts.

PostgreSQL: `pg_dump` in its custom format, restored with `pg_restore --clean` (both from the
PostgreSQL client tools). pg_restore brings the id sequences back as they were at the backup; they
are then moved past the rows restored all the same, as a backup of a database loaded before the
loader did so carries sequences behind its rows. SQLite: the SQLite backup API, which copies a
consistent snapshot of a live database page by page. `manage.py backup` and `manage.py restore`
(and `make backup`, `make restore`) call these.
"""

import datetime
import os
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

from partnerships.sql import fulltext
from partnerships.sql.database import reset_sequences

BACKUPS = Path(settings.BASE_DIR) / "backups"


def default_path():
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    extension = "dump" if connection.vendor == "postgresql" else "sqlite3"
    return BACKUPS / f"directory-{stamp}.{extension}"


def latest():
    found = sorted(BACKUPS.glob("directory-*"))
    if not found:
        raise FileNotFoundError(f"No backup in {BACKUPS}; make one with `make backup`.")
    return found[-1]


def _pg_args():
    db = connection.settings_dict
    args = ["--host", db["HOST"] or "localhost", "--port", str(db["PORT"] or 5432), "--username", db["USER"]]
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    return args, db["NAME"], env


def backup(path=None):
    path = Path(path or default_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        args, name, env = _pg_args()
        subprocess.run(["pg_dump", "--format=custom", *args, "--file", str(path), name], check=True, env=env)
    else:
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    return path


def restore(path=None):
    path = Path(path or latest())
    if not path.is_file():
        raise FileNotFoundError(f"No backup at {path}.")
    if connection.vendor == "postgresql":
        args, name, env = _pg_args()
        connection.close()  # nothing of ours may hold a lock on the tables being replaced
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *args]
        subprocess.run([*command, "--dbname", name, str(path)], check=True, env=env)
        with transaction.atomic():
            reset_sequences(apps.get_models(include_auto_created=True))
    else:
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        fulltext.ensure_sqlite_index()  # a backup taken without its triggers
    return path
