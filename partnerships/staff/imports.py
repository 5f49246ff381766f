"""Bulk import of relationships from CSV or Excel, in the export's own columns.

An upload is read whole and previewed row by row (adds, changes, unchanged, or wrong, with
the row number and a plain reason) before anything is written. Confirming applies every row
in one transaction, or nothing: a file with one wrong row changes nothing. An editor's import
becomes changes awaiting review, like any edit; a reviewer's is published at once.

Rows find their partners by code first (slug, Japanese local government code, FIPS code),
then by name within the state or prefecture (`us_region_code` / `jp_region_code`, e.g.
US-WA, JP-28), and their relationship by `id` or by the pair and kind.
"""

import copy
import csv
import datetime
import io
import re
import time
import uuid
from dataclasses import dataclass, field

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.models import Country, DatePrecision, Partner, Relationship, Source, Status, Submission
from partnerships.rules import text
from partnerships.staff import review, sheets

MAX_ROWS = 5000
MAX_COLUMNS = 60
MAX_BYTES = 5 * 1024 * 1024
MAX_CELL = 2000  # characters in one cell (notes are the longest)
MAX_URL = 500  # as a Source's address holds
MAX_UNPACKED = 64 * 1024 * 1024  # bytes an .xlsx may unpack to (MAX_ROWS full rows need far less)
MAX_SECONDS = 10  # reading one .xlsx (a full 5,000 × 60 sheet reads in about a second)
# Checking a file's rows (the upload), or checking and applying them (the confirmation), in one
# request: with reading, under the server's timeout (60 s, gunicorn.conf.py), so that a file too
# big to finish gets a message instead of a cut connection.
MAX_CHECK_SECONDS = 40
SHEET_LIMITS = sheets.Limits(
    rows=MAX_ROWS + 1,  # and the header
    columns=MAX_COLUMNS,
    part=32 * 1024 * 1024,  # one part (a sheet of MAX_ROWS full rows is about 12 MB)
    unpacked=MAX_UNPACKED,
    strings=(MAX_ROWS + 1) * MAX_COLUMNS,  # one for each cell, at most
    characters=MAX_ROWS * MAX_CELL,  # a full note on every row
    seconds=MAX_SECONDS,
)
SIGNING_SALT = "partnerships.import"
# The columns an import reads; the export's other columns (coordinates, names of regions…) are
# accepted and ignored, so an exported file can be edited and uploaded again.
READ = [
    "id",
    "kind",
    "status",
    "established",
    "established_precision",
    "us_slug",
    "us_name",
    "us_region_code",
    "us_fips_code",
    "jp_slug",
    "jp_name",
    "jp_name_ja",
    "jp_region_code",
    "jp_local_gov_code",
    "source_titles",
    "source_urls",
    "notes",
]
COMPARED = ["kind", "status", "established", "established_precision", "notes"]
EXAMPLE = {
    "kind": "sister city",
    "status": "active",
    "established": "1957-10",
    "established_precision": "month",
    "us_name": "Seattle",
    "us_region_code": "US-WA",
    "jp_name": "Kobe",
    "jp_region_code": "JP-28",
    "jp_local_gov_code": "281000",
    "source_titles": "Consulate-General of Japan in Seattle: sister cities",
    "source_urls": "https://www.seattle.us.emb-japan.go.jp/itpr_en/sistercities.html",
    "notes": "",
}


def template_csv():
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=READ, lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(EXAMPLE)
    return "\ufeff" + output.getvalue()


def _text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # A leading apostrophe is how exports keep a cell from running as a formula.
    return str(value).strip().removeprefix("'")


