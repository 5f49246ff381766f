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
"""

import re
import unicodedata

from django.db.models import Case, IntegerField, Q, Value, When

MAX_WORDS = 8
DELIMITER = "|"

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
