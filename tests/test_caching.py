"""Public pages any cache may keep (partnerships/caching.py): the language in the URL, an ETag
from the data version, 304 to a conditional request, the server's copy dropped by any publish."""

import pytest

from partnerships.models import DataVersion
from tests.builders import make_jp_city, make_relationship, make_us_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(db):
    return make_relationship(make_us_city(name="Seattle"), make_jp_city(name="Kobe"))


def test_a_public_page_has_an_etag_and_answers_a_conditional_request_with_304(client, link):
    first = client.get("/en/relationships/")
    assert first.status_code == 200 and first["ETag"].startswith('"')
    assert first["Cache-Control"] == "public, max-age=60"
    assert "Last-Modified" in first and not first.cookies
    again = client.get("/en/relationships/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again["ETag"] == first["ETag"] and again.content == b""


def test_the_servers_copy_is_used_until_anything_is_published(client, link):
    assert client.get("/en/relationships/")["X-Cache"] == "miss"
    kept = client.get("/en/relationships/")
    assert kept["X-Cache"] == "hit" and b"Seattle" in kept.content
    before = DataVersion.current()
    link.us_partner.name = "Seattle Renamed"
    link.us_partner.save()
    assert DataVersion.current()[0] == before[0] + 1
    fresh = client.get("/en/relationships/")
    assert fresh["X-Cache"] == "miss" and b"Seattle Renamed" in fresh.content
    assert fresh["ETag"] != kept["ETag"]
    old = client.get("/en/relationships/", headers={"if-none-match": kept["ETag"]})
    assert old.status_code == 200


def test_a_link_without_a_language_follows_the_browser_and_says_so(client, link):
    japanese = client.get("/relationships/", headers={"accept-language": "ja"})
    english = client.get("/relationships/", headers={"accept-language": "en-GB,en;q=0.9"})
    assert (japanese["Content-Language"], english["Content-Language"]) == ("ja", "en")
    assert japanese["Vary"] == english["Vary"] == "Accept-Language"
    assert japanese["ETag"] == client.get("/ja/relationships/")["ETag"]
    chosen = client.get("/ja/relationships/", headers={"accept-language": "en"})
    assert chosen["Content-Language"] == "ja" and "Vary" not in chosen


def test_each_language_and_each_query_is_its_own_page(client, link):
    tags = {
        client.get(path)["ETag"]
        for path in ("/en/relationships/", "/ja/relationships/", "/en/relationships/?state=WA", "/en/partners/")
    }
    assert len(tags) == 4


def test_pages_with_a_form_token_or_errors_are_not_kept(client, link):
    form = client.get("/en/report/")
    assert form.status_code == 200 and "ETag" not in form and "X-Cache" not in form
    bad = client.get("/en/relationships/?established_after=abc")
    assert bad.status_code == 400 and "X-Cache" not in bad


def test_staff_pages_are_never_kept(admin_client):
    response = admin_client.get("/admin/")
    assert "ETag" not in response and "public" not in response.get("Cache-Control", "")


def test_public_reads_go_to_the_replica_and_everything_else_to_the_primary(monkeypatch):
    from partnerships import routers
    from partnerships.models import Relationship
    from partnerships.routers import ReplicaRouter, public_read

    router = ReplicaRouter()
    monkeypatch.setattr(routers, "has_replica", lambda: True)
    assert router.db_for_read(Relationship) is None  # outside a public request: the primary
    token = public_read.set(True)
    try:
        assert router.db_for_read(Relationship) == "replica"
        assert router.db_for_write(Relationship) == "default"
    finally:
        public_read.reset(token)
    assert router.allow_migrate("replica", "partnerships") is False


def test_the_filters_choices_are_remembered_until_the_next_publish(client, link):
    """The states and prefectures a list offers are read once per data version (`per_version`),
    and a renamed state is offered under its new name at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        assert client.get("/en/relationships/?page=1").status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get("/en/relationships/?page=1&sort=us").status_code == 200
    assert len(second) < len(first)  # the choices were not read again
    state = link.us_partner.parent
    state.name = "Evergreen State"
    state.save()
    page = client.get("/en/relationships/?page=1&sort=us").content.decode()
    assert '<label for="f-state-WA">Evergreen State <span class="count">1</span>' in page
