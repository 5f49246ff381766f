"""Bulk import: preview every row, then all of it in one transaction, or nothing."""

import csv
import dataclasses
import datetime
import io
import re
import time
import uuid
import zipfile

import openpyxl
import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from partnerships.models import ChangeRequest, Relationship
from partnerships.staff import imports, sheets
from partnerships.staff.imports import preview, read_table
from partnerships.staff.roles import EDITORS, REVIEWERS
from tests.builders import make_jp_city, make_prefecture, make_relationship, make_state, make_us_city

pytestmark = pytest.mark.django_db
IMPORT_URL = reverse("admin:partnerships_relationship_import")
HEADER = ["id", "kind", "established", "us_name", "us_region_code", "jp_name", "jp_region_code", "source_urls"]


@pytest.fixture
def places():
    washington, hyogo = make_state(), make_prefecture()
    return {
        "seattle": make_us_city(state=washington),
        "tacoma": make_us_city(name="Tacoma", state=washington),
        "kobe": make_jp_city(prefecture=hyogo, local_gov_code="281000"),
        "himeji": make_jp_city(name="Himeji", name_ja="姫路市", prefecture=hyogo, local_gov_code="282014"),
    }


def csv_file(rows, header=HEADER, name="relationships.csv"):
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, output.getvalue().encode("utf-8-sig"), content_type="text/csv")


GOOD = [
    ["", "sister city", "1957-10", "Seattle", "US-WA", "Kobe", "JP-28", "https://example.org/seattle-kobe"],
    ["", "sister city", "", "Tacoma", "US-WA", "姫路市", "JP-28", "https://example.org/tacoma-himeji"],
]


def user(role):
    account = User.objects.create_user(role.lower(), password="x-long-passphrase-9", is_staff=True)
    account.groups.set([Group.objects.get(name=role)])
    return account


def test_preview_says_what_each_row_would_do(places):
    existing = make_relationship(places["seattle"], places["kobe"])
    rows = read_table(csv_file([*GOOD, ["", "sister city", "", "Seattle", "US-WA", "Osaka", "JP-28", "https://x.org"]]))
    result = preview(rows)
    assert [row.action for row in result.rows] == ["update", "create", "error"]
    assert result.rows[0].relationship == existing
    assert "established" in result.rows[0].changes
    assert result.rows[2].number == 4
    assert result.rows[2].errors == ["Japanese partner: no partner named “Osaka” in JP-28."]
    assert Relationship.objects.count() == 1


@pytest.mark.parametrize(
    "row,message",
    [
        (["", "sister city", "", "Seattle", "US-WA", "Kobe", "JP-28", ""], "needs at least one source"),
        (["", "twin", "", "Seattle", "US-WA", "Kobe", "JP-28", "https://x.org"], "kind “twin” is not one of"),
        (["", "", "1957-13", "Seattle", "US-WA", "Kobe", "JP-28", "https://x.org"], "is not a real date"),
        (["", "", "", "Kobe", "US-WA", "Kobe", "JP-28", "https://x.org"], "US partner: no partner named “Kobe”"),
        (["99", "", "", "Seattle", "US-WA", "Kobe", "JP-28", "https://x.org"], "There is no relationship #99"),
        (["", "sister state", "", "Seattle", "US-WA", "Kobe", "JP-28", "https://x.org"], "sister-state link joins"),
        (["", "", "", "Seattle", "US-WA", "Kobe", "JP-28", "not a url"], "Enter a valid URL"),
    ],
)
def test_wrong_rows_get_a_plain_reason(places, row, message):
    result = preview(read_table(csv_file([row])))
    assert result.has_errors
    assert any(message in error for error in result.rows[0].errors), result.rows[0].errors


def test_a_row_repeated_in_the_file_is_wrong(places):
    result = preview(read_table(csv_file([GOOD[0], GOOD[0]])))
    assert result.rows[1].errors == ["Repeats row 2."]


