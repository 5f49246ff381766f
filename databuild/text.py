"""Name folding shared by the stages: slugs and comparison keys."""

import re
import unicodedata

from partnerships.rules.slugs import slugify  # noqa: F401  (the one slugify, shared with the app)


def strip_accents(text: str) -> str:
    """'Hyōgo' -> 'Hyogo': the directory's English names are macron-free ASCII."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def name_key(text: str) -> str:
    """Comparison key for romanised names: accent-free, lower case, letters and digits only;
    'm' before b/p written 'n' so Gotemba = Gotenba and Mombetsu = Monbetsu."""
    key = re.sub(r"[^a-z0-9]", "", strip_accents(text).lower())
    return re.sub(r"m(?=[bp])", "n", key)


def us_key(text: str) -> str:
    """Comparison key for US place names: 'St. Paul' = 'Saint Paul', 'LaGrange' = 'La Grange'."""
    text = strip_accents(text).lower().strip()
    text = re.sub(r"^st\.?\s+", "saint ", text)
    text = re.sub(r"^ft\.?\s+", "fort ", text)
    text = re.sub(r"^mt\.?\s+", "mount ", text)
    text = re.sub(r"\s+township$", "", text)  # 'Marlboro Township' is GeoNames' 'Marlboro'
    return re.sub(r"[^a-z0-9]", "", text)
