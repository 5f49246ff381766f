"""Production settings refuse to start unsafely; these run manage.py as a deployment would."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "directory.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://directory.example.org",
}


def manage(*args, **env):
    local_only = {"DJANGO_DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean_env = {k: v for k, v in os.environ.items() if k not in local_only}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean_env | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_a_secret_key_stops_with_a_clear_message():
    result = manage("check", DJANGO_DEBUG="0", ALLOWED_HOSTS="directory.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_the_web_server_refuses_to_start_without_a_secret_key():
    local_only = {"DJANGO_DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in local_only} | {"ALLOWED_HOSTS": "directory.example.org"}
    result = subprocess.run(
        [sys.executable, "-c", "import directory.wsgi"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_manage_py_on_a_developers_machine_uses_the_local_settings():
    result = manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"


def test_an_empty_database_url_means_the_embedded_sqlite_file():
    result = manage(
        "shell", "-c", "from django.conf import settings; print(settings.DATABASES['default']['NAME'])",
        DJANGO_DEBUG="1", DATABASE_URL="",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(ROOT / "db.sqlite3")


def test_production_without_allowed_hosts_stops_with_a_clear_message():
    result = manage("check", SECRET_KEY=PRODUCTION["SECRET_KEY"])
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_deployment_checks_pass_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_debug_is_off_unless_asked_for():
    result = manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)", **PRODUCTION)
    assert result.stdout.strip().splitlines()[-1] == "False"


# What a process's database connection allows: its statement timeout (PostgreSQL), and the bound on
# a silent database (the psycopg2 wait callback of partnerships/platform/resilience.py).
BOUNDS = """
from django.conf import settings
from django.db import connection
timeout = "none"
waits = "none"
if connection.vendor == "postgresql":
    from psycopg2 import extensions
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        timeout = cursor.fetchone()[0]
    waits = "bounded" if extensions.get_wait_callback() else "unbounded"
print(settings.DB_STATEMENT_TIMEOUT, settings.DB_ANSWER_TIMEOUT, timeout, waits)
"""


def test_management_commands_run_without_the_statement_timeout_of_pages():
    result = manage("shell", "-c", BOUNDS, DB_STATEMENT_TIMEOUT="8")
    assert result.returncode == 0, result.stderr
    statement, answer, timeout, waits = result.stdout.splitlines()[-1].split()
    assert (statement, float(answer)) == ("0", 0)
    if timeout != "none":  # PostgreSQL
        assert (timeout, waits) == ("0", "unbounded")


def test_the_web_server_keeps_the_statement_timeout():
    """gunicorn loads directory.wsgi, not manage.py: its connections keep both bounds."""
    env = os.environ | PRODUCTION | {"DB_STATEMENT_TIMEOUT": "8"}
    script = "import directory.wsgi\n" + BOUNDS
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    statement, answer, timeout, waits = result.stdout.splitlines()[-1].split()
    assert (statement, float(answer)) == ("8", 9)
    if timeout != "none":  # PostgreSQL
        assert (timeout, waits) == ("8s", "bounded")


def test_runserver_serves_pages_with_their_bounds_and_every_other_command_without(monkeypatch):
    import manage

    monkeypatch.setenv("DJANGO_COMMAND", "1")
    manage.mark_as_command(["manage.py", "runserver", "127.0.0.1:8000"])
    assert os.environ["DJANGO_COMMAND"] == "0"
    for command in ["migrate", "load_directory", "restore", "backup", "data_quality"]:
        manage.mark_as_command(["manage.py", command])
        assert os.environ["DJANGO_COMMAND"] == "1"
