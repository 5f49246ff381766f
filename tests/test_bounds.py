"""No page without a bound: past a threshold the map draws one line per state–prefecture pair,
record pages list their first links and link to the rest, and Excel stops within its time."""

import io

import openpyxl
import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertInHTML

from partnerships.public.exports import xlsx_file
from tests.builders import make_jp_city, make_prefecture, make_relationship, make_state, make_us_city
from tests.test_map import map_data

pytestmark = pytest.mark.django_db
LIST_URL = reverse("partnerships:relationship-list")


@pytest.fixture
def many():
    """Five relationships: four between Washington and Hyogo, one between Oregon and Hyogo."""
    washington = make_state()
    oregon = make_state(name="Oregon", code="OR", latitude=44.0, longitude=-120.5)
    hyogo = make_prefecture(latitude=34.69, longitude=135.18)
    kobe = make_jp_city(prefecture=hyogo)
    links = [make_relationship(make_us_city(name=f"Town {n}", state=washington), kobe) for n in range(4)]
    links.append(make_relationship(make_us_city(name="Salem", state=oregon, latitude=44.9, longitude=-123.0), kobe))
    return {"kobe": kobe, "washington": washington, "links": links}


def test_past_the_threshold_the_map_draws_a_line_per_state_and_prefecture(client, many, settings):
    settings.MAP_DETAIL_LIMIT = 3
    response = client.get("/map/")
    data = map_data(response)
    counts = {link["id"]: link["count"] for link in data["links"]}
    assert counts == {"US-WA:JP-28": 4, "US-OR:JP-28": 1}
    washington = next(link for link in data["links"] if link["id"] == "US-WA:JP-28")
    assert washington["url"] == f"{LIST_URL}?state=WA&prefecture=28"
    page = response.content.decode()
    assert "5 relationships on the map, drawn as 2 lines between a state and a prefecture" in page
    assertInHTML(f'<a href="{LIST_URL}?state=WA&amp;prefecture=28">4 relationships</a>', page)
    # The pair's link leads to exactly those relationships.
    assert client.get(washington["url"] + "&format=json").json()["count"] == 4


def test_below_the_threshold_every_relationship_is_drawn(client, many, settings):
    settings.MAP_DETAIL_LIMIT = 5
    data = map_data(client.get("/map/"))
    assert len(data["links"]) == 5 and "pairs" not in data


def test_a_record_page_lists_its_first_links_and_links_to_all(client, many, settings):
    settings.DETAIL_LIST_LIMIT = 2
    page = client.get(many["kobe"].get_absolute_url())
    assertContains(page, "The first 2 of 5.")
    assertContains(page, f'<a href="{LIST_URL}?partner=kobe-hyogo">All 5 in the list</a>', html=True)
    listed = client.get(LIST_URL, {"partner": "kobe-hyogo", "format": "json"}).json()
    assert listed["count"] == 5
    state_page = client.get(many["washington"].get_absolute_url())
    assertContains(state_page, f'<a href="{LIST_URL}?state=WA">All 4 in the list</a>', html=True)


def test_a_record_page_of_many_links_maps_them_by_state_and_prefecture(client, many, settings):
    settings.RECORD_MAP_LIMIT = 3
    data = map_data(client.get(many["kobe"].get_absolute_url()))
    assert {link["id"] for link in data["links"]} == {"US-WA:JP-28", "US-OR:JP-28"}


def test_an_unknown_partner_in_the_list_is_a_bad_request_not_an_empty_list(client, many):
    response = client.get(LIST_URL, {"partner": "atlantis"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_an_excel_file_stops_within_its_time_and_says_so():
    rows = ([n, f"row {n}"] for n in range(5000))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_file(rows, ["id", "name"], 5000, "test", 200_000, 0).read())).active
    assert sheet.max_row == 1 + 1000 + 1  # header, the first thousand rows written, the note
    note = sheet.cell(row=sheet.max_row, column=1).value
    assert note == "TRUNCATED: this file holds the first 1,000 of 5,000 rows; download CSV for all."


# The shared page cache under junk: partnerships/platform/caching.py. Redis in a database of its own, under
# a prefix of its own, so that nothing else on the server is disturbed.
REDIS_URL = "redis://127.0.0.1:6379/7"
CANONICAL_PAGES = ["/en/", "/en/map/", "/en/map/?state=WA", "/en/relationships/", "/en/relationships/?state=WA",
                   "/en/relationships/?format=json", "/en/partners/", "/en/partners/?state=WA"]  # fmt: skip


def junk_query(rng):
    """A query string as a bot or a cache-buster sends it: parameters no page reads, mixed with real
    filters, and page numbers that do not exist."""
    junk = {"".join(rng.choices("abcdefghijklmnopqrstuvwxyz_", k=rng.randint(5, 12))): str(rng.random())}
    real = rng.choice([{}, {"state": "WA"}, {"page": str(rng.randint(2, 10**9))}])
    if "page" in real:
        return real  # a page past the end: shown, not kept
    return junk | real


def ask_with_junk(client, count=1000):
    import random

    rng = random.Random(23)
    for _n in range(count):
        path = rng.choice(["/en/", "/en/map/", "/en/relationships/", "/en/partners/"])
        response = client.get(path, junk_query(rng), follow=True)
        assert response.status_code == 200


def test_junk_parameters_add_no_page_to_the_local_cache(client, many):
    from django.core.cache import cache

    def pages():
        return {key for key in cache._cache if ":page:" in key}

    for path in CANONICAL_PAGES:
        assert client.get(path)["X-Cache"] == "miss"
    kept = pages()
    assert len(kept) == len(CANONICAL_PAGES)
    ask_with_junk(client)
    assert pages() == kept


@pytest.fixture
def shared_cache(settings):
    """The page cache in Redis (database 7, a prefix of this test's own); skipped when Redis is down."""
    import uuid

    redis = pytest.importorskip("redis")
    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5, socket_timeout=2)
    try:
        server.ping()
    except redis.exceptions.RedisError as error:
        pytest.skip(f"no Redis at {REDIS_URL} ({error}): the shared cache's bound is tested against a real one")
    prefix = f"test-bounds-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "partnerships.platform.resilience.SharedCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield server, prefix
    for key in server.scan_iter(match=f"{prefix}:*"):
        server.delete(key)


def test_junk_parameters_add_no_page_to_redis_and_its_memory_stays_bounded(client, many, shared_cache):
    server, prefix = shared_cache

    def keys():
        return sum(1 for _key in server.scan_iter(match=f"{prefix}:*page:*"))

    for path in CANONICAL_PAGES:
        assert client.get(path)["X-Cache"] == "miss"
    assert client.get(CANONICAL_PAGES[1])["X-Cache"] == "hit"  # kept in Redis, not in process memory
    kept, memory = keys(), server.info("memory")["used_memory"]
    assert kept == len(CANONICAL_PAGES)
    ask_with_junk(client)
    assert keys() == kept
    # One copy of the map is some tens of kilobytes; a thousand would be tens of megabytes.
    assert server.info("memory")["used_memory"] - memory < 1024 * 1024
