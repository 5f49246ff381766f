"""Text matching shared by every list's `q` filter.

Every word of the query must match at least one of the given fields (AND across words,
OR across fields), case-insensitively, as a substring, so partial words, kanji and kana
all match.
"""

import unicodedata

from django.db.models import Q

MAX_WORDS = 8


def normalize_query(q):
    """NFKC folds full-width letters and half-width kana to their usual forms."""
    return unicodedata.normalize("NFKC", q or "").strip()


def query_words(q):
    words = normalize_query(q).split()
    return words[:MAX_WORDS]


def search_filter(q, fields):
    condition = Q()
    for word in query_words(q):
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return condition
