"""What a record looks like outside the site: the columns and files of every export.

One list of `Column`s per model serves JSON, CSV and Excel alike, so that every format
carries the same fields under the same names (documented on the data page). CSV streams
row by row from a server-side cursor, so memory stays flat whatever the size; Excel is
written row by row to a temporary file and capped at XLSX_MAX_ROWS, saying so inside the
file when it is cut.
"""

import csv
import datetime
import itertools
import re
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from partnerships.models import (
    Agreement,
    DateBasis,
    Participation,
    Partner,
    PartnerSeeking,
    Program,
    Relationship,
    Status,
    Verification,
    corroborating,
    region_of,
)
from partnerships.platform import caching
from partnerships.rules import languages
from partnerships.rules.evidence import is_corroborated
from partnerships.rules.text import safe_for_output

CITATION = (
    "US–Japan Partnerships Directory; relationship data derived in part from Wikipedia contributors "
    "(CC BY-SA 4.0) and sistercity.info; see /about/ for every source and licence."
)


@dataclass
class Column:
    """One exported field. `source` is what the database selects (a field path or an
    expression); `convert` turns it into the exported value; `many` names a bulk lookup
    for multi-valued fields (sources, parties) and reduces its items to the value."""

    name: str
    source: Any = None
    description: str = ""
    convert: Callable | None = None
    many: tuple | None = None


class ExportContext:
    """What converters share during one export: absolute URL prefixes and choice labels,
    worked out once instead of once a row."""

    def __init__(self, request):
        self.request = request
        self._prefixes = {}
        self._labels = {}

    def url(self, list_url_name, key):
        # Detail pages live under their list: /relationships/ + 405/ (the URLs are a contract).
        if list_url_name not in self._prefixes:
            # Without a language prefix: the same file in every language, each link opening in its reader's.
            self._prefixes[list_url_name] = self.request.build_absolute_uri(languages.neutral(reverse(list_url_name)))
        return f"{self._prefixes[list_url_name]}{key}/"

    def label(self, choices, value, language):
        """A choice's label in `language` ("en" or "ja"), whatever language the reader's page is in."""
        if (choices, language) not in self._labels:
            with translation.override(language):
                self._labels[choices, language] = {member.value: str(member.label) for member in choices}
        return self._labels[choices, language].get(value, value or "")


def url_of(list_url_name):
    return lambda key, context: context.url(list_url_name, key) if key is not None else ""


def label_of(choices, language):
    return lambda value, context: context.label(choices, value, language)


def coded(name, source, description, choices):
    """A choice as three columns: its code, and its label in English and in Japanese, so that a
    download holds the same bytes whatever the language of the page it was asked from."""
    return [
        Column(name, source, description),
        Column(f"{name}_en", source, format_lazy("{} ({})", description, _("in English")), label_of(choices, "en")),
        Column(f"{name}_ja", source, format_lazy("{} ({})", description, _("in Japanese")), label_of(choices, "ja")),
    ]


def _side_columns(side, label):
    prefix = side.split("_")[0]

    def about(text):
        return format_lazy("{}: {}", label, text)

    return [
        Column(f"{prefix}_slug", f"{side}__slug", about(_("stable identifier"))),
        Column(f"{prefix}_name", f"{side}__name", about(_("name in English"))),
        Column(f"{prefix}_name_ja", f"{side}__name_ja", about(_("name in Japanese"))),
        Column(f"{prefix}_name_kana", f"{side}__name_kana", about(_("reading in kana"))),
        *coded(f"{prefix}_kind", f"{side}__kind", about(_("kind")), Partner.Kind),
        Column(f"{prefix}_region", region_of(f"{side}__", "name"), about(_("state or prefecture"))),
        Column(f"{prefix}_region_ja", region_of(f"{side}__", "name_ja"), about(_("state or prefecture in Japanese"))),
        Column(f"{prefix}_region_code", region_of(f"{side}__", "iso_code"), about(_("ISO 3166-2 code of the region"))),
        Column(f"{prefix}_local_gov_code", f"{side}__local_gov_code", about(_("local government code"))),
        Column(f"{prefix}_fips_code", f"{side}__fips_code", about(_("US FIPS code"))),
        Column(f"{prefix}_latitude", f"{side}__latitude", about(_("latitude (WGS 84)"))),
        Column(f"{prefix}_longitude", f"{side}__longitude", about(_("longitude (WGS 84)"))),
        Column(f"{prefix}_url", f"{side}__slug", about(_("page")), url_of("partnerships:partner-list")),
    ]


