"""Dates as pages write them, and the choice between pages that disagree."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}  # fmt: skip
ERAS = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018}
PRECISION_RANK = {"year": 1, "month": 2, "day": 3}


@dataclass(frozen=True)
class WrittenDate:
    date: str  # ISO, day 01 / month 01 when not stated
    precision: str
    url: str
    text: str
    aside: str = ""  # a bracketed remark of the page that names another year
    rank: int | None = None  # 0 for a primary page, 1 for others; None: judged by `authority(url)`


def parse_date(text: str, url: str) -> WrittenDate | None:
    """A date as a page writes it -> ISO date and precision; None when the page states none.

    '[...]' parts were inferred from an article's date by whoever collected the row and are not
    a statement of when the link began, so they are dropped. '(...)' parts are the page's
    asides; a different year in them is kept as `aside` for the notes.
    """
    bare = re.sub(r"\[.*?\]", "", text)
    aside = " ".join(re.findall(r"\((.*?)\)", bare))
    main = re.sub(r"\(.*?\)", "", bare)
    year = month = day = None
    if re.search(r"[年月日]", main):
        if m := re.search(r"(1[89]\d\d|20\d\d)", main):
            year = int(m.group(1))
        elif m := re.search(r"(明治|大正|昭和|平成|令和)\s*(\d+|元)年", main):
            year = ERAS[m.group(1)] + (1 if m.group(2) == "元" else int(m.group(2)))
        if year is None and (m := re.search(r"(昭和|平成|令和)(\d+)", bare)):  # '平成29(2017)年'
            year = ERAS[m.group(1)] + int(m.group(2))
        if m := re.search(r"(\d{4})\)\s*年", bare):
            year = int(m.group(1))
        if m := re.search(r"(\d{1,2})月", main):
            month = int(m.group(1))
        if month and (m := re.search(r"(\d{1,2})日", main)):
            day = int(m.group(1))
    elif m := re.search(r"\b(1[89]\d\d|20\d\d)/(\d{1,2})/(\d{1,2})\b", main):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        if m := re.search(r"\b(1[89]\d\d|20\d\d)\b", main):
            year = int(m.group(1))
            rest = main[: m.start()] + " " + main[m.end() :]
            if mm := re.search(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?", rest, re.I):
                month = MONTHS[mm.group(1).lower()]
                if dm := re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", rest):
                    day = int(dm.group(1))
    if year is None:
        return None
    precision = "day" if day else "month" if month else "year"
    iso = f"{year:04d}-{month or 1:02d}-{day or 1:02d}"
    other_years = sorted(set(re.findall(r"\b(1[89]\d\d|20\d\d)\b", aside)) - {str(year)})
    return WrittenDate(iso, precision, url, text.strip(), "; ".join(other_years and [aside]))


def authority(url: str) -> int:
    """0 for official pages (governments, consulates, CLAIR/JLGC), 1 for the rest."""
    host = urlsplit(url).hostname or ""
    official = (".go.jp", ".lg.jp", ".gov", "clair.or.jp", "jlgc.org")
    if host.endswith(official) or ".pref." in f".{host}" or host.startswith("pref.") or "-pref-" in host:
        return 0
    return 1


def agree(a: WrittenDate, b: WrittenDate) -> bool:
    """Two written dates agree when they are equal as far as both are precise."""
    n = {"year": 4, "month": 7, "day": 10}[min(a.precision, b.precision, key=PRECISION_RANK.get)]
    return a.date[:n] == b.date[:n]


def choose_date(dates: list[WrittenDate]) -> tuple[WrittenDate | None, list[WrittenDate]]:
    """The most authoritative page's date, the most precise among equals; and the dissenters."""
    if not dates:
        return None, []

    def rank(d):
        return authority(d.url) if d.rank is None else d.rank

    best = min(dates, key=lambda d: (rank(d), -PRECISION_RANK[d.precision], d.date, d.url))
    return best, sorted({d for d in dates if not agree(d, best)}, key=lambda d: (d.date, d.url))