@pytest.mark.parametrize(
    "upload,message",
    [
        (SimpleUploadedFile("a.pdf", b"%PDF"), "Upload a .csv or .xlsx file"),
        (SimpleUploadedFile("a.csv", "名前\n".encode("shift_jis")), "not UTF-8"),
        (SimpleUploadedFile("a.csv", b""), "The submitted file is empty"),
        (SimpleUploadedFile("a.csv", b"colour,size\nred,3\n"), "The first row must name the columns"),
        (SimpleUploadedFile("a.xlsx", b"not a zip"), "not an Excel (.xlsx) file"),
    ],
)
def test_broken_files_are_refused_with_a_message(client, places, upload, message):
    client.force_login(user(REVIEWERS))
    response = client.post(IMPORT_URL, {"file": upload})
    assert message in response.content.decode()
    assert not Relationship.objects.exists()


def test_an_editors_import_waits_for_review(client, places):
    editor = user(EDITORS)
    client.force_login(editor)
    page = client.post(IMPORT_URL, {"file": csv_file(GOOD)}).content.decode()
    assert "2 to add, 0 to change, 0 unchanged, 0 wrong." in page
    signed = page.split('name="rows" value="')[1].split('"')[0]
    response = client.post(IMPORT_URL, {"confirm": "1", "rows": signed, "reason": "Consulate list of June 2026"})
    assert response.status_code == 302
    assert not Relationship.objects.exists()
    changes = ChangeRequest.objects.all()
    assert changes.count() == 2
    assert {change.author for change in changes} == {editor}
    assert len({change.import_batch for change in changes}) == 1


def test_a_reviewers_import_publishes_with_history(client, places):
    reviewer = user(REVIEWERS)
    client.force_login(reviewer)
    page = client.post(IMPORT_URL, {"file": csv_file(GOOD)}).content.decode()
    signed = page.split('name="rows" value="')[1].split('"')[0]
    client.post(IMPORT_URL, {"confirm": "1", "rows": signed, "reason": "Consulate list"})
    seattle_kobe = Relationship.objects.get(us_partner=places["seattle"])
    assert (seattle_kobe.established, seattle_kobe.established_precision) == (datetime.date(1957, 10, 1), "month")
    assert seattle_kobe.sources.get().url == "https://example.org/seattle-kobe"
    assert seattle_kobe.history.get().history_user == reviewer
    assert Relationship.objects.count() == 2


def test_a_file_with_one_bad_row_changes_nothing(client, places):
    client.force_login(user(REVIEWERS))
    bad = ["", "", "", "Nowhere", "US-WA", "Kobe", "JP-28", "https://x.org"]
    page = client.post(IMPORT_URL, {"file": csv_file([*GOOD, bad])}).content.decode()
    assert "Nothing can be imported until every wrong row is put right" in page
    assert 'name="confirm"' not in page
    assert "US partner: no partner named “Nowhere” in US-WA." in page
    assert not Relationship.objects.exists() and not ChangeRequest.objects.exists()


def test_a_forged_confirmation_is_refused(client, places):
    client.force_login(user(REVIEWERS))
    response = client.post(IMPORT_URL, {"confirm": "1", "rows": "forged", "reason": "x"})
    assert "upload the file again" in response.content.decode()
    assert not Relationship.objects.exists()


def test_an_exported_file_imports_unchanged(client, places):
    make_relationship(
        places["seattle"], places["kobe"], established=datetime.date(1957, 10, 1), established_precision="month"
    )
    exported = b"".join(client.get("/relationships/?format=csv").streaming_content)
    result = preview(read_table(SimpleUploadedFile("export.csv", exported)))
    assert [row.action for row in result.rows] == ["unchanged"]


def test_excel_files_import_too(places):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(
        ["", "sister city", datetime.datetime(1957, 10, 1), "Seattle", "US-WA", "Kobe", "JP-28", "https://x.org"]
    )
    content = io.BytesIO()
    workbook.save(content)
    result = preview(read_table(SimpleUploadedFile("file.xlsx", content.getvalue())))
    assert result.rows[0].action == "create"
    assert result.rows[0].fields["established_precision"] == "day"


def test_the_template_downloads(client, places):
    client.force_login(user(EDITORS))
    response = client.get(reverse("admin:partnerships_relationship_import_template"))
    assert response.content.decode("utf-8-sig").startswith("id,kind,status,established")


