"""Places seeking a partner abroad: CLAIR's list of Japanese local governments that want a sister
relationship (databuild/data/seeking.tsv, read on the list's page), as records of their own."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from databuild.common import Review
from databuild.places import Gazetteer, Place
from databuild.resolve import Resolver
from databuild.verify import read_tsv

SEEKING = Path(__file__).resolve().parent / "data" / "seeking.tsv"
LIST_TITLE = "Japanese local governments seeking a sister relationship abroad"


@dataclass
class Seeking:
    """The list's rows, each naming its `partner`, and those places (they may have no relationship yet)."""

    rows: list[dict]
    places: dict[str, Place]


def read_seeking(gazetteer: Gazetteer, review: Review, path: Path = SEEKING) -> Seeking:
    res, rows = Resolver(gazetteer, review), read_tsv(path)
    for row in rows:
        row["partner"] = res.municipality(row["code"]).slug
    return Seeking(rows, res.found.places)


def seeking_records(rows: list[dict], pages: dict[str, dict], checked: str) -> list[dict]:
    records = []
    for pk, row in enumerate(rows, start=1):
        fields = {
            "partner": [row["partner"]],
            "wants": f"|{row['wants']}|",
            "countries": row["countries"],
            "places": row["places"],
            "conditions": row["conditions"],
            "description": row["description"],
            "population": int(row["population"]) if row["population"] else None,
            "area_km2": float(row["area_km2"]) if row["area_km2"] else None,
            "as_of": row["as_of"] or None,
            "source": [pages[row["source"]]["slug"]],
            "checked": checked,
        }
        records.append({"model": "partnerships.partnerseeking", "pk": pk, "fields": fields})
    return records
