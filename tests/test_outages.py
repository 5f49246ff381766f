"""Faults degrade, never cascade: the real server (gunicorn, production settings) behind a proxy
to PostgreSQL and one to Redis (tests/proxy.py) that refuse, freeze and cut on demand.

Database refused, hung on open connections, or cut mid-request: every dynamic page answers 503
with Retry-After within 10 s, static files and /healthz within 1 s. Redis refused or hung: pages
answer 200 within 2 s, the report form still takes reports. Each answer's time is measured."""

import http.client
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests.databases import scratch_database
from tests.proxy import FaultyProxy
from tests.test_gunicorn import free_port
from tests.test_servers import REDIS_URL, redis, redis_is_up

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "outages-reviewer-9"
DATABASE_BOUND = 10  # seconds: a dynamic page's answer while the database fails
CACHE_BOUND = 2  # seconds: a page's answer while Redis fails
QUICK = 1  # seconds: static files and /healthz, whatever fails
FORM = "application/x-www-form-urlencoded"

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL over TCP: runs in CI's PostgreSQL pass",
    ),
    pytest.mark.skipif(not redis_is_up(), reason=f"needs Redis at {REDIS_URL} (.ci/run starts it)"),
]

PAGES = [
    "/en/",
    "/ja/relationships/?state=WA",
    "/en/partners/",
    "/en/relationships/?format=csv",
    "/en/relationships/?format=json",
    "/relationships/",  # the language from Accept-Language
    "/en/changes/",
    "/en/relationships/1/",
]
# Forms that need no data to be shown: shown, or refused with the 503; never a server error.
FORMS = ["/en/report/", "/admin/login/"]


class Server:
    """One gunicorn server (production settings) whose database and cache go through proxies."""

    def __init__(self, base_env, database_proxy, cache_proxy):
        self.port = free_port()
        self.database, self.cache = database_proxy, cache_proxy
        env = {
            **base_env,
            "DATABASE_URL": base_env["DATABASE_URL"].replace(
                f":{settings.DATABASES['default']['PORT']}/", f":{database_proxy.port}/"
            ),  # fmt: skip
            "REDIS_URL": REDIS_URL.replace(":6379/", f":{cache_proxy.port}/"),
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": "1",
        }
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "directory.wsgi"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):
            try:
                if self.get("/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        self.cookies = {}

    def get(self, path, method="GET", body=None, headers=None, cookies=None):
        """(status, headers, body, seconds) of one request, on a new connection."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = {"Accept-Language": "en", **(headers or {})}
        if cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            content = response.read()
            return response.status, response, content.decode("utf-8", "replace"), time.monotonic() - started
        finally:
            connection.close()

    def sign_in(self):
        """A reviewer's session cookie (read from the headers: the cookie is Secure, this is plain HTTP)."""
        status, response, page, _ = self.get("/admin/login/")
        cookies = dict(re.findall(r"(csrftoken)=([^;]+)", response.getheader("Set-Cookie", "")))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = f"csrfmiddlewaretoken={token}&username=tamura&password={PASSWORD}&next=/admin/"
        status, response, _, _ = self.get(
            "/admin/login/?next=/admin/", "POST", body,
            {"Content-Type": FORM}, cookies,
        )  # fmt: skip
        assert status == 302, "sign-in failed"
        cookies |= dict(re.findall(r"(sessionid)=([^;]+)", ", ".join(response.headers.get_all("Set-Cookie"))))
        return cookies

    def until_recovered(self, seconds=30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.get("/en/")[0] == 200:
                return
            time.sleep(0.2)
        raise AssertionError("the server did not recover once the fault was gone")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(django_db_blocker):
    with scratch_database("outages") as url:
        yield from serve(url)


def serve(url):
    owner = settings.DATABASES["default"]
    prefix = f"test-outages-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "SECRET_KEY": "outages-test-" + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": url,
        "CACHE_KEY_PREFIX": prefix,
        "DB_RETRY_SECONDS": "2",
        "LOG_LEVEL": "ERROR",
    }
    for variable in ("DJANGO_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"):
        env.pop(variable, None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    quiet = {"check": True, "env": env, "cwd": ROOT, "stdout": subprocess.DEVNULL}
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], **quiet)
    subprocess.run([*manage, "load_directory", "-v0"], **quiet)
    subprocess.run([*manage, "create_account", "tamura", "--role", "reviewer", "--password", PASSWORD], **quiet)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], **quiet)
    database, cache = FaultyProxy(int(owner["PORT"])), FaultyProxy(6379)
    running = Server(env, database, cache)
    try:
        yield running
    finally:
        running.stop()
        database.close()
        cache.close()
        keys = list(redis().scan_iter(f"{prefix}*"))
        if keys:
            redis().delete(*keys)