def test_the_public_cannot_import(client, places):
    response = client.post(IMPORT_URL, {"file": csv_file(GOOD)})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not Relationship.objects.exists()


# --- Files that try to break the import ------------------------------------------------------


def million_row_workbook(rows=1_000_000, dimension=True):
    """A .xlsx of under 2 MB that holds a million rows: one row repeated, which compresses to
    almost nothing. Its sheet says how big it is, or (dimension=False) does not say."""
    output = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    workbook.save(output)
    cells = "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in GOOD[0])
    source = zipfile.ZipFile(io.BytesIO(output.getvalue()))
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode()
                xml = xml.replace("</sheetData>", f"<row>{cells}</row>" * rows + "</sheetData>")
                size = f'<dimension ref="A1:H{rows + 1}"/>' if dimension else ""
                xml = re.sub(r"<dimension [^>]*/>", size, xml)
                data = xml.encode()
            target.writestr(item.filename, data, compress_type=zipfile.ZIP_DEFLATED)
    return SimpleUploadedFile("big.xlsx", packed.getvalue())


@pytest.mark.parametrize("dimension", [True, False])
def test_a_spreadsheet_with_a_million_rows_is_refused_at_once(dimension):
    upload = million_row_workbook(dimension=dimension)
    assert upload.size < 5 * 1024 * 1024
    _rows, error, reader = read_quickly(upload)
    assert "more than 5000 rows" in error.messages[0]
    assert reader is None or reader.rows_read <= imports.MAX_ROWS + 2  # refused without reading the million


SST = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def rewritten(parts, name="file.xlsx"):
    """A .xlsx as Excel writes one, HEADER in its first row as shared strings (0 to 7), then some
    of its parts replaced: {path: function of the part's text returning the new text}."""
    output = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    workbook.save(output)
    source = zipfile.ZipFile(io.BytesIO(output.getvalue()))
    files = {item.filename: source.read(item.filename).decode() for item in source.infolist()}
    header = "".join(f'<c r="{chr(65 + n)}1" t="s"><v>{n}</v></c>' for n in range(len(HEADER)))
    files["xl/worksheets/sheet1.xml"] = re.sub(r'<row r="1">.*?</row>', f'<row r="1">{header}</row>',
                                               files["xl/worksheets/sheet1.xml"])  # fmt: skip
    files["xl/sharedStrings.xml"] = SST + "".join(f"<si><t>{name}</t></si>" for name in HEADER) + "</sst>"
    files["xl/_rels/workbook.xml.rels"] = files["xl/_rels/workbook.xml.rels"].replace(
        "</Relationships>",
        '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"'
        ' Target="sharedStrings.xml" Id="rId9" /></Relationships>',
    )
    files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sharedStrings+xml"/></Types>',
    )
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as target:
        for path, text in files.items():
            target.writestr(path, parts.get(path, lambda text: text)(text).encode())
    return SimpleUploadedFile(name, packed.getvalue())


def read_quickly(upload):
    """read_table(upload), with the reader it used: how much it read is what is bounded (a timed
    assertion would measure the machine; docs/benchmarks.md has the times)."""
    readers = []
    original = sheets.Reader

    class Watched(original):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            readers.append(self)

    try:
        sheets.Reader = Watched
        rows, error = read_table(upload), None
    except ValidationError as refused:
        rows, error = None, refused
    finally:
        sheets.Reader = original
    return rows, error, readers[0] if readers else None


def test_a_sheet_that_does_not_state_its_size_stops_at_the_row_limit_while_reading():
    upload = million_row_workbook(rows=60_000, dimension=False)  # unpacks to 24 MB: under the bound
    _rows, error, reader = read_quickly(upload)
    assert "more than 5000 rows" in error.messages[0]
    assert reader.rows_read == imports.MAX_ROWS + 2  # the header, 5,000 rows, and the one too many


def hostile_strings(count):
    """A shared-strings part with the header's strings, then `count` one-letter strings: about
    17 bytes each unpacked, a few hundred kilobytes packed."""
    head = "".join(f"<si><t>{name}</t></si>" for name in HEADER)
    return lambda text: SST + head + "<si><t>a</t></si>" * count + "</sst>"


