"""Matching names the way people type them, in either script.

Names and queries are both *folded* to one comparable form:

- NFKC: full-width letters become ASCII (`ＫＯＢＥ` → `KOBE`), half-width kana full-width;
- case is dropped, and so are Latin diacritics (`Ōita` → `oita`), while Japanese voicing
  marks stay (`が` is not `か`);
- `St.` reads as `saint`, `Mt.` as `mount`, `Ft.` as `fort`; punctuation becomes space.

Each partner keeps its folded names in `search_text`, delimited by `|`
(`|kobe|神戸市|神戸|こうべし|...|`), so that one substring test finds partial words,
kanji, kana and former names, and the delimiters tell an exact name (`|kobe|`) and a name
that starts with the query (`|kob`) from a match inside a name. On PostgreSQL a trigram
GIN index serves those substring tests (migration 0002); on SQLite they are plain LIKE.

A query that matches nothing is *forgiven*: the closest names (`closest`, by rapidfuzz's edit
ratio over the same folded names) are searched instead and offered as "Did you mean". On
PostgreSQL the trigram index first narrows the candidates (`PartnerQuerySet.closest`); the
ranking is this module's on both databases, so both give the same answers.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, Value, When
from rapidfuzz.fuzz import ratio

MAX_WORDS = 8
DELIMITER = "|"
# How alike (0-100, rapidfuzz's normalised edit ratio) a name must be to a query that matches
# nothing for the name to be searched instead: "seatle"/"seattle" 92, "sendia"/"sendai" 83,
# "kobee"/"kobe" 89; "kobe"/"kofu" 50.
CLOSE_ENOUGH = 75
MIN_FORGIVEN = 3  # characters: shorter queries are too short to be misspelt

ABBREVIATIONS = [
    (re.compile(r"\bst\b\.?"), "saint"),
    (re.compile(r"\bste\b\.?"), "sainte"),
    (re.compile(r"\bmt\b\.?"), "mount"),
    (re.compile(r"\bft\b\.?"), "fort"),
]
PUNCTUATION = re.compile(r"[\s.,'’\"()\-‐–—/|・·]+")
# Trailing 市 (city), 町/村 (town/village), 区 (ward), 県/府/都 (prefecture), 州 (state):
# a name without its suffix is also an exact name (`神戸` finds `神戸市` first).
JAPANESE_SUFFIX = re.compile(r"(.{2,})[市町村区県府都州]$")


def _strip_latin_marks(text):
    decomposed = unicodedata.normalize("NFD", text)
    kept = []
    for char in decomposed:
        # Drop a combining mark only after a Latin letter; kana keep their voicing marks.
        if unicodedata.combining(char) and kept and ord(kept[-1]) < 0x0250:
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def fold(text):
    """The comparable form of a name or a query."""
    text = unicodedata.normalize("NFKC", text or "").replace("\x00", "")
    text = _strip_latin_marks(text).casefold()
    for pattern, replacement in ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    return " ".join(PUNCTUATION.sub(" ", text).split())


def search_text(*names):
    """`|name|name|...|` of every distinct folded name, with Japanese names also without their suffix."""
    variants = []
    for name in names:
        folded = fold(name)
        if not folded:
            continue
        variants.append(folded)
        short = JAPANESE_SUFFIX.fullmatch(folded)
        if short:
            variants.append(short.group(1))
    unique = list(dict.fromkeys(variants))
    return DELIMITER + DELIMITER.join(unique) + DELIMITER if unique else ""


def query_words(q):
    return fold(q).split()[:MAX_WORDS]


def search_filter(q, fields, folded_fields=()):
    """Every word of `q` must match one of the fields.

    `folded_fields` hold folded text (`search_text`) and are compared with a plain
    substring test that the trigram index serves; other `fields` are compared
    case-insensitively as stored.
    """
    condition = Q()
    for word in query_words(q):
        any_field = Q()
        for field in folded_fields:
            any_field |= Q(**{f"{field}__contains": word})
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return condition


def rank(q, folded_fields):
    """0 for an exact name, 1 for a name that starts with the query, 2 for any other match."""
    phrase = fold(q)
    if not phrase:
        return Value(2, output_field=IntegerField())
    exact, prefix = Q(), Q()
    for field in folded_fields:
        exact |= Q(**{f"{field}__contains": f"{DELIMITER}{phrase}{DELIMITER}"})
        prefix |= Q(**{f"{field}__contains": f"{DELIMITER}{phrase}"})
    return Case(When(exact, then=Value(0)), When(prefix, then=Value(1)), default=Value(2), output_field=IntegerField())


def own_names(text):
    """The folded names in a partner's `search_text`, without its state's or prefecture's."""
    return [name for name in text.split("/", 1)[0].split(DELIMITER) if name]


def closest(q, candidates, limit):
    """The `limit` candidates with a name closest to `q`, best first, as (key, score, name).

    `candidates` are (key, search_text) pairs. A candidate counts by its closest name; ties go
    to the shorter name, then to the key, so that the order never depends on the database.
    """
    phrase = fold(q)
    best = {}
    for key, text in candidates:
        for name in own_names(text):
            score = ratio(phrase, name)
            if score >= CLOSE_ENOUGH and (score, -len(name)) > best.get(key, (0, 0, ""))[:2]:
                best[key] = (score, -len(name), name)
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
    return [(key, score, name) for key, (score, _, name) in ranked[:limit]]


def forgivable(q):
    return len(fold(q)) >= MIN_FORGIVEN


@dataclass
class Correction:
    """A query that matched nothing, and the closest names: `searched` is the one used instead."""

    asked: str
    suggestions: list  # Partner objects, closest first

    @property
    def searched(self):
        return self.names[0] if self.names else ""

    @property
    def names(self):
        """The suggestions' names in the query's script, each once: what a "Did you mean" link searches."""
        latin = fold(self.asked).isascii()
        names = (p.name if latin or not p.name_ja else p.name_ja for p in self.suggestions)
        return list(dict.fromkeys(names))

    @property
    def others(self):
        """The close names besides the one searched."""
        return self.names[1:]
