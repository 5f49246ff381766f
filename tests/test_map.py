"""The map at /map/ and on the detail pages: same filters as the relationships list, a fixed
number of queries, and nothing loaded from another site."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.models import Relationship
from tests.builders import make_jp_city, make_prefecture, make_relationship, make_state, make_topic, make_us_city
from tests.markup import element, elements, json_script, text

pytestmark = pytest.mark.django_db

MAP_URL = "/en/map/"


@pytest.fixture
def two_states():
    washington, oregon = make_state(), make_state(name="Oregon", code="OR", latitude=44.0, longitude=-120.5)
    hyogo = make_prefecture()
    kobe = make_jp_city(prefecture=hyogo)
    seattle = make_us_city(state=washington)
    portland = make_us_city(name="Portland", state=oregon, latitude=45.5, longitude=-122.7)
    return {
        "seattle_kobe": make_relationship(seattle, kobe),
        "portland_kobe": make_relationship(portland, make_jp_city(name="Nishinomiya", name_ja="西宮市")),
        "washington": washington,
        "kobe": kobe,
    }


def map_data(response):
    """The map's data, which the page embeds for its script."""
    return json_script(response, "map-data")


def test_url_name_and_nav_link(client, two_states):
    assert reverse("partnerships:map") == MAP_URL
    assert elements(client.get("/"), "a", href=MAP_URL)


def test_map_draws_every_relationship_with_both_ends(client, two_states):
    response = client.get(MAP_URL)
    assert response.status_code == 200
    data = map_data(response)
    assert {link["id"] for link in data["links"]} == set(Relationship.objects.values_list("pk", flat=True))
    for link in data["links"]:
        us, jp = data["partners"][str(link["us"])], data["partners"][str(link["jp"])]
        assert us["country"] == "US" and jp["country"] == "JP"
        assert us["lng"] < 0 < jp["lng"]
        assert link["url"] == f"/en/relationships/{link['id']}/"
    assert data["labels"]["details"] == "Relationship details"


def test_map_follows_the_relationship_filters(client, two_states):
    response = client.get(MAP_URL, {"state": "WA"})
    assert response.status_code == 200
    data = map_data(response)
    assert [link["id"] for link in data["links"]] == [two_states["seattle_kobe"].pk]
    html = response.content.decode()
    assert "1 relationship on the map" in html
    # The active filter shows as a chip, and the same view as a list is one link away.
    assert [text(chip) for chip in elements(element(response, "ul", class_="chips"), "a")] == [
        "US state: Washington × (remove)",
        "Clear all",
    ]
    assert elements(response, "a", href="/en/relationships/?state=WA")
    # Without JavaScript the pairs are listed on the page.
    assert two_states["seattle_kobe"].get_absolute_url() in html
    assert two_states["portland_kobe"].get_absolute_url() not in html


def test_map_and_list_agree_on_every_filter(client, two_states):
    two_states["seattle_kobe"].topics.set([make_topic()])
    for params in [{"prefecture": "28"}, {"q": "Portland"}, {"topic": "clean-energy"}, {"state": ["WA", "OR"]}]:
        on_list = client.get(reverse("partnerships:relationship-list"), params | {"format": "json"}).json()
        on_map = map_data(client.get(MAP_URL, params))
        assert sorted(row["id"] for row in on_list["results"]) == sorted(link["id"] for link in on_map["links"])


def test_invalid_filter_is_a_400_with_an_empty_map(client, two_states):
    response = client.get(MAP_URL, {"state": "ZZ"})
    assert response.status_code == 400
    assert not elements(response, "script", id="map-data")


@pytest.mark.parametrize("params", [{}, {"state": "WA", "q": "Town", "decade": "1950"}])
def test_map_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, params):
    washington, kobe = make_state(), make_jp_city(prefecture=make_prefecture())
    make_relationship(make_us_city(name="Town 0", state=washington), kobe)
    with CaptureQueriesContext(connection) as few:
        assert client.get(MAP_URL, params).status_code == 200
    for n in range(1, 30):
        make_relationship(make_us_city(name=f"Town {n}", state=washington), kobe)
    with django_assert_max_num_queries(20), CaptureQueriesContext(connection) as many:
        assert client.get(MAP_URL, params).status_code == 200
    assert len(many) == len(few)


def test_detail_pages_map_their_own_links(client, two_states):
    kobe, link = two_states["kobe"], two_states["seattle_kobe"]
    for url, expected in [
        (kobe.get_absolute_url(), {link.pk}),
        (link.get_absolute_url(), {link.pk}),
        (two_states["washington"].get_absolute_url(), {link.pk}),
    ]:
        response = client.get(url)
        data = map_data(response)
        assert {item["id"] for item in data["links"]} == expected
    assert map_data(client.get(kobe.get_absolute_url()))["focus"] == kobe.pk


def test_detail_map_adds_no_query(client, django_assert_max_num_queries):
    hyogo, washington = make_prefecture(), make_state()
    kobe = make_jp_city(prefecture=hyogo)
    for n in range(20):
        make_relationship(make_us_city(name=f"Town {n}", state=washington), kobe)
    with django_assert_max_num_queries(16):  # as test_views' budget for a place's brief
        assert client.get(kobe.get_absolute_url()).status_code == 200


EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
CSS_EXTERNAL = re.compile(r"""(?:url\(\s*["']?|@import\s+["']?)\s*(?:https?:)?//""", re.I)


def test_map_page_loads_nothing_from_another_host(client, two_states):
    html = client.get(MAP_URL).content.decode()
    for tag in re.findall(r"<(?:script|link|img|iframe|source|image)\b[^>]*>", html, re.I):
        assert not EXTERNAL.search(tag), tag
    assert not CSS_EXTERNAL.search(html)
    static = Path(settings.BASE_DIR) / "static"
    for name in ["js/map.js", "css/map.css"]:
        text = (static / name).read_text()
        assert not CSS_EXTERNAL.search(text), name
        # The only URL in the script is SVG's namespace name, which is never fetched.
        assert set(re.findall(r"https?://[^\s\"')]+", text)) <= {"http://www.w3.org/2000/svg"}, name
    assert elements(html, "div", class_="map", data_outlines="/static/map/outlines.json")


def test_outlines_are_light_and_credited():
    folder = Path(settings.BASE_DIR) / "static" / "map"
    outlines = json.loads((folder / "outlines.json").read_text())
    assert (folder / "outlines.json").stat().st_size < 300_000
    assert len(outlines["jp"]) == 47
    assert {"Washington", "Hawaii", "Alaska", "California"} <= {f["name"] for f in outlines["us"]}
    sources = (folder / "SOURCES.md").read_text()
    for name in ["us-atlas", "world-atlas", "japanmap", "Apache License 2.0", "public domain"]:
        assert name in sources
