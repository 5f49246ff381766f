"""A failing database: readers get a 503 that says when to try again, health checks tell a
load balancer what is wrong, and a download says how many rows it should hold."""

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from partnerships.platform.resilience import SharedCache, cache_outage
from partnerships.public.views import pages
from tests.builders import make_relationship

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)


def test_a_data_page_answers_503_with_retry_after(client, monkeypatch, settings):
    def refuse(self, **kwargs):
        raise OperationalError("canceling statement due to statement timeout")

    monkeypatch.setattr(pages.HomeView, "get_context_data", refuse)
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.RETRY_AFTER)
    assert "temporarily unavailable" in response.content.decode()


def test_liveness_answers_without_the_database(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readiness_says_the_database_is_unavailable(client, database_down):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("unavailable")


def test_readiness_is_ok_when_database_and_cache_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok"}


def test_static_files_need_no_database(database_down, settings):
    # WhiteNoise serves them before any view (from the finders here, from STATIC_ROOT in production).
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    assert Client().get("/static/css/site.css").status_code == 200


def test_a_csv_download_says_how_many_rows_it_holds(client):
    make_relationship()
    response = client.get(reverse("partnerships:relationship-list"), {"format": "csv"})
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert response["X-Row-Count"] == "1" == str(len(lines) - 1)


def test_the_database_gives_up_instead_of_hanging(settings):
    options = settings.DATABASES["default"]["OPTIONS"]
    if connection.vendor == "postgresql":
        assert options["connect_timeout"] == settings.DB_CONNECT_TIMEOUT
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == f"{settings.DB_STATEMENT_TIMEOUT}s"
    else:
        assert options["timeout"] == settings.DB_CONNECT_TIMEOUT


def test_a_fault_in_a_middleware_is_a_503_too(monkeypatch, settings):
    """The page cache reads the data version before any view runs; a staff session is saved after."""
    from partnerships.models import DataVersion

    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(DataVersion, "current", refuse)
    response = Client(raise_request_exception=False).get("/en/relationships/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.RETRY_AFTER)
    assert "temporarily unavailable" in response.content.decode()


def test_any_other_fault_is_still_a_server_error(monkeypatch):
    def fail(self, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(pages.HomeView, "get_context_data", fail)
    response = Client(raise_request_exception=False).get("/en/")
    assert response.status_code == 500 and not response.has_header("Retry-After")


def test_the_shared_cache_stands_in_from_memory_while_redis_is_away(settings):
    """REDIS_URL pointing where nothing answers: each operation answers from the process's memory
    within the bound, and the directory keeps serving."""
    import time

    from tests.test_gunicorn import free_port

    cache_outage.end()
    shared = SharedCache(f"redis://127.0.0.1:{free_port()}/0", {"KEY_PREFIX": "gone"})
    started = time.monotonic()
    assert shared.get("page") is None
    shared.set("page", "kept here", 60)
    assert shared.get("page") == "kept here"
    assert shared.add("count", 0, 60) and shared.incr("count") == 1
    assert time.monotonic() - started < settings.REDIS_TIMEOUT + 0.5
    assert cache_outage.ongoing
    cache_outage.end()


def test_readiness_names_each_dependency_and_is_degraded_without_the_cache(client, settings):
    settings.CACHES = {"default": {"BACKEND": "partnerships.platform.resilience.SharedCache",
                                   "LOCATION": "redis://127.0.0.1:9/0"}}  # fmt: skip
    response = client.get("/readyz")
    cache_outage.end()
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["database"] == "ok"
    assert response.json()["checks"]["cache"].startswith("unavailable")