def _first(index):
    return lambda items: [item[index] for item in items]


SOURCE_COLUMNS = [
    Column(
        "source_titles", description=_("titles of the sources that support the record"), many=("sources", _first(0))
    ),
    Column("source_urls", description=_("addresses of those sources"), many=("sources", _first(1))),
]

RELATIONSHIP_COLUMNS = [
    Column("id", "pk", _("stable record number")),
    Column("url", "pk", _("the record's page"), url_of("partnerships:relationship-list")),
    *coded("kind", "kind", _("sister city, sister state or friendship"), Relationship.Kind),
    *coded("status", "status", _("active, inactive or unknown"), Status),
    Column("established", "established", _("date established (first day of the year or month)")),
    Column("established_precision", "established_precision", _("year, month or day")),
    *coded(
        "established_basis",
        "established_basis",
        _("what the date marks: signing, council resolution, signed anew after a merger, or only stated"),
        DateBasis,
    ),
    *coded(
        "verification",
        "verification",
        _("verified on a primary page, secondary sources only, disputed, or not found on a public page"),
        Verification.State,
    ),
    Column("clair_id", "clair_id", _("the pair's number in CLAIR's register of sister (friendship) ties")),
    *_side_columns("us_partner", _("US partner")),
    *_side_columns("jp_partner", _("Japanese partner")),
    Column("source_count", description=_("how many sources list the relationship"), many=("sources", len)),
    Column(
        "corroborated",
        description=corroborating(_("%(count)s or more sources agree")),
        many=("sources", lambda items: is_corroborated(len(items))),
    ),
    *SOURCE_COLUMNS,
    Column("notes", "notes", _("notes, e.g. conflicting dates")),
]


PARTNER_COLUMNS = [
    Column("slug", "slug", _("stable identifier")),
    Column("url", "slug", _("the record's page"), url_of("partnerships:partner-list")),
    Column("name", "name", _("name in English")),
    Column("name_ja", "name_ja", _("name in Japanese")),
    Column("name_kana", "name_kana", _("reading in kana")),
    *coded("kind", "kind", _("kind of partner"), Partner.Kind),
    Column("country", "country", _("US or JP")),
    Column("region", "parent__name", _("state or prefecture it sits in")),
    Column("region_code", "parent__iso_code", _("that region's ISO 3166-2 code")),
    Column("iso_code", "iso_code", _("ISO 3166-2 code (states, territories, prefectures)")),
    Column("local_gov_code", "local_gov_code", _("Japanese local government code")),
    Column("fips_code", "fips_code", _("US FIPS code")),
    Column("latitude", "latitude", _("latitude (WGS 84)")),
    Column("longitude", "longitude", _("longitude (WGS 84)")),
    Column("website", "website", _("official website")),
    Column("locality", "locality", _("city an organisation or office is based in")),
    Column("represents", "represents__slug", _("for an office abroad: the place it works for (slug)")),
    Column("represents_name", "represents__name", _("that place's name")),
    Column("founded", "founded", _("year an organisation or office was founded")),
    Column("closed", "closed", _("true when it has closed")),
    Column(
        "aliases",
        "aliases",
        _("former and alternative names"),
        lambda text, context: [line.strip() for line in text.splitlines() if line.strip()],
    ),
    Column("relationship_count", "relationship_count", _("sister relationships of its own")),
]

