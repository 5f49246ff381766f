"""Evidence readers: one row of a raw list or page file becomes an `Evidence` naming a pair.

Each reader returns its rows with what resolving their names found (`Rows`)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from databuild.common import Review, distance_km, in_bbox, read_csv
from databuild.decisions import (
    COUNTY_SUFFIXES,
    DATED_JP_FIXES,
    JP_CHOICES,
    JP_NAME_VARIANTS,
    US_NAME_REWRITES,
    US_SPLITS,
    US_STATE_CHOICES,
)
from databuild.places import Gazetteer
from databuild.resolve import Found, Resolver
from databuild.text import name_key, strip_accents, us_key


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


@dataclass
class Rows:
    """A reader's rows, and the places and notes resolving their names found."""

    rows: list[Evidence]
    found: Found


def pairing_hints(sis: list[Evidence]) -> dict[str, set[str]]:
    """US name key -> the Japanese places sistercity.info pairs it with (for `read_hekman`)."""
    hints: dict[str, set[str]] = defaultdict(set)
    for ev in sis:
        if ev.jp_slug and not ev.unqualified:
            hints[us_key(ev.us_name)].add(ev.jp_slug)
    return hints


def read_hekman(src: Path, gazetteer: Gazetteer, hints: dict[str, set[str]], review: Review) -> Rows:
    """Wikipedia rows: either column order; names without state; coordinates as evidence.

    `hints` maps a US name to the Japanese places sistercity.info pairs it with, to settle
    Japanese names shared by several municipalities (Ōta: the ward in Tokyo or the city in Gunma).
    """
    res, out = Resolver(gazetteer, review), []
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
    return Rows(out, res.found)


def jp_hint(jp: str, us: str, hints: dict[str, set[str]], res: Resolver) -> set[str] | None:
    """Japanese places another list pairs with this US name, or a hand-made choice."""
    if (jp, us) in JP_CHOICES:
        slug, why = JP_CHOICES[(jp, us)]
        res.review.add("Japanese places chosen by hand", f"'{jp}' paired with '{us}' (Wikipedia): {slug} — {why}")
        return {slug}
    return hints.get(us_key(us))


def read_siscities(src: Path, gazetteer: Gazetteer, review: Review) -> Rows:
    """sistercity.info rows: keep those pairing a US and a Japanese place.

    On a Japanese page the sister is American when its qualifier is a US state, when it is a
    state itself, or when unqualified and the world's most populous place of that name is in
    the US. On a US page the sister is Japanese when its qualifier is a prefecture, when it
    names a prefecture, or when unqualified and it names a Japanese municipality.
    """
    res, out = Resolver(gazetteer, review), []
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
    return Rows(out, res.found)


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


def read_dated_facts(src: Path, gazetteer: Gazetteer, review: Review) -> tuple[Rows, list[dict]]:
    """Dated facts: relationships (with dates) and, separately, program memoranda."""
    res, out, agreements = Resolver(gazetteer, review), [], []
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
                review.add("Typos in the pages", f"'{us_raw}' ({ref}): read as {fixed}, as the note says")
                us_raw = re.sub(r"^[^,\[]+\s*\[sic\]", fixed, us_raw)
            if "[sic]" in jp_raw:
                review.add("Typos in the pages", f"'{jp_raw}' ({ref}): read as {fixed}, as the note says")
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
                review.add("Rows read with a decision", f"{ref} ({row['us_side']} / {row['jp_side']}): {why}")
            us_name, state = res.split_us(us_raw)
            if state is None and "seattle.us.emb-japan.go.jp/itpr_en/sistercities" in row["source_url"]:
                state = "WA"  # the Seattle consulate's table lists Washington State only
            jp_slug = res.resolve_jp(jp_raw, None, f" ({ref}, paired with {us_raw})")
            ev = Evidence(row["source_url"], us_raw, jp_raw, jp_slug, us_state=state, us_name=us_name, ref=ref)
        ev.date_as_written, ev.note, ev.kind_word = row["date_as_written"], note, ev.kind_word or "city"
        out.append(ev)
    return Rows(out, res.found), agreements


def read_sister_states(src: Path, gazetteer: Gazetteer, review: Review) -> tuple[Rows, list[dict]]:
    """State–prefecture page rows. Memoranda are agreements, not sister-state links."""
    res, out, memoranda = Resolver(gazetteer, review), [], []
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
    return Rows(out, res.found), memoranda


def resolve_us_sides(evidence: list[Evidence], gazetteer: Gazetteer, review: Review) -> Rows:
    """The rows with their `us_slugs` filled: the state a row names, or one chosen with evidence;
    and the US cities and counties they name."""
    res, out = Resolver(gazetteer, review), []
    known: dict[tuple[str, str], set[str]] = defaultdict(set)
    for ev in evidence:
        if ev.kind_word != "state" and ev.us_state and ev.jp_slug:
            for name in US_SPLITS.get(ev.us_name, [ev.us_name]):
                known[(ev.jp_slug, us_key(name))].add(ev.us_state)
    for ev in evidence:
        out.append(replace(ev, us_slugs=us_slugs(ev, known, res)))
    return Rows(out, res.found)


def us_slugs(ev: Evidence, known, res: Resolver) -> list[str]:
    if ev.jp_slug is None:
        return []
    if ev.kind_word == "state":
        if ev.us_state:
            return [ev.us_state]
        res.review.add("Unresolved US names (rows not used)", f"'{ev.us_raw}' ({ev.ref}): not a US state")
        return []
    slugs = []
    for name in US_SPLITS.get(ev.us_name, [ev.us_name]):
        context = f" ({ev.ref}, paired with {ev.jp_raw})"
        state = ev.us_state or choose_state(ev, name, known, res)
        if state is None:
            continue
        if state in res.regions:  # a state or territory itself, not a code
            slugs.append(state)
            continue
        slug = res.us_place(name, state, context)
        if slug:
            slugs.append(slug)
    return slugs


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


def review_unused_rows(evidence: list[Evidence], review: Review) -> None:
    """One line per row that names no resolvable pair; the reason is logged where it failed."""
    for ev in evidence:
        if ev.jp_slug is None or not ev.us_slugs:
            review.add("Rows not turned into a relationship", f"{ev.ref}: '{ev.us_raw}' – '{ev.jp_raw}' (see above)")
