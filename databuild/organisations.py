"""The wider network of the policy paper: Japan-America Societies (and America-Japan Societies in
Japan), US states' offices in Japan, and Japanese prefectures' and cities' offices in the US.

databuild/data/organisations.tsv holds one row per page read (a second row for an organisation
adds what its first page did not say: a Japanese name, a founding year). Each organisation is a
Partner of kind `society` or `government_office`: based in its state or prefecture (`parent`) and
city (`locality`), and for an office, the place it `represents`. Each cites every page read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from databuild.common import Review
from databuild.places import Place
from databuild.text import slugify
from databuild.verify import read_tsv
from partnerships.rules import regions
from partnerships.rules.slugs import partner_slug

ORGANISATIONS = Path(__file__).resolve().parent / "data" / "organisations.tsv"
# Cities an office represents, by the name its page uses.
CITIES = {"Kobe": "kobe-hyogo", "Yokohama": "yokohama-kanagawa"}


@dataclass
class Organisation:
    kind: str
    country: str
    name: str
    name_ja: str = ""
    locality: str = ""
    region: str = ""  # slug of its state or prefecture
    represents: str = ""  # slug of the state, prefecture or city it works for
    founded: int | None = None
    closed: bool = False
    website: str = ""
    urls: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return partner_slug(self.name, max_length=110)


def region_slug(places: dict[str, Place], value: str) -> str:
    """A US postal code (WA) or a prefecture's name (Hyogo, "Hyogo Prefecture") -> its slug; "" if none."""
    value = value.removesuffix(" Prefecture").strip()
    if not value:
        return ""
    if len(value) == 2 and value.isupper():
        return next(p.slug for p in places.values() if p.iso_code == regions.iso_code("state", value))
    slug = f"{slugify(value)}-prefecture"
    assert slug in places, f"no prefecture {value!r}"
    return slug


def read_organisations(regions: dict[str, Place], review: Review, path: Path = ORGANISATIONS) -> list[Organisation]:
    """The organisations, placed in `regions` (the prefectures, states and territories by slug)."""
    found: dict[str, Organisation] = {}
    for row in read_tsv(path):
        org = found.get(row["name"])
        if org is None:
            org = found[row["name"]] = Organisation(
                kind=row["kind"],
                country=row["country"],
                name=row["name"],
                locality=row["locality"],
                region=region_slug(regions, row["region"]),
                represents=CITIES.get(row["represents"])
                or region_slug(regions, row["represents"].replace("CLAIR", "")),
                closed=row["closed"] == "yes",
            )
        # A later row fills what the first left empty; the first row's placing stands.
        org.name_ja = org.name_ja or row["name_ja"]
        org.locality = org.locality or row["locality"]
        org.founded = org.founded or (int(row["founded"]) if row["founded"] else None)
        org.website = org.website or row["website"]
        if row["url"] not in org.urls:
            org.urls.append(row["url"])
        if row["note"]:
            org.notes.append(row["note"])
    orgs = sorted(found.values(), key=lambda o: o.slug)
    slugs = [o.slug for o in orgs]
    assert len(set(slugs)) == len(slugs), "two organisations with one slug"
    for org in orgs:
        if not org.region:
            review.add("Organisations whose page names no state or prefecture", f"{org.name}: {org.locality or '-'}")
        for note in org.notes:
            review.add("Organisations: what their pages say besides", f"{org.name}: {note}")
    return orgs


def organisation_pages(orgs: list[Organisation]) -> dict[str, str]:
    """Page URL -> what it is cited for (the organisation's name), for the Sources."""
    pages: dict[str, str] = {}
    for org in orgs:
        for url in org.urls:
            pages.setdefault(url, org.name)
    return pages


def organisation_records(orgs: list[Organisation], places: dict[str, Place], pages: dict[str, dict]) -> list[dict]:
    records = []
    for org in orgs:
        city = locate(org, places)
        fields = {
            "slug": org.slug,
            "name": org.name,
            "name_ja": org.name_ja,
            "name_kana": "",
            "kind": org.kind,
            "country": org.country,
            "parent": [org.region] if org.region else None,
            "represents": [org.represents] if org.represents else None,
            "locality": org.locality,
            "founded": org.founded,
            "closed": org.closed,
            "website": org.website,
            "latitude": city.latitude if city else None,
            "longitude": city.longitude if city else None,
            "sources": [[pages[url]["slug"]] for url in org.urls],
        }
        records.append({"model": "partnerships.partner", "fields": fields})
    return records


def locate(org: Organisation, places: dict[str, Place]) -> Place | None:
    """The directory's place for the organisation's city, when there is one (for its coordinates)."""
    if not (org.locality and org.region):
        return None
    region = places[org.region]
    suffix = region.iso_code.split("-")[1].lower() if org.country == "US" else region.slug.removesuffix("-prefecture")
    place = places.get(f"{slugify(org.locality)}-{suffix}")
    return place if place and place.latitude is not None else None