AGREEMENT_COLUMNS = [
    Column("slug", "slug", _("stable identifier")),
    Column("url", "slug", _("the record's page"), url_of("partnerships:agreement-list")),
    Column("title", "title", _("title in English")),
    Column("title_ja", "title_ja", _("title in Japanese")),
    *coded("kind", "kind", _("kind of agreement"), Agreement.Kind),
    Column("signed", "signed", _("date signed (first day of the year or month)")),
    Column("signed_precision", "signed_precision", _("year, month or day")),
    Column("expires", "expires", _("date it expires, where stated")),
    *coded("status", "status", _("in force, expired, superseded or unknown"), Agreement.Status),
    Column("parties", description=_("names of the parties"), many=("parties", _first(0))),
    Column("party_slugs", description=_("identifiers of the parties"), many=("parties", _first(1))),
    Column("topics", description=_("topics"), many=("topics", _first(0))),
    Column("renews", "renews__slug", _("the agreement it renews")),
    Column("summary", "summary", _("summary")),
    Column("document_url", "document_url", _("the agreement's text")),
    *SOURCE_COLUMNS,
]

PROGRAM_COLUMNS = [
    Column("slug", "slug", _("stable identifier")),
    Column("url", "slug", _("the record's page"), url_of("partnerships:program-list")),
    Column("name", "name", _("name in English")),
    Column("name_ja", "name_ja", _("name in Japanese")),
    Column("start_year", "start_year", _("year it started")),
    Column("end_year", "end_year", _("year it ended")),
    *coded("status", "status", _("active, completed or unknown"), Program.Status),
    Column("participants", description=_("participants with their role"), many=("participants", _first(0))),
    Column("topics", description=_("topics"), many=("topics", _first(0))),
    Column("summary", "summary", _("summary")),
    Column("website", "website", _("website")),
    *SOURCE_COLUMNS,
]


def _wanted(text, context):
    return [code for code in (text or "").strip("|").split("|") if code]


SEEKING_COLUMNS = [
    Column("id", "pk", _("stable record number")),
    Column("partner_slug", "partner__slug", _("the place: stable identifier")),
    Column("partner_url", "partner__slug", _("the place's page"), url_of("partnerships:partner-list")),
    Column("name", "partner__name", _("name in English")),
    Column("name_ja", "partner__name_ja", _("name in Japanese")),
    Column("prefecture_code", region_of("partner__", "iso_code"), _("ISO 3166-2 code of its prefecture")),
    Column("local_gov_code", "partner__local_gov_code", _("local government code")),
    Column(
        "wants", "wants", _("codes of what it seeks: us, north_america, english, asia, oceania, europe, other"), _wanted
    ),
    Column("countries", "countries", _("the countries and regions it seeks, in its words")),
    Column("places", "places", _("the places it names, in its words")),
    Column("conditions", "conditions", _("what it hopes for, in its words")),
    Column("population", "population", _("population, as stated")),
    Column("area_km2", "area_km2", _("area in square kilometres, as stated")),
    Column("as_of", "as_of", _("the date of those figures")),
    Column("source_url", "source__url", _("the page that lists it")),
    Column("checked", "checked", _("when the page was read")),
]


def _related(model, field, *values):
    """A bulk lookup: {record id: [(value, ...), ...]} over a many-to-many field, in a stable order."""
    through = getattr(model, field).through
    own = next(f.name for f in through._meta.fields if f.related_model is model)
    other = getattr(model, field).field.m2m_reverse_field_name()

    def fetch(ids):
        found = {}
        rows = (
            through.objects.filter(**{f"{own}_id__in": ids})
            .order_by(f"{other}__{values[0]}")
            .values_list(f"{own}_id", *(f"{other}__{value}" for value in values))
        )
        for key, *items in rows:
            found.setdefault(key, []).append(tuple(items))
        return found

    return fetch


def _participants(ids):
    found = {}
    rows = Participation.objects.filter(program_id__in=ids).values_list("program_id", "partner__name", "role")
    for key, name, role in rows.order_by("partner__name"):
        found.setdefault(key, []).append((f"{name} ({role})",))  # the role's code: the same in every language
    return found


LOOKUPS = {
    Relationship: {"sources": _related(Relationship, "sources", "title", "url")},
    Partner: {},
    Agreement: {
        "sources": _related(Agreement, "sources", "title", "url"),
        "parties": _related(Agreement, "parties", "name", "slug"),
        "topics": _related(Agreement, "topics", "name"),
    },
    PartnerSeeking: {},
    Program: {
        "sources": _related(Program, "sources", "title", "url"),
        "topics": _related(Program, "topics", "name"),
        "participants": _participants,
    },
}

