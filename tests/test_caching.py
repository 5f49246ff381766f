"""Public pages any cache may keep (partnerships/platform/caching.py): the language in the URL, an ETag
from the data version, 304 to a conditional request, the server's copy dropped by any publish."""

import pytest
from pytest_django.asserts import assertContains

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
    from partnerships.models import Relationship
    from partnerships.platform import routers
    from partnerships.platform.routers import ReplicaRouter, public_read

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
    page = client.get("/en/relationships/?page=1&sort=us")
    assertContains(page, '<label for="f-state-WA">Evergreen State <span class="count">1</span></label>', html=True)


def test_a_query_string_with_parameters_no_page_reads_leads_to_the_page_without_them(client, link):
    response = client.get("/en/map/?junk=1&state=WA&utm_source=mail")
    assert response.status_code == 301 and response["Location"] == "/en/map/?state=WA"
    listed = client.get("/en/relationships/?sort=-established&page=1&page_size=10&format=json&fbclid=x")
    assert listed["Location"] == "/en/relationships/?sort=-established&page=1&page_size=10&format=json"
    assert client.get(listed["Location"]).status_code == 200
    assert client.get("/en/?q=1")["Location"] == "/en/"
    assert client.get(link.get_absolute_url() + "?print=1")["Location"] == link.get_absolute_url()


def test_the_same_parameters_in_another_order_or_with_empty_ones_are_the_same_kept_page(client, link):
    first = client.get("/en/relationships/?state=WA&kind=sister_city")
    again = client.get("/en/relationships/?kind=sister_city&q=&state=WA&established_after=")
    assert first["X-Cache"] == "miss" and again["X-Cache"] == "hit"
    assert again["ETag"] == first["ETag"] and again.content == first.content


def test_each_host_and_scheme_has_its_own_copy(client, link, settings):
    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    one = client.get("/en/relationships/?format=json&page_size=1", headers={"host": "one.example"})
    two = client.get("/en/relationships/?format=json&page_size=1", headers={"host": "two.example"})
    secure = client.get("/en/relationships/?format=json&page_size=1", headers={"host": "one.example"}, secure=True)
    assert [r["X-Cache"] for r in (one, two, secure)] == ["miss", "miss", "miss"]
    assert len({one["ETag"], two["ETag"], secure["ETag"]}) == 3
    urls = [r.json()["results"][0]["url"] for r in (one, two, secure)]
    assert [url.split("/relationships/")[0] for url in urls] == [
        "http://one.example",
        "http://two.example",
        "https://one.example",
    ]


def test_a_page_larger_than_the_bound_is_served_but_not_kept(client, link, settings):
    settings.PAGE_CACHE_MAX_BYTES = 2000
    for _attempt in range(2):
        response = client.get("/en/relationships/")
        assert response.status_code == 200 and b"Seattle" in response.content and "X-Cache" not in response
    settings.PAGE_CACHE_MAX_BYTES = 1024 * 1024
    assert client.get("/en/relationships/")["X-Cache"] == "miss"


def test_a_page_number_that_does_not_exist_is_shown_but_not_kept(client, link):
    for requested in ("999", "abc", "0"):
        response = client.get(f"/en/relationships/?page={requested}")
        assert response.status_code == 200 and "That page does not exist" in response.content.decode()
        assert "X-Cache" not in response
    assert client.get("/en/relationships/?page=1")["X-Cache"] == "miss"


def test_the_sites_own_links_lead_straight_to_their_pages(client, link):
    """Every link a list, the map, the search and the anniversaries draw to a page of the site
    carries only parameters that page reads: none is answered with a redirect."""
    import re
    from html import unescape

    pages = ["/en/relationships/?state=WA&page_size=1", "/en/map/?state=WA", "/en/search/?q=Seattle",
             "/en/anniversaries/?state=WA", "/en/statistics/?state=WA", "/en/partners/?state=WA",
             "/en/agreements/", "/en/programs/", "/en/seeking/", "/en/"]  # fmt: skip
    checked = 0
    for page in pages:
        html = client.get(page).content.decode()
        for href in {unescape(h) for h in re.findall(r'href="([^"#]*\?[^"#]*)"', html)}:
            path = page.split("?")[0] if href.startswith("?") else href
            target = path + href[href.index("?") :] if href.startswith("?") else href
            if not target.startswith("/en/") or "/admin/" in target or "/report/" in target:
                continue
            assert client.get(target).status_code != 301, f"{page} links to {target}"
            checked += 1
    assert checked > 20
