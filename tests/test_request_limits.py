"""A request's body is bounded: REQUEST_BODY_LIMIT for every URL, IMPORT_BODY_LIMIT for the
spreadsheet import; a larger one is answered 413 at once, without reading it."""

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerships.models import Report
from partnerships.staff.roles import REVIEWERS
from tests.test_gunicorn import free_port

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]
MB = 1024 * 1024
IMPORT_URL = reverse("admin:partnerships_relationship_import")


def report_with_file(client, size):
    upload = SimpleUploadedFile("scan.pdf", b"%PDF" + b"0" * size, content_type="application/pdf")
    data = {"what": "The tie was signed in 1957.", "source_url": "https://example.org/a", "scan": upload}
    return client.post("/en/report/", data)


def test_an_anonymous_post_larger_than_the_limit_is_refused_unread(client):
    response = report_with_file(client, 20 * MB)
    assert response.status_code == 413
    page = response.content.decode()
    assert "too large" in page and "1 MB" in page and "送信された内容は読み込まれず" in page
    assert not response.wsgi_request.META["wsgi.input"].read_started  # not a byte of the body was read
    assert not Report.objects.exists()


def test_a_body_within_the_limit_is_read_as_before(client):
    response = report_with_file(client, 100 * 1024)
    assert response.status_code == 302 and Report.objects.count() == 1


def test_the_limit_is_a_setting(client, settings):
    settings.REQUEST_BODY_LIMIT = 50 * 1024
    assert report_with_file(client, 100 * 1024).status_code == 413


@pytest.fixture
def reviewer(client):
    account = User.objects.create_user("importer", password="x-long-passphrase-9", is_staff=True)
    account.groups.set([Group.objects.get(name=REVIEWERS)])
    client.force_login(account)
    return account


def test_the_import_takes_a_larger_file_and_says_what_it_thinks_of_it(client, reviewer):
    upload = SimpleUploadedFile("big.csv", b"id,kind\n" + b"1,x\n" * (6 * MB // 4), content_type="text/csv")
    response = client.post(IMPORT_URL, {"file": upload})
    assert response.status_code == 200 and "larger than 5 MB" in response.content.decode()


def test_the_import_has_a_limit_too(client, reviewer):
    upload = SimpleUploadedFile("huge.csv", b"0" * (17 * MB), content_type="text/csv")
    assert client.post(IMPORT_URL, {"file": upload}).status_code == 413


@pytest.fixture
def server(tmp_path):
    """The directory under gunicorn, as deployed (gunicorn.conf.py), on a free port."""
    env = {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"], check=True, env=env, cwd=ROOT
    )
    port = free_port()
    env |= {"BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "-c", "gunicorn.conf.py", "directory.wsgi:application"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def send_and_answer(port, length, sent):
    """POST /en/report/ declaring `length` bytes, sending `sent` of them from a thread as fast as
    the server takes them; (the answer's first bytes, seconds until they came)."""
    head = (
        "POST /en/report/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=b\r\n"
        f"Content-Length: {length}\r\n\r\n"
    ).encode()
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(head)

    def send_body():
        chunk = b"--b\r\n" + b"0" * (MB - 5)
        try:
            for _ in range(sent // MB):
                sock.sendall(chunk)
        except OSError:
            pass  # the server closed the connection: it will read no more

    started = time.monotonic()
    sender = threading.Thread(target=send_body, daemon=True)
    sender.start()
    answer = sock.recv(200)
    elapsed = time.monotonic() - started
    sock.close()
    return answer, elapsed


@pytest.mark.skipif(not shutil.which("curl"), reason="the gunicorn tests need curl")
def test_gunicorn_answers_a_200_mb_post_with_413_at_once(server):
    def report_page():
        url = f"http://127.0.0.1:{server}/en/report/"
        return subprocess.run(
            ["curl", "-sS", "-o", os.devnull, "-w", "%{http_code}", url], capture_output=True, text=True
        )

    assert report_page().stdout == "200"  # the worker has served a page: what follows is not start-up
    answer, elapsed = send_and_answer(server, 200 * MB, 200 * MB)
    assert answer.startswith(b"HTTP/1.1 413"), answer
    assert elapsed < 1
    answer, elapsed = send_and_answer(server, 200 * MB, 0)  # declared, never sent: nothing waits for it
    assert answer.startswith(b"HTTP/1.1 413") and elapsed < 1
    assert report_page().stdout == "200"  # and goes on serving
