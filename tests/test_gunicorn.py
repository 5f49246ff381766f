"""Under the real server (gunicorn): a CSV download that fails mid-way ends abnormally, so that
curl (and any client) reports an error instead of keeping a cut file that looks whole."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not shutil.which("curl"), reason="needs curl")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_a_csv_cut_by_a_fault_is_seen_as_failed_by_curl(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{database}"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], check=True, env=env, cwd=ROOT)
    subprocess.run([*manage, "load_directory", "-v0"], check=True, env=env, cwd=ROOT)
    port = free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "tests.faulty_wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        base = f"http://127.0.0.1:{port}/relationships/"
        whole = subprocess.run(["curl", "-sS", "-o", os.devnull, f"{base}?format=json"], capture_output=True)
        assert whole.returncode == 0
        cut = subprocess.run(
            ["curl", "-sS", "-o", str(tmp_path / "cut.csv"), f"{base}?format=csv"], capture_output=True
        )
        assert cut.returncode != 0, "curl took a cut download for a whole one"
        assert (tmp_path / "cut.csv").read_text().count("\n") < 100
    finally:
        server.terminate()
        server.wait(timeout=10)
