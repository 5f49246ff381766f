"""More than one server (docs/deployment.md): two gunicorn servers on two ports share one
PostgreSQL database and one Redis cache. A reviewer publishes through one; the other serves the
change at once, though both had the page in the shared cache."""

import html.parser
import http.cookiejar
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests.databases import scratch_database
from tests.test_gunicorn import free_port

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
PASSWORD = "two-servers-reviewer-9"


def redis():
    import redis as redis_py

    return redis_py.Redis.from_url(REDIS_URL, socket_connect_timeout=1)


def redis_is_up():
    try:
        return redis().ping()
    except Exception:
        return False


pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL: runs in CI's PostgreSQL pass",
    ),
    pytest.mark.skipif(not redis_is_up(), reason=f"needs Redis at {REDIS_URL} (.ci/run starts it)"),
]


class Form(html.parser.HTMLParser):
    """The fields of one <form id=...> as a browser would submit them."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.fields, self.select, self.textarea = form_id, False, {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag in ("input", "select", "textarea"):
            return
        if tag == "input" and attrs.get("type") not in ("submit", "checkbox") or "checked" in attrs:
            self.fields.setdefault(attrs["name"], attrs.get("value", ""))
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields[self.select] = attrs.get("value", "")
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.fields[self.textarea] = ""

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.inside = False


def behind_the_balancer(url, data=None):
    """A request as the load balancer forwards it: both servers see the site's one host name, as
    in production (the cache keys a page by the host it was asked on)."""
    return urllib.request.Request(url, data, headers={"Host": "127.0.0.1"})


def get(url, opener=None):
    try:
        response = (opener or urllib.request.build_opener()).open(behind_the_balancer(url), timeout=20)
    except urllib.error.HTTPError as error:
        response = error
    return response.status, dict(response.headers), response.read().decode()


@pytest.fixture
def two_servers():
    with scratch_database("servers") as url:
        yield from serve_twice(url)


def serve_twice(url):
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "WEB_CONCURRENCY": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], check=True, env=env, cwd=ROOT)
    subprocess.run([*manage, "load_directory", "-v0"], check=True, env=env, cwd=ROOT)
    subprocess.run([*manage, "create_account", "kimura", "--role", "reviewer", "--password", PASSWORD], check=True,
                   env=env, cwd=ROOT, stdout=subprocess.DEVNULL)  # fmt: skip
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    servers, bases = [], []
    try:
        for _ in range(2):
            port = free_port()
            servers.append(
                subprocess.Popen(
                    [gunicorn, "-c", "gunicorn.conf.py", "directory.wsgi"],
                    env={**env, "BIND": f"127.0.0.1:{port}"},
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )  # fmt: skip
            )
            bases.append(f"http://127.0.0.1:{port}")
        for base in bases:
            for _ in range(100):
                try:
                    if get(f"{base}/healthz")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.1)
        yield bases
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
        keys = list(redis().scan_iter(f"{prefix}*"))
        if keys:
            redis().delete(*keys)


def sign_in(base):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    _, _, page = get(f"{base}/admin/login/", opener)
    form = Form("login-form")
    form.feed(page)
    form.fields.update(username="kimura", password=PASSWORD)
    opener.open(behind_the_balancer(f"{base}/admin/login/?next=/admin/", urllib.parse.urlencode(form.fields).encode()),
                timeout=20)  # fmt: skip
    return opener


def test_a_change_published_on_one_server_is_served_by_the_other_at_once(two_servers):
    one, other = two_servers
    page = "/en/agreements/"
    status, headers, html = get(other + page)
    assert status == 200 and headers["X-Cache"] == "miss" and "Clean energy" in html
    # The page is now in the shared cache: the first server serves it without rendering it.
    status, headers, _ = get(one + page)
    assert headers["X-Cache"] == "hit"

    opener = sign_in(one)
    _, _, change_page = get(f"{one}/admin/partnerships/topic/?q=clean-energy", opener)
    path = next(
        part.split('"')[0] for part in change_page.split('href="')[1:] if "/topic/" in part and "/change/" in part
    )
    _, _, form_page = get(one + path, opener)
    form = Form("topic_form")
    form.feed(form_page)
    form.fields.update(name="Clean energy transition", change_reason="Renamed after the 2025 memorandum's wording")
    response = opener.open(behind_the_balancer(one + path, urllib.parse.urlencode(form.fields).encode()), timeout=20)
    assert response.status == 200 and "/admin/partnerships/topic/" in response.url

    status, headers, html = get(other + page)
    assert headers["X-Cache"] == "miss" and "Clean energy transition" in html
    status, headers, html = get(one + page)
    assert headers["X-Cache"] == "hit" and "Clean energy transition" in html