def with_row(cells):
    return lambda text: text.replace("</sheetData>", f'<row r="2">{cells}</row></sheetData>')


def test_shared_strings_no_row_uses_are_never_read():
    upload = rewritten({"xl/sharedStrings.xml": hostile_strings(1_500_000)})  # 25 MB unpacked
    assert upload.size < 400_000
    rows, error, reader = read_quickly(upload)
    assert error is None and reader.strings_read == len(HEADER)
    assert rows == []  # the header alone


def test_a_cell_naming_a_string_beyond_any_import_is_refused_before_any_string_is_read():
    upload = rewritten(
        {
            "xl/sharedStrings.xml": hostile_strings(1_500_000),
            "xl/worksheets/sheet1.xml": with_row('<c r="A2" t="s"><v>1400000</v></c>'),
        }
    )
    _rows, error, reader = read_quickly(upload)
    assert "holds more text than 5000 rows of 60 columns can" in error.messages[0]
    assert reader.strings_read == 0


def test_shared_strings_are_bounded_in_characters():
    huge = SST + "<si><t>" + "a" * 11_000_000
    upload = rewritten({"xl/sharedStrings.xml": lambda text: huge + "</t></si></sst>"})
    _rows, error, reader = read_quickly(upload)
    assert "holds more text than" in error.messages[0]
    assert reader.strings_read == 0


def test_a_part_that_unpacks_past_its_bound_is_refused_unread():
    padding = " " * (33 * 1024 * 1024)  # 33 MB of spaces: 33 KB packed
    upload = rewritten(
        {"xl/worksheets/sheet1.xml": lambda text: text.replace("</sheetData>", padding + "</sheetData>")}
    )
    assert upload.size < 100_000
    _rows, error, reader = read_quickly(upload)
    assert "holds more text than" in error.messages[0]
    assert reader.bytes_read < 2 * 1024 * 1024


def test_entities_are_refused():
    laughs = '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">]><sst><si><t>&a;</t></si></sst>'
    upload = rewritten({"xl/sharedStrings.xml": lambda text: laughs})
    _rows, error, _reader = read_quickly(upload)
    assert "not an Excel (.xlsx) file that can be read" in error.messages[0]


def test_reading_is_bounded_in_time(monkeypatch):
    monkeypatch.setattr(imports, "SHEET_LIMITS", dataclasses.replace(imports.SHEET_LIMITS, seconds=0))
    _rows, error, _reader = read_quickly(rewritten({}))
    assert "took more than 10 seconds to read" in error.messages[0]


def test_japanese_readings_and_rich_text_read_as_the_text_shown():
    strings = (
        SST
        + "".join(f"<si><t>{name}</t></si>" for name in HEADER)
        + '<si><t>神戸市</t><rPh sb="0" eb="3"><t>コウベシ</t></rPh></si>'
        + "<si><r><t>Seat</t></r><r><rPr><b/></rPr><t>tle</t></r></si></sst>"
    )
    upload = rewritten(
        {
            "xl/sharedStrings.xml": lambda text: strings,
            "xl/worksheets/sheet1.xml": with_row(
                '<c r="D2" t="s"><v>9</v></c><c r="E2" t="inlineStr"><is><t>US-WA</t></is></c>'
                '<c r="F2" t="s"><v>8</v></c><c r="C2"><v>1957</v></c>'
            ),
        }
    )
    rows = read_table(upload)
    assert [rows[0][name] for name in ("us_name", "us_region_code", "jp_name", "established")] == [
        "Seattle",
        "US-WA",
        "神戸市",
        "1957",
    ]


def test_a_full_sheet_of_5000_rows_and_60_columns_reads_whole():
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    names = [*HEADER, *(f"extra_{n}" for n in range(60 - len(HEADER)))]
    sheet.append(names)
    for n in range(5000):
        sheet.append([str(n), "sister city", datetime.date(1957, 10, 1), f"Town {n}", "US-WA", f"City {n}", "JP-28",
                      f"https://example.org/{n}", *(f"value {n}-{c}" for c in range(52))])  # fmt: skip
    output = io.BytesIO()
    workbook.save(output)
    rows, error, reader = read_quickly(SimpleUploadedFile("full.xlsx", output.getvalue()))
    assert error is None, error
    assert len(rows) == 5000 and rows[4999]["us_name"] == "Town 4999" and rows[0]["established"] == "1957-10-01"


