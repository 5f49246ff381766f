"""Relationships: rows grouped by pair, dated, and marked ended where a page says so.

The stages that change relationships return them changed, as new `Link`s: what they were given
stays as it was."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from databuild.common import Note, Review
from databuild.dates import agree, authority, choose_date, parse_date
from databuild.decisions import ENDED
from databuild.evidence import Evidence
from databuild.places import Japan, Place
from databuild.text import strip_accents
from partnerships.rules.evidence import State


@dataclass
class Link:
    us: str
    jp: str
    kind: str
    evidence: list[Evidence] = field(default_factory=list)
    established: str | None = None
    precision: str = ""
    notes: list[Note] = field(default_factory=list)
    status: str = "active"
    origin: tuple[str, str] = ()  # the pair as the raw lists give it: what corrections and checks refer to
    checks: list = field(default_factory=list)  # verify.Check rows: the pages checked for this pair
    verification: str = State.UNVERIFIED
    basis: str = ""  # what the date is: signing, resolution, re_signing, stated
    clair_id: int | None = None
    date_url: str = ""  # the page the date is from
    date_rank: int = 1
    events: list = field(default_factory=list)  # events.Event rows: the relationship's dated history

    def __post_init__(self):
        self.origin = self.origin or (self.us, self.jp)

    @property
    def sources(self) -> set[str]:
        return {ev.source for ev in self.evidence}

    def copy(self) -> Link:
        """A copy a stage may change without changing the link it was given."""
        return replace(
            self,
            evidence=list(self.evidence),
            notes=list(self.notes),
            checks=list(self.checks),
            events=list(self.events),
        )


def copy_links(links: dict) -> dict:
    return {key: link.copy() for key, link in links.items()}


def mark_ended(links: dict, review: Review) -> dict:
    """The links, those a page says have ended marked inactive, citing that page."""
    links = copy_links(links)
    for link in links.values():
        ended = ENDED.get((link.us, link.jp))
        if ended:
            url, said, said_ja = ended
            link.status = "inactive"
            link.notes.append(Note(said, said_ja))
            link.evidence.append(Evidence(source=url, us_raw=link.us, jp_raw=link.jp, jp_slug=link.jp))
            review.add("Relationships a page says have ended", f"{link.us} – {link.jp}: {said} {url}")
    return links


def build_links(
    evidence: list[Evidence], places: dict[str, Place], notes: dict[str, Note]
) -> dict[tuple[str, str, str], Link]:
    """Group the rows by pair; a pair listed by several datasets or pages cites them all. `notes`
    holds the note each raw Japanese name calls for (`resolve.Found.notes`)."""
    links: dict[tuple[str, str, str], Link] = {}
    for ev in evidence:
        for us_slug in ev.us_slugs:
            us, jp = places[us_slug], places[ev.jp_slug]
            if us.kind in ("us_state", "us_territory") and jp.kind == "jp_prefecture":
                kind = "sister_state"
            else:
                kind = "sister_city"
            key = (us_slug, ev.jp_slug, kind)
            link = links.setdefault(key, Link(us_slug, ev.jp_slug, kind))
            link.evidence.append(ev)
            note = notes.get(ev.jp_raw)
            if note and note not in link.notes:
                link.notes.append(note)
    return links


def cite_datasets_on_places(links: dict, places: dict[str, Place]) -> dict[str, Place]:
    """The places, each citing the datasets (not the pages) that list its relationships."""
    datasets: dict[str, set[str]] = {}
    for link in links.values():
        for slug in (link.us, link.jp):
            datasets.setdefault(slug, set()).update(s for s in link.sources if not s.startswith("http"))
    return {
        slug: replace(place, sources=place.sources | datasets[slug]) if slug in datasets else place
        for slug, place in places.items()
    }


def review_mergers(links: dict, merged: dict[str, set], japan: Japan, places: dict[str, Place], review: Review) -> None:
    """One review line per merged-away name (`resolve.Found.merged`): its successor and whether the
    data corroborates it (another row pairing the same US place with the successor under today's name)."""
    for code, uses in sorted(merged.items()):
        muni = japan.munis[code]
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
                us_name = places[link.us].name
                checks.append(
                    f"{us_name}–{muni.name} is also listed under today's name by {', '.join(others)}"
                    if others
                    else f"no other row lists {us_name} with {muni.name} under today's name"
                )
            review.add(
                "Pre-merger names resolved to today's municipality",
                f"'{raw}': {strip_accents(old)} ({old_ja}) became part of {muni.name} ({muni.name_ja}, {muni.lgcode}) "
                f"in {year}; linked to {muni.name}, the old name kept in its aliases. " + "; ".join(checks),
            )


def date_links(links: dict, review: Review) -> dict:
    """The links dated (`established`) from the pages that state a date; noted where pages disagree."""
    links = copy_links(links)
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
            link.notes.append(
                Note(
                    "Some pages (mostly the Japanese side's) call it a friendship affiliation (友好提携).",
                    "一部のページ（主に日本側）は友好提携と呼んでいる。",
                )
            )
        for f in sorted(set(earlier), key=lambda d: (d.date, d.url)):
            link.notes.append(
                Note(
                    f"An earlier friendship agreement ({f.date[:4]}) preceded it (a page under Sources).",
                    f"これに先立ち友好協定（{f.date[:4]}年）が結ばれている（出典欄のページ）。",
                )
            )
        if best is None:
            continue
        link.established, link.precision = best.date, best.precision
        link.date_url, link.date_rank = best.url, authority(best.url)
        if best.aside:
            link.notes.append(
                Note(f"The page also says: {best.aside}.", f"同じページには次の記載もある：{best.aside}。")
            )
        for d in dissent:
            link.notes.append(
                Note(
                    f"One page under Sources gives '{d.text}'; the date here is from another ('{best.text}').",
                    f"出典欄のあるページは「{d.text}」としている。ここでの日付は別のページ（「{best.text}」）による。",
                )
            )
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
    return links
