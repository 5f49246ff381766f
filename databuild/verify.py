"""Corrections and checks: what public pages say about each relationship, applied as data.

Two hand-made tables in databuild/data/, keyed by the pair as the raw build makes it (US slug,
Japanese slug), or, for a pair the raw lists lack, by `Name|ST` and the municipality's
five-digit local government code; a check may also name the pair as corrected:

- corrections.tsv: one row per correction (drop a pair; change its US or Japanese side, its
  kind or its status; add a pair), each citing the page that shows it. A correction that no
  longer matches a pair stops the build, so the table never goes stale silently.
- verification.tsv: one row per relationship and page checked (the verdict, the words on the
  page, the kind and date the page gives, what that date is, when it was checked).

From them each relationship gets its checks, its verification state (`partnerships.rules.evidence`
says what the states mean), its date when a checked page states a better one, the basis of
that date, and its CLAIR pair number.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from databuild.common import Note, Review
from databuild.dates import WrittenDate, choose_date
from databuild.evidence import Evidence
from databuild.links import Link, copy_links
from databuild.places import Gazetteer, Place
from databuild.resolve import Resolver
from partnerships.rules.evidence import CONFIRMING, PRIMARY_PAGES, verification_state

DATA = Path(__file__).resolve().parent / "data"
CORRECTIONS = DATA / "corrections.tsv"
CHECKS = DATA / "verification.tsv"
CLAIR_PAIR = re.compile(r"clair\.or\.jp/j/exchange/shimai/data/detail/(\d+)")
BASES = {"signing": "signing", "resolution": "resolution", "re-signing": "re_signing", "stated": "stated"}


@dataclass
class Corrected:
    """The links as corrected, and the places the corrections name that no row did."""

    links: dict[tuple[str, str, str], Link]
    places: dict[str, Place]


@dataclass(frozen=True)
class Check:
    us: str
    jp: str
    verdict: str
    page_kind: str
    url: str
    quote: str
    kind_on_page: str
    date: str
    date_precision: str
    date_basis: str
    clair_id: str
    checked: str
    note: str
    note_ja: str = ""

    @property
    def confirms(self) -> bool:
        return self.verdict in CONFIRMING


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def read_checks(path: Path = CHECKS) -> dict[tuple[str, str], list[Check]]:
    checks: dict[tuple[str, str], list[Check]] = {}
    for row in read_tsv(path):
        check = Check(**row)
        checks.setdefault((check.us, check.jp), []).append(check)
    return checks


def _side(res: Resolver, value: str, country: str) -> str:
    """A place's slug from a correction: `Name|ST` for a US place, a five-digit code for Japan."""
    if country == "US":
        name, state = value.split("|")
        slug = res.us_place(name, state, " (a correction)")
        assert slug, f"no US place {value}"
        return slug
    return res.municipality(value).slug


def _evidence(link: Link, url: str) -> Evidence:
    return Evidence(source=url, us_raw=link.us, jp_raw=link.jp, jp_slug=link.jp)


def apply_corrections(links: dict, rows: list[dict[str, str]], gazetteer: Gazetteer, review: Review) -> Corrected:
    """Apply corrections.tsv to the links (keyed (us, jp, kind)); every applied row cites its page."""
    section = "Corrections from public pages (databuild/data/corrections.tsv)"
    res, links = Resolver(gazetteer, review), copy_links(links)
    for row in rows:
        action, value, url = row["action"], row["value"], row["source"]
        if action == "add":
            us, jp = _side(res, row["us"], "US"), _side(res, row["jp"], "JP")
            key = (us, jp, value)
            assert key not in links, f"{key} exists already"
            link = links[key] = Link(us, jp, value, origin=(row["us"], row["jp"]))
            link.evidence.append(_evidence(link, url))
            review.add(section, f"added {us} – {jp} ({value}): {row['reason']} {url}")
            continue
        found = [key for key, link in links.items() if link.origin == (row["us"], row["jp"])]
        assert len(found) == 1, f"correction {row['us']} – {row['jp']} matches {len(found)} pairs"
        link = links.pop(found[0])
        if action == "drop":
            review.add(section, f"dropped {link.us} – {link.jp}: {row['reason']} {url}")
            continue
        before = f"{link.us} – {link.jp} ({link.kind}, {link.status})"
        if action == "kind":
            link.kind = value
        elif action == "status":
            link.status = value
            link.notes.append(Note(row["reason"], row["reason_ja"]))
        elif action == "jp":
            link.jp = _side(res, value, "JP")
        elif action == "us":
            link.us = _side(res, value, "US")
        else:
            raise ValueError(f"unknown correction {action}")
        key = (link.us, link.jp, link.kind)
        assert key not in links, f"correcting {before} collides with {key}"
        links[key] = link
        if url not in link.sources:
            link.evidence.append(_evidence(link, url))
        review.add(section, f"{before} → {link.us} – {link.jp} ({link.kind}, {link.status}): {row['reason']} {url}")
    return Corrected(links, res.found.places)


def checked_pages(links: dict, places: dict[str, Place]) -> dict[str, str]:
    """Pages checked that cite no pair (they contradict one): url -> what they are, for their Source."""
    cited = {ev.source for link in links.values() for ev in link.evidence}
    pages = {}
    for link in links.values():
        for check in link.checks:
            if check.url and check.url not in cited:
                us, jp = places[link.us].name, places[link.jp].name
                pages.setdefault(check.url, f"page checked for {us}–{jp}")
    return pages


