"""A relationship's history as dated events, from databuild/data/events.tsv: when it began (with the
town that signed, where that town has since merged into today's partner), when it was signed
again, changed kind, was suspended or ended, each as one page states it.

From them a relationship gets its first signing as its date, where the pages show that its date
so far was a later event (a re-signing after a merger, an end, a kind change) or a less precise
form of the same beginning; and an end makes it inactive. The pages' own dates are all kept, as
events, so a record shows where pages disagree.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from databuild.common import Note, Review
from databuild.links import copy_links
from partnerships.rules.evidence import PRIMARY_PAGES

EVENTS = Path(__file__).resolve().parent / "data" / "events.tsv"
KINDS = ("began", "re_signed", "kind_changed", "suspended", "ended")
RELATIONSHIP_KINDS = ("sister_city", "sister_state", "friendship")
PRECISION_RANK = {"day": 3, "month": 2, "year": 1}
WIDTH = {"day": 10, "month": 7, "year": 4}


@dataclass(frozen=True)
class Event:
    kind: str
    date: str  # as written: YYYY, YYYY-MM or YYYY-MM-DD; "" when the page gives none
    precision: str
    kind_after: str
    predecessor: str
    predecessor_ja: str
    url: str
    page_kind: str
    quote: str
    checked: str
    note: str

    @property
    def primary(self) -> bool:
        return self.page_kind in PRIMARY_PAGES

    def iso(self) -> str:
        """The date as a full ISO date (the first of the month or year where only that is stated)."""
        return {4: f"{self.date}-01-01", 7: f"{self.date}-01"}.get(len(self.date), self.date)


def read_events(path: Path = EVENTS) -> dict[tuple[str, str], list[Event]]:
    """{(US slug, Japanese slug): [Event, ...]} in the table's order (by date within a pair)."""
    events: dict[tuple[str, str], list[Event]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            assert row["event"] in KINDS, row
            assert not row["date"] or len(row["date"]) == WIDTH[row["date_precision"]], row
            kind_after = row["kind_after"] if row["kind_after"] in RELATIONSHIP_KINDS else ""
            event = Event(
                row["event"], row["date"], row["date_precision"] if row["date"] else "", kind_after,
                row["predecessor"], row["predecessor_ja"], row["url"], row["page_kind"], row["quote"],
                row["checked"], row["note"],
            )  # fmt: skip
            events.setdefault((row["us"], row["jp"]), []).append(event)
    return events


def first_signing(events: list[Event]) -> Event | None:
    """The relationship's beginning: the earliest `began` event, on primary pages where any gives
    one; the most precise of that year's."""
    began = [e for e in events if e.kind == "began" and e.date]
    began = [e for e in began if e.primary] or began
    if not began:
        return None
    year = min(e.date[:4] for e in began)
    return max((e for e in began if e.date[:4] == year), key=lambda e: (PRECISION_RANK[e.precision], e.date))


def dated_by_events(links: dict, events: dict[tuple[str, str], list[Event]], review: Review) -> dict:
    """The links, each with its events; dated by its first signing where its date was a later event
    or a less precise one; an ended one inactive."""
    links = copy_links(links)
    pairs = {(link.us, link.jp) for link in links.values()}
    for pair in sorted(set(events) - pairs):
        review.add(
            "Events of pairs the directory does not have", f"{pair[0]} – {pair[1]}: {len(events[pair])} event(s)"
        )
    for link in links.values():
        found = events.get((link.us, link.jp), [])
        link.events = sorted(found, key=lambda e: (e.iso() or "9999", KINDS.index(e.kind), e.url))
        first = first_signing(link.events)
        if first and later_than(link.established, link.precision, first):
            was = (link.established or "")[: WIDTH.get(link.precision, 10)] or "no date"
            review.add("Dated by the first signing", f"{link.us} – {link.jp}: {was} → {first.date} ({first.url})")
            if link.established and link.established[:4] != first.date[:4]:
                link.notes.append(
                    Note(
                        f"First signed in {first.date[:4]}; {was[:4]} is a later event (see the history).",
                        f"{first.date[:4]}年に最初に提携。{was[:4]}年は後の出来事（経緯を参照）。",
                    )
                )
            link.established, link.precision = first.iso(), first.precision
            link.basis, link.date_url = "signing", first.url
        dated = [e for e in link.events if e.date]
        if dated and dated[-1].kind == "ended" and link.status != "inactive":
            link.status = "inactive"
            review.add("Ended, by its latest event", f"{link.us} – {link.jp}: {dated[-1].date} ({dated[-1].url})")
    return links


def later_than(established: str | None, precision: str, first: Event) -> bool:
    """Whether a relationship's date is a later event than its first signing, or that signing stated
    less precisely (1968 for 1968-07)."""
    if not established:
        return True
    shown = established[: WIDTH.get(precision, 10)]
    if shown[:4] != first.date[:4]:
        return first.date[:4] < shown[:4]
    return PRECISION_RANK[first.precision] > PRECISION_RANK.get(precision, 3) and first.date.startswith(shown)
