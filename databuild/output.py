"""Writing the fixtures (sources.json, places.json, relationships.json) and review.md."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from databuild.common import Review, in_bbox
from databuild.decisions import DATASETS
from databuild.places import Place
from databuild.verify import BASES
from partnerships.rules.evidence import CORROBORATING_SOURCES, is_corroborated


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


def place_records(places: dict[str, Place]) -> list[dict]:
    ordered = sorted(places.values(), key=lambda p: (p.country, p.kind, p.slug))
    # Parents first, so loaddata finds them on any database.
    ordered.sort(key=lambda p: bool(p.parent))
    return [p.record() for p in ordered]


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
            "established_basis": link.basis if link.established else "",
            "verification": link.verification,
            "clair_id": link.clair_id,
            "notes": " ".join(note.en for note in link.notes),
            "notes_ja": "".join(note.ja for note in link.notes),
            "topics": [],
            "sources": [[s] for s in sources],
        }
        records.append({"model": "partnerships.relationship", "pk": pk, "fields": fields})
    return records


def verification_records(links: dict, pages: dict[str, dict]) -> list[dict]:
    """One Verification per relationship and page checked, in the relationships' order."""
    records = []
    for pk, key in enumerate(sorted(links), start=1):
        for check in links[key].checks:
            date = check.date
            if len(date) == 4:
                date += "-01-01"
            elif len(date) == 7:
                date += "-01"
            fields = {
                "relationship": pk,
                "source": [pages[check.url]["slug"]] if check.url else None,
                "verdict": check.verdict,
                "page_kind": check.page_kind,
                "quote": check.quote,
                # A checker's shorthand (sister_city) in words; the page's own words as they are.
                "kind_on_page": check.kind_on_page.replace("_", " ")
                if "_" in check.kind_on_page
                else check.kind_on_page,
                "date": date or None,
                "date_precision": check.date_precision if date else "",
                "date_basis": BASES.get(check.date_basis, "") if date else "",
                "checked": check.checked,
                "note": check.note,
                "note_ja": check.note_ja,
            }
            records.append({"model": "partnerships.verification", "pk": len(records) + 1, "fields": fields})
    return records


def event_records(links: dict, pages: dict[str, dict]) -> list[dict]:
    """Each relationship's events, in the relationships' order and then by date."""
    records = []
    for pk, key in enumerate(sorted(links), start=1):
        for event in links[key].events:
            fields = {
                "relationship": pk,
                "kind": event.kind,
                "date": event.iso() or None,
                "date_precision": event.precision,
                "kind_after": event.kind_after,
                "predecessor": event.predecessor,
                "predecessor_ja": event.predecessor_ja,
                "source": [pages[event.url]["slug"]] if event.url else None,
                "page_kind": event.page_kind,
                "quote": event.quote,
                "checked": event.checked or None,
                "note": event.note,
            }
            records.append({"model": "partnerships.relationshipevent", "pk": len(records) + 1, "fields": fields})
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


def write_review(path: Path, review: Review, links: dict, places: dict[str, Place], extra: dict) -> None:
    """review.md: counts first, then every decision by section."""
    by_kind = Counter(link.kind for link in links.values())
    corroborated = sum(1 for link in links.values() if is_corroborated(len(link.sources)))
    both_lists = sum(1 for link in links.values() if {"wikipedia-twin-towns", "sistercity-info"} <= link.sources)
    per_state: Counter = Counter()
    for link in links.values():
        us = places[link.us]
        per_state[places[us.parent].name if us.parent else us.name] += 1
    dated = sum(1 for link in links.values() if link.established)
    lines = [
        "# Review of the data build",
        "",
        "Written by `python -m databuild`; do not edit by hand. Every raw name that needed a",
        "decision, and every raw row that did not become a record, is listed here with the reason.",
        "",
        "## Counts",
        "",
        f"- Relationships: {len(links)} — "
        + ", ".join(f"{kind.replace('_', ' ')} {n}" for kind, n in sorted(by_kind.items())),
        f"- Corroborated ({CORROBORATING_SOURCES} or more sources): {corroborated}; "
        f"single-source: {len(links) - corroborated}; "
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
        "consulate counted 39 in Washington (Sept 2020); 24 sister states in 2018. State–prefecture ties here: "
        + ", ".join(
            f"{kind.replace('_', ' ')} {n}"
            for kind, n in sorted(
                Counter(
                    link.kind
                    for link in links.values()
                    if places[link.us].kind in ("us_state", "us_territory") and places[link.jp].kind == "jp_prefecture"
                ).items()
            )
        )
        + ".",
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