COLUMNS = {
    Relationship: RELATIONSHIP_COLUMNS,
    Partner: PARTNER_COLUMNS,
    Agreement: AGREEMENT_COLUMNS,
    Program: PROGRAM_COLUMNS,
    PartnerSeeking: SEEKING_COLUMNS,
}

# The search page's export: one table of every kind of record that matched.
SEARCH_COLUMNS = {
    Partner: [
        Column("record_type", Value("partner"), _("partner, relationship, agreement or program")),
        Column("identifier", "slug", _("slug, or id for relationships")),
        Column("name", "name", _("name or title in English")),
        Column("name_ja", "name_ja", _("name or title in Japanese")),
        Column("url", "slug", _("the record's page"), url_of("partnerships:partner-list")),
    ],
    Relationship: [
        Column("record_type", Value("relationship")),
        Column("identifier", "pk"),
        Column("name", Concat("us_partner__name", Value(" – "), "jp_partner__name")),
        Column("name_ja", Concat("us_partner__name_ja", Value("–"), "jp_partner__name_ja")),
        Column("url", "pk", convert=url_of("partnerships:relationship-list")),
    ],
    Agreement: [
        Column("record_type", Value("agreement")),
        Column("identifier", "slug"),
        Column("name", "title"),
        Column("name_ja", "title_ja"),
        Column("url", "slug", convert=url_of("partnerships:agreement-list")),
    ],
    Program: [
        Column("record_type", Value("program")),
        Column("identifier", "slug"),
        Column("name", "name"),
        Column("name_ja", "name_ja"),
        Column("url", "slug", convert=url_of("partnerships:program-list")),
    ],
}


def rows_of(queryset, request, columns=None, limit=None):
    """The export's rows, one list of values per record in the queryset's order, read in
    chunks from a server-side cursor: one query a chunk, plus one per multi-valued lookup."""
    model = queryset.model
    columns = columns or COLUMNS[model]
    context = ExportContext(request)
    selected = {f"c{i}": (F(c.source) if isinstance(c.source, str) else c.source) for i, c in enumerate(columns)}
    selected = {alias: expression for alias, expression in selected.items() if expression is not None}
    values = queryset.values(_pk=F("pk"), **selected)
    if limit is not None:
        values = values[:limit]
    records = values.iterator(chunk_size=ITERATOR_CHUNK)
    lookups = LOOKUPS[model]
    while chunk := list(itertools.islice(records, ITERATOR_CHUNK)):
        ids = [record["_pk"] for record in chunk]
        needed = {column.many[0] for column in columns if column.many}
        fetched = {name: lookups[name](ids) for name in needed}
        for record in chunk:
            row = []
            for i, column in enumerate(columns):
                if column.many:
                    name, reduce = column.many
                    value = reduce(fetched[name].get(record["_pk"], []))
                else:
                    value = record[f"c{i}"]
                row.append(column.convert(value, context) if column.convert else value)
            yield row


