"""What a record looks like outside the site: the columns of every export.

One list of `Column`s per model serves the JSON form of a list (and any other format), so
that every format carries the same fields under the same names. Column names are
documented on the data page.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from partnerships.models import Agreement, Participation, Partner, Program, Relationship

CITATION = (
    "US–Japan Partnerships Directory; relationship data derived in part from Wikipedia contributors "
    "(CC BY-SA 4.0) and sistercity.info; see /about/ for every source and licence."
)


@dataclass
class Column:
    name: str
    get: Any  # record -> value
    description: str = ""


def _absolute(record, request):
    return request.build_absolute_uri(record.get_absolute_url())


def _region(partner):
    """The state or prefecture a partner is, or sits in."""
    if partner.kind in Partner.REGION_KINDS:
        return partner
    return partner.parent


def _side_columns(side, label):
    def part(getter):
        return lambda link, request: getter(getattr(link, side))

    def region_part(getter):
        def get(link, request):
            region = _region(getattr(link, side))
            return getter(region) if region else ""

        return get

    prefix = side.split("_")[0]
    return [
        Column(f"{prefix}_slug", part(lambda p: p.slug), f"{label}: stable identifier"),
        Column(f"{prefix}_name", part(lambda p: p.name), f"{label}: name in English"),
        Column(f"{prefix}_name_ja", part(lambda p: p.name_ja), f"{label}: name in Japanese"),
        Column(f"{prefix}_name_kana", part(lambda p: p.name_kana), f"{label}: reading in kana"),
        Column(f"{prefix}_kind", part(lambda p: p.get_kind_display()), f"{label}: kind"),
        Column(f"{prefix}_region", region_part(lambda r: r.name), f"{label}: state or prefecture"),
        Column(f"{prefix}_region_ja", region_part(lambda r: r.name_ja), f"{label}: state or prefecture in Japanese"),
        Column(f"{prefix}_region_code", region_part(lambda r: r.iso_code), f"{label}: ISO 3166-2 code of the region"),
        Column(f"{prefix}_local_gov_code", part(lambda p: p.local_gov_code), f"{label}: local government code"),
        Column(f"{prefix}_fips_code", part(lambda p: p.fips_code), f"{label}: US FIPS code"),
        Column(f"{prefix}_latitude", part(lambda p: p.latitude), f"{label}: latitude (WGS 84)"),
        Column(f"{prefix}_longitude", part(lambda p: p.longitude), f"{label}: longitude (WGS 84)"),
        Column(f"{prefix}_url", lambda link, request: _absolute(getattr(link, side), request), f"{label}: page"),
    ]


def _sources(record, request):
    return [source.title for source in record.sources.all()]


def _source_urls(record, request):
    return [source.url for source in record.sources.all()]


SOURCE_COLUMNS = [
    Column("source_titles", _sources, "titles of the sources that support the record"),
    Column("source_urls", _source_urls, "addresses of those sources"),
]

RELATIONSHIP_COLUMNS = [
    Column("id", lambda r, request: r.pk, "stable record number"),
    Column("url", _absolute, "the record's page"),
    Column("kind", lambda r, request: r.get_kind_display(), "sister city, sister state or friendship"),
    Column("status", lambda r, request: r.get_status_display(), "active, inactive or unknown"),
    Column("established", lambda r, request: r.established, "date established (first day of the year or month)"),
    Column("established_precision", lambda r, request: r.established_precision, "year, month or day"),
    *_side_columns("us_partner", "US partner"),
    *_side_columns("jp_partner", "Japanese partner"),
    Column("source_count", lambda r, request: r.source_count, "how many sources list the relationship"),
    Column("corroborated", lambda r, request: r.source_count >= 2, "two or more sources agree"),
    *SOURCE_COLUMNS,
    Column("notes", lambda r, request: r.notes, "notes, e.g. conflicting dates"),
]

PARTNER_COLUMNS = [
    Column("slug", lambda p, request: p.slug, "stable identifier"),
    Column("url", _absolute, "the record's page"),
    Column("name", lambda p, request: p.name, "name in English"),
    Column("name_ja", lambda p, request: p.name_ja, "name in Japanese"),
    Column("name_kana", lambda p, request: p.name_kana, "reading in kana"),
    Column("kind", lambda p, request: p.get_kind_display(), "kind of partner"),
    Column("country", lambda p, request: p.country, "US or JP"),
    Column("region", lambda p, request: p.parent.name if p.parent else "", "state or prefecture it sits in"),
    Column("region_code", lambda p, request: p.parent.iso_code if p.parent else "", "that region's ISO 3166-2 code"),
    Column("iso_code", lambda p, request: p.iso_code, "ISO 3166-2 code (states, territories, prefectures)"),
    Column("local_gov_code", lambda p, request: p.local_gov_code, "Japanese local government code"),
    Column("fips_code", lambda p, request: p.fips_code, "US FIPS code"),
    Column("latitude", lambda p, request: p.latitude, "latitude (WGS 84)"),
    Column("longitude", lambda p, request: p.longitude, "longitude (WGS 84)"),
    Column("website", lambda p, request: p.website, "official website"),
    Column("aliases", lambda p, request: p.alias_list, "former and alternative names"),
    Column("relationship_count", lambda p, request: p.relationship_count, "sister relationships of its own"),
]

AGREEMENT_COLUMNS = [
    Column("slug", lambda a, request: a.slug, "stable identifier"),
    Column("url", _absolute, "the record's page"),
    Column("title", lambda a, request: a.title, "title in English"),
    Column("title_ja", lambda a, request: a.title_ja, "title in Japanese"),
    Column("kind", lambda a, request: a.get_kind_display(), "kind of agreement"),
    Column("signed", lambda a, request: a.signed, "date signed (first day of the year or month)"),
    Column("signed_precision", lambda a, request: a.signed_precision, "year, month or day"),
    Column("expires", lambda a, request: a.expires, "date it expires, where stated"),
    Column("status", lambda a, request: a.get_status_display(), "in force, expired, superseded or unknown"),
    Column("parties", lambda a, request: [p.name for p in a.parties.all()], "names of the parties"),
    Column("party_slugs", lambda a, request: [p.slug for p in a.parties.all()], "identifiers of the parties"),
    Column("topics", lambda a, request: [t.name for t in a.topics.all()], "topics"),
    Column("renews", lambda a, request: a.renews.slug if a.renews else "", "the agreement it renews"),
    Column("summary", lambda a, request: a.summary, "summary"),
    Column("document_url", lambda a, request: a.document_url, "the agreement's text"),
    *SOURCE_COLUMNS,
]

PROGRAM_COLUMNS = [
    Column("slug", lambda p, request: p.slug, "stable identifier"),
    Column("url", _absolute, "the record's page"),
    Column("name", lambda p, request: p.name, "name in English"),
    Column("name_ja", lambda p, request: p.name_ja, "name in Japanese"),
    Column("start_year", lambda p, request: p.start_year, "year it started"),
    Column("end_year", lambda p, request: p.end_year, "year it ended"),
    Column("status", lambda p, request: p.get_status_display(), "active, completed or unknown"),
    Column(
        "participants",
        lambda p, request: [f"{x.partner.name} ({x.get_role_display()})" for x in p.participations.all()],
        "participants with their role",
    ),
    Column("topics", lambda p, request: [t.name for t in p.topics.all()], "topics"),
    Column("summary", lambda p, request: p.summary, "summary"),
    Column("website", lambda p, request: p.website, "website"),
    *SOURCE_COLUMNS,
]

COLUMNS = {
    Relationship: RELATIONSHIP_COLUMNS,
    Partner: PARTNER_COLUMNS,
    Agreement: AGREEMENT_COLUMNS,
    Program: PROGRAM_COLUMNS,
}

# What each export needs fetched with its rows, so that a page of rows costs a fixed number of queries.
PREFETCH = {
    Relationship: lambda qs: qs.select_related("us_partner__parent", "jp_partner__parent").prefetch_related("sources"),
    Partner: lambda qs: qs.select_related("parent"),
    Agreement: lambda qs: qs.select_related("renews").prefetch_related("parties", "topics", "sources"),
    Program: lambda qs: qs.prefetch_related(
        "topics", "sources", Prefetch("participations", queryset=Participation.objects.select_related("partner"))
    ),
}


def json_value(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def as_json_row(record, request, columns):
    return {column.name: json_value(column.get(record, request)) for column in columns}
