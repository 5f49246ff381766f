"""Japanese (katakana) names of US cities and counties, from the project's own table."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from databuild.common import Review, read_csv
from databuild.dates import authority
from databuild.places import Place

# Japanese (katakana) names of US cities and counties, as public Japanese pages write them
# (consulates, CLAIR, prefectures and municipalities, sister-city associations). The table is
# the project's own, committed in databuild/data/; each row cites the page and quotes it.
US_NAMES_JA = Path(__file__).resolve().parent / "data" / "us_place_names_ja.csv"
# The directory's own transcriptions, for places no public page names in Japanese (marked as such).
US_NAMES_TRANSCRIBED = Path(__file__).resolve().parent / "data" / "us_place_names_transcribed.csv"


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


def transcribed_names(
    path: Path, places: dict[str, Place], named: dict[str, NameJa], review: Review
) -> dict[str, Place]:
    """The places, a US city or county no page names in Japanese given the directory's own
    transcription (path: slug,name_ja,note), marked as such."""
    places = dict(places)
    for i, row in enumerate(read_csv(path), start=2):
        slug, name = row["slug"].strip(), "".join(row["name_ja"].split())
        assert re.search(r"[\u30a0-\u30ff]", name), f"{path.name} row {i}: '{name}' has no katakana"
        place = places.get(slug)
        if place is None or place.kind not in ("us_city", "us_county") or slug in named or place.name_ja:
            review.add("Japanese names of US places: transcriptions not used", f"row {i}: {slug} ({name})")
            continue
        places[slug] = replace(place, name_ja=name, name_ja_transcribed=True)
    return places


def pages_naming(names: dict[str, NameJa]) -> dict[str, list[str]]:
    """Page URL -> slugs of the US places it gives a Japanese name for."""
    by_url: dict[str, list[str]] = defaultdict(list)
    for chosen in names.values():
        for url in chosen.urls:
            by_url[url].append(chosen.slug)
    return by_url


def apply_us_names_ja(names: dict[str, NameJa], places: dict[str, Place], pages: dict[str, dict]) -> dict[str, Place]:
    """The places, the US ones named in Japanese and citing the pages that name them so."""
    named = dict(places)
    for slug, chosen in names.items():
        place = places[slug]
        named[slug] = replace(
            place, name_ja=chosen.name_ja, sources=place.sources | {pages[url]["slug"] for url in chosen.urls}
        )
    return named


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
