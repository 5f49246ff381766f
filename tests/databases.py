"""Databases of their own for the servers a test starts (tests/test_servers.py, test_outages.py)."""

import contextlib
import uuid

from django.conf import settings


@contextlib.contextmanager
def unbounded():
    """psycopg2 calls without the bound on a silent database (partnerships/platform/resilience.py), as a
    management command runs: creating and dropping a database is an operator's work, not a page, and
    may rightly take longer than a page may wait. A slow drop must not leave this process taking the
    database as down for the tests after it."""
    from psycopg2 import extensions

    bound = extensions.get_wait_callback()
    extensions.set_wait_callback(None)
    try:
        yield
    finally:
        extensions.set_wait_callback(bound)


def operator(sql):
    import psycopg2

    owner = settings.DATABASES["default"]
    with unbounded():
        admin = psycopg2.connect(dbname="postgres", user=owner["USER"], host=owner["HOST"], port=owner["PORT"])
        try:
            admin.autocommit = True
            admin.cursor().execute(sql)
        finally:
            admin.close()


@contextlib.contextmanager
def scratch_database(label):
    """A new, empty PostgreSQL database on the test run's server: its DATABASE_URL, dropped after."""
    owner = settings.DATABASES["default"]
    name = f"partnerships_{label}_{uuid.uuid4().hex[:8]}"
    operator(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{owner['USER']}@{owner['HOST']}:{owner['PORT']}/{name}"
    finally:
        operator(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