def json_value(value):
    """A value as JSON carries it: dates as ISO text; text without what no output may hold (JSON
    would escape a control character, not drop it)."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    return safe_for_output(value)


def as_json_rows(queryset, request):
    """A page of records as JSON objects, keyed by column name."""
    return rows_as_json(queryset, request, COLUMNS[queryset.model])


def rows_as_json(queryset, request, columns):
    names = [column.name for column in columns]
    return [dict(zip(names, map(json_value, row), strict=True)) for row in rows_of(queryset, request, columns)]


# --- Files: CSV (streamed) and Excel ---------------------------------------------------------

# A text cell starting with one of these is run as a formula by spreadsheet programs;
# Japanese input methods produce the full-width forms.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
XLSX_MAX_ROWS = 200_000
ITERATOR_CHUNK = 2000


def safe_cell(value):
    """A value as a spreadsheet cell: numbers and dates stay what they are; lists become
    `a | b`; text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | datetime.date):
        return value
    if isinstance(value, list | tuple):
        value = " | ".join(str(item) for item in value)
    text = safe_for_output(str(value))  # a spreadsheet cell cannot hold control characters
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _csv_text(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


class _Echo:
    """A file-like object whose write() hands back the line, for streaming with csv.writer."""

    def write(self, value):
        return value


def csv_lines(rows, header, bom=False):
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    if bom:
        yield "\ufeff"
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([_csv_text(safe_cell(value)) for value in row])


def export_filename(base, parts, extension):
    """`relationships-WA-2026-11-27.csv`: what it is, the filters that shaped it, and when."""
    cleaned = (re.sub(r"[^A-Za-z0-9]+", "-", str(part)).strip("-") for part in parts)
    label = "-".join(part for part in cleaned if part)[:60].strip("-")
    today = timezone.localdate().isoformat()
    return f"{base}-{label}-{today}.{extension}" if label else f"{base}-{today}.{extension}"


def stream_csv(rows, header, filename, bom=False, count=None, head=False):
    """The file as it is read. `count` goes out first, as `X-Row-Count`, so that a reader can
    check a download is whole; a fault mid-way raises inside the stream, and the server then
    breaks the connection instead of ending the body, so no client takes a cut file for whole.
    For a HEAD request (`head`), the same headers and no body: a server reads a body to the end
    even when it sends none of it, which would run the export's queries for nothing."""
    lines = iter(()) if head else csv_lines(rows, header, bom=bom)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if count is not None:
        response["X-Row-Count"] = str(count)
    return response


def xlsx_file(rows, header, total, sheet_title, limit, budget=None, as_of=None):
    """A workbook of the whole result, written row by row to a temporary file: at most `limit`
    rows and `budget` seconds of writing (settings.XLSX_TIME_BUDGET), so that a large export ends
    well inside the server's timeout; a cut file says so in its last row and points to CSV."""
    budget = settings.XLSX_TIME_BUDGET if budget is None else budget
    deadline = time.monotonic() + budget
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.freeze_panes = "A2"
    sheet.append(header)
    written = 0
    for row in itertools.islice(rows, limit):
        sheet.append([safe_cell(value) for value in row])
        written += 1
        if written % 1000 == 0 and time.monotonic() > deadline:
            break
    if total > written:
        sheet.append([f"TRUNCATED: this file holds the first {written:,} of {total:,} rows; download CSV for all."])
    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    # Dated `as_of` (when the data last changed), not when it was written: the same data, the
    # same bytes. Without one, a fixed date.
    dated = (as_of or datetime.datetime(1980, 1, 1, tzinfo=datetime.UTC)).astimezone(datetime.UTC)
    dated = dated.replace(tzinfo=None, microsecond=0)
    workbook.properties.created = workbook.properties.modified = dated
    ExcelWriter(workbook, DatedArchive(output, dated)).save()
    output.seek(0)
    return output


class DatedArchive(zipfile.ZipFile):
    """A zip whose every entry carries one date (a zip entry is otherwise dated when it is written,
    so two downloads of the same workbook differed)."""

    def __init__(self, file, when):
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self.date_time = max(when, datetime.datetime(1980, 1, 1)).timetuple()[:6]

    def entry(self, name):
        info = zipfile.ZipInfo(name, date_time=self.date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        return info

    def writestr(self, name, data, *args, **kwargs):
        super().writestr(self.entry(name) if isinstance(name, str) else name, data, *args, **kwargs)

    def write(self, filename, arcname=None, *args, **kwargs):
        """A sheet, which openpyxl's write-only mode writes to a file first, copied in as a stream."""
        with open(filename, "rb") as source, self.open(self.entry(arcname), "w", force_zip64=True) as target:
            shutil.copyfileobj(source, target)


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(rows, header, total, filename, sheet_title, limit, head=False):
    """The workbook as a download; for a HEAD request (`head`), its headers without building it
    (16 s at 100,000 rows), so no Content-Length."""
    if head:
        response = StreamingHttpResponse(iter(()), content_type=XLSX_TYPE)
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
        return response
    return FileResponse(
        xlsx_file(rows, header, total, sheet_title, limit, as_of=caching.last_published()),
        as_attachment=True,
        filename=filename,
        content_type=XLSX_TYPE,
    )