def _rows_of(upload, content):
    """The file's rows as lists of text, read lazily: a file that holds more rows than allowed
    is refused as soon as the first one too many is read, never read whole (an .xlsx by
    sheets.Reader, which stops at each of SHEET_LIMITS while it reads)."""
    name = upload.name.lower()
    if name.endswith(".xlsx"):
        try:
            rows = sheets.Reader(content, SHEET_LIMITS).rows()
        except sheets.TooBig as error:
            raise refusal(error.what) from error
        for row in rows:
            yield [_text(value) for value in row]
    elif name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(
                _("The CSV file is not UTF-8. Save it as “CSV UTF-8” and upload it again.")
            ) from error
        try:
            for row in csv.reader(io.StringIO(text)):
                yield [cell.strip() for cell in row]
        except csv.Error as error:
            raise ValidationError(_("The CSV file could not be read: %(error)s") % {"error": error}) from error
    else:
        raise ValidationError(_("Upload a .csv or .xlsx file, in the columns of the template."))


def too_big():
    return ValidationError(
        _("The file has more than %(max)d rows or %(columns)d columns. Split it.")
        % {"max": MAX_ROWS, "columns": MAX_COLUMNS}
    )


def too_slow():
    return _(
        "Checking and applying this file takes more than %(seconds)d seconds; nothing was imported. "
        "Split it into smaller files."
    ) % {"seconds": MAX_CHECK_SECONDS}


def refusal(what):
    """What a person is told when an .xlsx passes one of the reader's bounds (sheets.TooBig)."""
    if what == "time":
        return ValidationError(
            _("The file took more than %(seconds)d seconds to read. Split it into smaller files.")
            % {"seconds": MAX_SECONDS}
        )
    if what in ("strings", "part"):
        return ValidationError(
            _("The file holds more text than %(max)d rows of %(columns)d columns can. Split it.")
            % {"max": MAX_ROWS, "columns": MAX_COLUMNS}
        )
    return too_big()