def prune_unlinked(links: dict, places: dict[str, Place], review: Review) -> dict[str, Place]:
    """The places without the US cities and counties that no relationship names any more (after
    corrections). Japan's municipalities all stay: the directory holds every one (see
    `resolve.every_municipality`)."""
    named = {slug for link in links.values() for slug in (link.us, link.jp)}
    kept = {}
    for slug, place in places.items():
        if place.kind in ("us_city", "us_county") and slug not in named:
            review.add("Places left without a relationship by a correction (removed)", f"{slug}")
        else:
            kept[slug] = place
    return kept


def _written(check: Check) -> WrittenDate:
    iso = (check.date + "-01-01")[:10] if len(check.date) == 4 else (check.date + "-01")[:10]
    rank = 0 if check.page_kind in PRIMARY_PAGES else 1
    return WrittenDate(iso, check.date_precision, check.url, check.quote[:80], rank=rank)


def attach_checks(links: dict, checks: dict[tuple[str, str], list[Check]], review: Review) -> dict:
    """The links, each with its checks, verification state, best-supported date and CLAIR number."""
    links, used = copy_links(links), set()
    for link in links.values():
        keys = {link.origin, (link.us, link.jp)}
        rows = [check for key in sorted(keys) for check in checks.get(key, [])]
        used |= keys
        link.checks = sorted(rows, key=lambda c: (c.url, c.verdict))
        link.verification = verification_state([(c.verdict, c.page_kind) for c in rows])
        for check in rows:
            if check.confirms and check.url and check.url not in link.sources:
                link.evidence.append(_evidence(link, check.url))
            if m := CLAIR_PAIR.search(check.url):
                link.clair_id = int(m.group(1))
        _date_from_checks(link, [c for c in rows if c.confirms and c.date], review)
    for key in sorted(set(checks) - used):
        review.add(
            "Checks of pairs that were dropped or corrected away", f"{key[0]} – {key[1]}: {len(checks[key])} page(s)"
        )
    return links


JAPANESE_SIDE = (
    "municipal",
    "prefectural",
    "clair",
)  # the Japanese partner's own pages, and its entry in CLAIR's register
US_KIND_WORDS = {"sister_city": ("sister city", "姉妹都市"), "sister_state": ("sister state", "姉妹州・県")}


def kind_by_japanese_word(links: dict, review: Review) -> dict:
    """The links, each of the kind its Japanese partner's own pages give it: one rule for cities,
    counties and states alike. Where every such page calls a sister tie a friendship (友好提携,
    友好都市, 友好交流), it is a friendship, and its notes say what the US side calls it."""
    links = copy_links(links)
    for link in links.values():
        words = [c.kind_on_page for c in link.checks if c.page_kind in JAPANESE_SIDE and c.confirms and c.kind_on_page]
        if link.kind == "friendship" or not words or not all(is_friendship_word(word) for word in words):
            continue
        en, ja = US_KIND_WORDS[link.kind]
        shown = "、".join(sorted(set(words)))
        link.notes.append(
            Note(
                f"A friendship by the Japanese side's own word ({shown}); US pages call it a {en}.",
                f"日本側の表現（{shown}）により友好提携としている。米国側のページは{ja}と呼んでいる。",
            )
        )
        review.add("Kind by the Japanese side's word", f"{link.us} – {link.jp}: {link.kind} → friendship ({shown})")
        link.kind = "friendship"
    return links


def is_friendship_word(word: str) -> bool:
    """A page's word for a tie that is a friendship and not a sister relationship (友好都市, friendship city)."""
    lower = word.lower()
    return ("友好" in word or "friendship" in lower) and "姉妹" not in word and "sister" not in lower


def _date_from_checks(link: Link, dated: list[Check], review: Review) -> None:
    if link.kind == "sister_city":
        # A friendship that came first dates another event: it is noted, not taken as the sister tie's date.
        earlier = [c for c in dated if is_friendship_word(c.kind_on_page)]
        for check in earlier:
            link.notes.append(
                Note(
                    f"A friendship tie came first ({check.date[:4]}; see the pages checked).",
                    f"友好提携が先に結ばれている（{check.date[:4]}年。確認したページを参照）。",
                )
            )
        dated = [c for c in dated if c not in earlier]
    if not dated:
        if link.established:
            link.basis = "stated"
        return
    candidates = [_written(c) for c in dated]
    if link.established:
        candidates.append(WrittenDate(link.established, link.precision, link.date_url, "", rank=link.date_rank))
    best, dissent = choose_date(candidates)
    basis = {c.url: BASES.get(c.date_basis, "stated") for c in dated}
    link.established, link.precision = best.date, best.precision
    link.basis = basis.get(best.url, "stated")
    link.date_url = best.url
    for d in dissent:
        when = d.date[: {"year": 4, "month": 7, "day": 10}[d.precision]]
        link.notes.append(
            Note(
                f"A page checked gives {when}; the date here is from another (both under the pages checked).",
                f"確認したページの一つは{when}としている。ここでの日付は別のページによる（確認したページを参照）。",
            )
        )
    if dissent:
        review.add(
            "Conflicting dates",
            f"{link.us} – {link.jp}: chose {best.date} ({best.precision}) from {best.url}; "
            + "; ".join(f"{d.url} gives {d.date} ({d.precision})" for d in dissent),
        )