def test_a_nul_byte_and_over_long_cells_are_named_in_the_preview(places):
    rows = read_table(
        csv_file(
            [
                ["", "sister city", "", "Seattle\x00", "US-WA", "Kobe", "JP-28", "https://example.org/a"],
                ["", "sister city", "", "Tacoma", "US-WA", "Kobe", "JP-28", "https://example.org/" + "x" * 600],
                ["", "sister city", "", "Tacoma", "US-WA", "K" * 3000, "JP-28", "https://example.org/b"],
            ]
        )
    )
    result = preview(rows)
    assert [row.action for row in result.rows] == ["error", "error", "error"]
    errors = [" ".join(row.errors) for row in result.rows]
    assert "us_name" in errors[0] and "U+0000" in errors[0]
    assert "at most 500 fit" in errors[1]
    assert "jp_name holds 3000 characters" in errors[2]


def test_a_csv_with_a_nul_byte_in_its_structure_gets_a_message(client, places):
    reviewer = user(REVIEWERS)
    client.force_login(reviewer)
    upload = SimpleUploadedFile("links.csv", b"us_name,jp_name\nSeattle,Ko\x00be\n", content_type="text/csv")
    response = client.post(IMPORT_URL, {"file": upload})
    assert response.status_code == 200
    assert not Relationship.objects.exists()


# --- Invisible characters (partnerships/rules/text.py) ----------------------------------------------

REFUSED = ["\x1b", "\u202e", "\ufdd0", "\ufffe", "\uffff", "\U0010ffff", "\u200b", "\ufeff", "\u2028", "\u2029"]


@pytest.mark.parametrize("char", REFUSED)
def test_a_cell_with_an_invisible_character_is_a_wrong_row_that_names_it(places, char):
    row = ["", "sister city", "", "Seattle", "US-WA", f"Ko{char}be", "JP-28", "https://example.org/a"]
    result = preview(read_table(csv_file([row])))
    assert result.rows[0].action == "error"
    assert f"jp_name: This text holds an invisible character, U+{ord(char):04X}" in result.rows[0].errors[0]


@pytest.mark.parametrize("char", REFUSED)
def test_a_confirmation_reason_with_an_invisible_character_changes_nothing(client, places, char):
    client.force_login(user(REVIEWERS))
    page = client.post(IMPORT_URL, {"file": csv_file(GOOD)}).content.decode()
    signed = page.split('name="rows" value="')[1].split('"')[0]
    response = client.post(IMPORT_URL, {"confirm": "1", "rows": signed, "reason": f"Consulate{char} list"})
    assert response.status_code == 200
    assert f"U+{ord(char):04X}" in response.content.decode()
    assert not Relationship.objects.exists() and not ChangeRequest.objects.exists()
    assert "Consulate" not in client.get("/changes/").content.decode()


def test_a_file_that_takes_too_long_to_check_stops_with_a_message_and_cannot_be_confirmed(client, places, monkeypatch):
    monkeypatch.setattr(imports, "MAX_CHECK_SECONDS", -1)
    client.force_login(user(REVIEWERS))
    page = client.post(IMPORT_URL, {"file": csv_file(GOOD)}).content.decode()
    assert "Checking and applying this file takes more than -1 seconds; nothing was imported." in page
    assert 'name="confirm"' not in page
    assert not Relationship.objects.exists()


def test_applying_past_the_deadline_writes_nothing(places):
    result = preview(read_table(csv_file(GOOD)))
    assert [row.action for row in result.rows] == ["create", "create"]
    result.deadline = time.monotonic() - 1
    with pytest.raises(ValidationError, match="takes more than 40 seconds"), transaction.atomic():
        imports.apply(result, user(REVIEWERS), "Consulate list", uuid.uuid4().hex)
    assert not Relationship.objects.exists() and not ChangeRequest.objects.exists()
