"""Small helpers shared by the stages: CSV reading, geometry, and the review log."""

import csv
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from databuild.decisions import STATE_BBOX


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance, to judge whether a scraped geocode points at a candidate place."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(min(1.0, math.sqrt(a)))


def in_bbox(code: str, lat: float, lng: float) -> bool:
    lat_min, lat_max, lng_min, lng_max = STATE_BBOX[code]
    return lat_min <= lat <= lat_max and lng_min <= lng <= lng_max


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


# --------------------------------------------------------------------------------------
# The review log
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """A note on a relationship in English and in Japanese: readers see the one in their language."""

    en: str
    ja: str


class Review:
    """Collects every decision, grouped by section; review.md is written from it sorted."""

    def __init__(self):
        self.sections: dict[str, set[str]] = defaultdict(set)

    def add(self, section: str, line: str) -> None:
        self.sections[section].add(line)