@pytest.fixture
def healthy(server):
    """Each test starts with both dependencies answering and ends by restoring them."""
    server.database.relay()
    server.cache.relay()
    server.until_recovered()
    yield server
    server.database.relay()
    server.cache.relay()
    server.until_recovered()


def assert_quick_pages_answer(server):
    for path in ("/healthz", "/static/css/site.css"):
        status, _, _, seconds = server.get(path)
        assert status == 200 and seconds < QUICK, f"{path}: {status} in {seconds:.2f} s"


def assert_database_unavailable(server, cookies):
    for path in PAGES:
        status, response, page, seconds = server.get(path)
        assert status == 503, f"{path}: {status}"
        assert response.getheader("Retry-After") == str(settings.RETRY_AFTER), path
        assert "temporarily unavailable" in page
        assert seconds < DATABASE_BOUND, f"{path}: {seconds:.1f} s"
    for path in FORMS:
        status, _, _, seconds = server.get(path)
        assert status in (200, 503) and seconds < DATABASE_BOUND, f"{path}: {status} in {seconds:.1f} s"
    status, seconds = send_report(server)
    assert status == 503 and seconds < DATABASE_BOUND, f"a report: {status} in {seconds:.1f} s"
    status, _, _, seconds = server.get("/admin/", cookies=cookies)
    assert status == 503 and seconds < DATABASE_BOUND, f"a signed-in page: {status} in {seconds:.1f} s"
    status, _, body, _ = server.get("/readyz")
    assert status == 503 and '"database": "unavailable' in body, body


def send_report(server):
    """A reader sends the report form as a browser would: (status, seconds)."""
    status, response, page, _ = server.get("/en/report/")
    cookies = dict(re.findall(r"(csrftoken)=([^;]+)", response.getheader("Set-Cookie", "")))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = f"csrfmiddlewaretoken={token}&about=%2Fen%2F&what=Kobe+and+Seattle+renewed+in+2027.&email="
    status, _, _, seconds = server.get("/en/report/", "POST", body, {"Content-Type": FORM}, cookies)
    return status, seconds


def test_database_refused(healthy):
    cookies = healthy.sign_in()
    assert healthy.get("/admin/", cookies=cookies)[0] == 200
    healthy.database.refuse()
    assert_quick_pages_answer(healthy)
    assert_database_unavailable(healthy, cookies)
    assert_quick_pages_answer(healthy)


def test_database_hung_on_open_connections(healthy):
    cookies = healthy.sign_in()
    for path in PAGES[:3]:  # the worker's connections are open and in use
        assert healthy.get(path)[0] == 200
    healthy.database.freeze()
    answers = []
    waiting = threading.Thread(target=lambda: answers.append(healthy.get("/en/relationships/")))
    waiting.start()
    time.sleep(0.5)
    assert_quick_pages_answer(healthy)  # while a page waits on the hung database
    waiting.join(timeout=30)
    status, response, _, seconds = answers[0]
    assert status == 503 and response.getheader("Retry-After"), status
    assert seconds < DATABASE_BOUND, f"{seconds:.1f} s"
    # From then on the database is taken as down: pages answer at once, until it is tried again.
    status, _, _, seconds = healthy.get("/en/partners/")
    assert status == 503 and seconds < QUICK, f"{status} in {seconds:.1f} s"
    assert_database_unavailable(healthy, cookies)


def test_database_cut_mid_request(healthy):
    cookies = healthy.sign_in()
    assert healthy.get("/en/")[0] == 200
    healthy.database.cut()
    assert_database_unavailable(healthy, cookies)
    assert_quick_pages_answer(healthy)


def test_the_site_recovers_when_the_database_answers_again(healthy):
    healthy.database.refuse()
    assert healthy.get("/en/agreements/")[0] == 503
    healthy.database.relay()
    started = time.monotonic()
    healthy.until_recovered()
    assert time.monotonic() - started < 10
    assert healthy.get("/en/agreements/")[0] == 200


@pytest.mark.parametrize("fault", ["refuse", "freeze"])
def test_pages_are_served_without_the_shared_cache(healthy, fault):
    getattr(healthy.cache, fault)()
    for path in PAGES:
        status, _, _, seconds = healthy.get(path)
        assert status == 200, f"{path}: {status}"
        assert seconds < CACHE_BOUND, f"{path}: {seconds:.2f} s"
    assert_quick_pages_answer(healthy)
    status, _, body, seconds = healthy.get("/readyz")
    assert status == 200 and '"status": "degraded"' in body and '"cache": "unavailable' in body, body
    assert seconds < CACHE_BOUND


def test_reports_are_taken_and_limited_without_the_shared_cache(healthy):
    healthy.cache.refuse()
    answers = [send_report(healthy)[0] for _ in range(settings.REPORTS_PER_MINUTE + 1)]
    # Counted in the process's memory while Redis is away: still a limit, never an error.
    assert answers[:-1] == [302] * settings.REPORTS_PER_MINUTE and answers[-1] == 429, answers