def read_table(upload):
    """[{column: text}] from an uploaded CSV or Excel file; ValidationError in plain words."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than 5 MB. Split it into smaller files."))
    content = upload.read()
    lines = []
    for line in _rows_of(upload, content):
        if not any(line):
            continue
        if len(lines) > MAX_ROWS or len(line) > MAX_COLUMNS:
            raise too_big()
        lines.append(line)
    if not lines:
        raise ValidationError(_("The file is empty."))
    header = [name.strip().lower() for name in lines[0]]
    if not {"us_slug", "us_name"} & set(header) or not {"jp_slug", "jp_name", "jp_name_ja", "jp_local_gov_code"} & set(
        header
    ):
        raise ValidationError(
            _("The first row must name the columns, as in the template: at least us_name (or us_slug) and jp_name.")
        )
    rows = []
    for line in lines[1:]:
        values = dict(zip(header, line + [""] * (len(header) - len(line)), strict=False))
        rows.append({name: values.get(name, "") for name in READ})
    return rows


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("CSV (UTF-8) or Excel (.xlsx) in the columns of the template, at most 5,000 rows."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("file"):
            cleaned["rows"] = read_table(cleaned["file"])
        return cleaned


class ConfirmForm(forms.Form):
    rows = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=gettext_lazy("Reason for these changes"),
        max_length=500,
        help_text=gettext_lazy("Where the file comes from, e.g. “Consulate-General in Chicago, list of 1 June 2026”."),
        validators=[text.check],  # it goes to the history and /changes/ as typed
    )

    @classmethod
    def for_rows(cls, rows):
        """The previewed rows, signed, with the batch number their confirmation will carry: one
        confirmation applies them, a second (a double click, a replayed request) is refused."""
        payload = {"batch": uuid.uuid4().hex, "rows": [row.values for row in rows], "versions": _versions(rows)}
        return cls(initial={"rows": signing.dumps(payload, salt=SIGNING_SALT, compress=True)})

    def clean_rows(self):
        try:
            payload = signing.loads(self.cleaned_data["rows"], salt=SIGNING_SALT)
        except signing.BadSignature as error:
            raise ValidationError(_("The preview could not be read back; upload the file again.")) from error
        self.batch = payload["batch"]
        self.versions = {int(number): version for number, version in payload.get("versions", {}).items()}
        return payload["rows"]


def _versions(rows):
    """{row number: the version of the relationship it changes, as previewed}: confirming writes a row
    only while its relationship is still at that version (review.submit's `based_on`), so that an
    edit published between the preview and the confirmation is not overwritten."""
    return {row.number: row.relationship.version for row in rows if row.relationship is not None}


@dataclass
class Row:
    number: int
    values: dict
    action: str = ""  # "create", "update", "unchanged" or "error"
    errors: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    relationship: Relationship | None = None
    fields: dict = field(default_factory=dict)

    @property
    def label(self):
        return {
            "create": _("adds"),
            "update": _("changes"),
            "unchanged": _("unchanged"),
            "error": _("wrong"),
        }[self.action]


@dataclass
class Preview:
    rows: list
    deadline: float = float("inf")  # when checking and applying these rows must be done (time.monotonic)

    @property
    def has_errors(self):
        return any(row.action == "error" for row in self.rows)

    def count(self, action):
        return sum(row.action == action for row in self.rows)

    @property
    def counts(self):
        return {action: self.count(action) for action in ("create", "update", "unchanged", "error")}


def _choice(choices, text, default, what):
    if not text:
        return default
    wanted = text.strip().lower().replace("-", " ").replace("_", " ")
    for value, label in choices.choices:
        if wanted in (value.replace("_", " "), str(label).lower()):
            return value
    options = ", ".join(str(label) for _value, label in choices.choices)
    raise ValidationError(
        _("%(what)s “%(text)s” is not one of: %(options)s.") % {"what": what, "text": text, "options": options}
    )


def _date(text, precision_text):
    """ "1957-10-01", "1957-10" or "1957" → (date, precision); the precision column may narrow it."""
    if not text:
        if precision_text:
            raise ValidationError(_("established_precision is given but established is empty."))
        return None, ""
    match = re.fullmatch(r"(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?", text)
    if not match:
        raise ValidationError(
            _("established “%(text)s” is not a date like 1957-10-01, 1957-10 or 1957.") % {"text": text}
        )
    year, month, day = match.groups()
    try:
        date = datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError as error:
        raise ValidationError(_("established “%(text)s” is not a real date.") % {"text": text}) from error
    precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    if precision_text:
        precision = _choice(DatePrecision, precision_text, precision, "established_precision")
    return date, precision


def _partner(values, side, country):
    """The one partner a row names on one side, or a ValidationError saying why not."""
    label = _("US partner") if side == "us" else _("Japanese partner")
    partners = Partner.objects.filter(country=country).select_related("parent")
    slug = values[f"{side}_slug"]
    if slug:
        found = partners.filter(slug=slug).first()
        if not found:
            raise ValidationError(_("%(label)s: no partner with the slug “%(slug)s”.") % {"label": label, "slug": slug})
        return found
    code = values.get("jp_local_gov_code") if side == "jp" else values.get("us_fips_code")
    if code:
        found = list(partners.same_as(codes={"local_gov_code" if side == "jp" else "fips_code": code})[:2])
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError(_("%(label)s: no partner with the code “%(code)s”.") % {"label": label, "code": code})
    names = [values.get(f"{side}_name"), values.get("jp_name_ja") if side == "jp" else ""]
    names = [name for name in names if name]
    if not names:
        raise ValidationError(_("%(label)s: give a name, a code or a slug.") % {"label": label})
    region = values.get(f"{side}_region_code", "").upper()
    found = list(partners.same_as(names, region_code=region or None)[:5])
    name = names[0]
    if not found:
        where = _(" in %(region)s") % {"region": region} if region else ""
        message = _("%(label)s: no partner named “%(name)s”%(where)s.")
        raise ValidationError(message % {"label": label, "name": name, "where": where})
    if len(found) > 1:
        exact = [partner for partner in found if partner.name.lower() == name.lower() or partner.name_ja == name]
        if len(exact) == 1:
            return exact[0]
        choices = "; ".join(f"{partner} ({partner.slug})" for partner in found)
        raise ValidationError(
            _("%(label)s: “%(name)s” could be several partners: %(choices)s. Add the region code or the slug.")
            % {"label": label, "name": name, "choices": choices}
        )
    return found[0]


def _partner_of(values, side, country, found):
    """`_partner`, asked once per preview for each way a file names a partner (`found` keeps the
    answers): a file's rows name the same places again and again."""
    columns = (
        ("slug", "name", "region_code", "local_gov_code", "name_ja")
        if side == "jp"
        else ("slug", "name", "region_code", "fips_code")
    )
    key = (side, *(values.get(f"{side}_{column}", "") for column in columns))
    if key not in found:
        try:
            found[key] = _partner(values, side, country)
        except ValidationError as error:
            found[key] = error
    if isinstance(found[key], ValidationError):
        raise ValidationError(found[key].messages)
    return found[key]


def _check_cells(values):
    """Every cell is text a record can hold: no invisible characters, nothing over-long."""
    for name, value in values.items():
        if len(value) > MAX_CELL:
            raise ValidationError(
                _("%(column)s holds %(length)d characters; at most %(max)d fit.")
                % {"column": name, "length": len(value), "max": MAX_CELL}
            )
        try:
            text.check(value, multiline=name == "notes")
        except ValidationError as error:
            raise ValidationError(f"{name}: {error.messages[0]}") from error


def _read_row(row, seen, partners):
    values = row.values
    _check_cells(values)
    us = _partner_of(values, "us", Country.US, partners)
    jp = _partner_of(values, "jp", Country.JP, partners)
    kind = _choice(Relationship.Kind, values["kind"], Relationship.Kind.SISTER_CITY, "kind")
    relationship = None
    if values["id"]:
        if not values["id"].isdigit():
            raise ValidationError(_("id “%(id)s” is not a record number.") % {"id": values["id"]})
        relationship = Relationship.objects.filter(pk=int(values["id"])).first()
        if relationship is None:
            raise ValidationError(_("There is no relationship #%(id)s.") % {"id": values["id"]})
    else:
        relationship = Relationship.objects.filter(us_partner=us, jp_partner=jp, kind=kind).first()
    key = (us.pk, jp.pk, kind)
    if key in seen:
        raise ValidationError(_("Repeats row %(row)d.") % {"row": seen[key]})
    seen[key] = row.number
    established, precision = _date(values["established"], values["established_precision"])
    default_status = relationship.status if relationship else Status.ACTIVE
    fields = {
        "us_partner": us,
        "jp_partner": jp,
        "kind": kind,
        "status": _choice(Status, values["status"], default_status, "status"),
        "established": established if values["established"] or not relationship else relationship.established,
        "established_precision": (
            precision if values["established"] or not relationship else relationship.established_precision
        ),
        "notes": values["notes"] if values["notes"] or not relationship else relationship.notes,
    }
    candidate = copy.copy(relationship) if relationship else Relationship()
    for name, value in fields.items():
        setattr(candidate, name, value)
    candidate.full_clean(exclude=["sources"])
    urls = [url.strip() for url in values["source_urls"].split("|") if url.strip()]
    if relationship is None and not urls:
        raise ValidationError(_("A new relationship needs at least one source: fill source_urls."))
    for url in urls:
        if len(url) > MAX_URL:
            raise ValidationError(
                _("A source address has %(length)d characters; at most %(max)d fit.")
                % {"length": len(url), "max": MAX_URL}
            )
        forms.URLField(assume_scheme="https").clean(url)
    text.check(values["source_titles"])
    return relationship, fields, urls


def preview(raw_rows):
    """What each row would do, without writing anything; within MAX_CHECK_SECONDS, or the row it
    stopped at says so (and the file cannot be imported)."""
    rows, seen, partners = [], {}, {}
    deadline = time.monotonic() + MAX_CHECK_SECONDS
    for index, values in enumerate(raw_rows):
        row = Row(number=index + 2, values=values)  # row 1 is the header
        if time.monotonic() > deadline:
            row.action = "error"
            row.errors = [too_slow()]
            rows.append(row)
            break
        try:
            relationship, fields, urls = _read_row(row, seen, partners)
        except ValidationError as error:
            row.action = "error"
            row.errors = [message for messages in _messages(error) for message in messages]
            rows.append(row)
            continue
        row.relationship, row.fields = relationship, fields | {"source_urls": urls}
        us_id, jp_id = fields["us_partner"].pk, fields["jp_partner"].pk
        if relationship is None:
            row.action = "create"
        else:
            known = set(relationship.sources.values_list("url", flat=True))
            row.changes = [name for name in COMPARED if getattr(relationship, name) != fields[name]]
            row.changes += ["sources"] if set(urls) - known else []
            moved = (relationship.us_partner_id, relationship.jp_partner_id) != (us_id, jp_id)
            if moved:
                row.changes.insert(0, "partners")
            row.action = "update" if row.changes else "unchanged"
        rows.append(row)
    return Preview(rows, deadline)


def _messages(error):
    if hasattr(error, "message_dict"):
        return [[f"{name}: {message}" if name != "__all__" else message for message in messages]
                for name, messages in error.message_dict.items()]  # fmt: skip
    return [error.messages]


def _sources(row):
    """The row's sources the directory has, and [{"url", "title"}] for those it does not have yet
    (created only when the change is published)."""
    known, new = [], []
    titles = [title.strip() for title in row.values["source_titles"].split("|")]
    for index, url in enumerate(row.fields["source_urls"]):
        source = Source.objects.filter(url=url).first()
        if source is not None:
            known.append(source)
        else:
            title = titles[index] if index < len(titles) and titles[index] else url
            new.append({"url": url, "title": title[:300]})
    return known, new


def apply(result, user, reason, batch, versions=None):
    """Submit every row that adds or changes something (published for a reviewer, proposed for an
    editor), once: a batch already applied raises ValidationError. Call inside a transaction: past
    the preview's deadline it raises ValidationError too, and the transaction writes nothing.

    `versions` ({row number: version}, from the preview the person confirmed) makes each change
    conditional on its relationship's version: a row whose relationship has changed since raises
    `review.Refused`, naming the row and what changed, and the transaction writes nothing."""
    if not Submission.claim(uuid.UUID(batch)):
        raise ValidationError(_("This import was confirmed already; its rows have been submitted once."))
    batch = batch[:12]
    written = 0
    for row in result.rows:
        if row.action not in ("create", "update"):
            continue
        if time.monotonic() > result.deadline:
            raise ValidationError(too_slow())  # the caller's transaction undoes the rows written
        known, new = _sources(row)
        relationship = row.relationship or Relationship()
        values = {name: value for name, value in row.fields.items() if name != "source_urls"}
        cited = list(relationship.sources.all()) if relationship.pk else []
        values["sources"] = list({source.pk: source for source in [*cited, *known]}.values())
        based_on = (versions or {}).get(row.number) if relationship.pk else None
        try:
            review.submit(relationship, values, user, reason, new_sources=new, import_batch=batch, based_on=based_on)
        except review.Refused as refused:
            raise review.Refused(
                format_html("{} {}: {}", _("Row"), row.number, refused.message), code=refused.code
            ) from None
        written += 1
    publish = review.can_publish(user)
    counts = result.counts
    if publish:
        message = _("Import %(batch)s published: %(create)d added, %(update)d changed, %(unchanged)d unchanged.")
    else:
        message = _(
            "Import %(batch)s submitted for review: %(create)d to add, %(update)d to change, %(unchanged)d unchanged."
        )
    return message % {"batch": batch, **counts}
