"""A new partner's slug, the one scheme: its name and, for a place inside a state or prefecture,
that state's postal code or that prefecture's name ("seattle-wa", "king-county-wa",
"kobe-hyogo"); a name shared inside one state or prefecture takes the local government code
("fuchu-tokyo-132063"), or a number. The data build, an editor's new partner (admin, or one an
addition or import brings with it) and its review all call this. A slug once given is never
changed: it is in URLs people cite. Plain Python, so that the data build uses it too.
"""

import re
import unicodedata

from partnerships.rules import regions

MAX_LENGTH = 100


def slugify(text: str) -> str:
    """An ASCII slug: accents stripped ("Hyōgo" -> "hyogo"), apostrophes dropped, every other run
    of anything but letters and digits one hyphen."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.lower().replace("'", "").replace("’", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def partner_slug(name: str, region_code: str = "", region_name: str = "", max_length: int = MAX_LENGTH) -> str:
    """The slug of a partner called `name` inside the state or prefecture with this ISO code
    (US-WA) and English name (Hyogo): "seattle-wa", "kobe-hyogo"; `name` alone without one."""
    in_link = regions.in_link(region_code) if region_code else None
    qualifier = in_link[1].lower() if in_link and in_link[0] == "state" else region_name
    slug = "-".join(part for part in (slugify(name), slugify(qualifier)) if part)
    return slug[:max_length].rstrip("-") or "partner"


def unique_slug(base: str, taken, code: str = "") -> str:
    """`base`, else `base` with the partner's local government code, else with 2, 3…: the first
    that `taken(slug)` says is free."""
    candidates = [base, f"{base}-{code}"] if code else [base]
    for slug in candidates:
        if not taken(slug):
            return slug
    number = 2
    while taken(f"{base}-{number}"):
        number += 1
    return f"{base}-{number}"
