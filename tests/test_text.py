"""Invisible characters are refused at the door with a clear message, and whatever is stored
never takes an output down (the Atom feed, Excel, CSV, JSON)."""

import io
import json
import unicodedata
import xml.dom.minidom
import zipfile
from xml.etree import ElementTree

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerships.models import ChangeRequest, Partner, Relationship, Report
from partnerships.platform.loading import InvalidText, load_fixtures
from partnerships.public.exports import safe_cell, xlsx_file
from partnerships.rules.text import JOINERS, check, safe_for_output
from partnerships.staff import review
from partnerships.staff.roles import EDITORS, REVIEWERS
from tests.builders import make_account, make_relationship

INVISIBLE = ["\x01", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u202e", "\u2066", "\ud800"]
# Noncharacters (the first and last block, the last two of planes 0, 1 and 16), zero-width space,
# byte-order mark, soft hyphen, word joiner, a tag character, line and paragraph separators, a
# right-to-left mark.
HIDDEN = [
    "\ufdd0", "\ufdef", "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff", "\u200b", "\ufeff", "\u00ad", "\u2060",
    "\U000e0041", "\u2028", "\u2029", "\u200f",
]  # fmt: skip


@pytest.mark.parametrize("char", INVISIBLE + HIDDEN)
def test_invisible_characters_are_refused_with_their_name_and_place(char):
    with pytest.raises(ValidationError) as error:
        check(f"Kobe{char} city", multiline=True)
    assert f"U+{ord(char):04X}" in error.value.messages[0]
    assert "position 5" in error.value.messages[0]


def test_a_noncharacter_is_named_so():
    with pytest.raises(ValidationError, match=r"U\+FFFF \(NONCHARACTER\), at position 12"):
        check("Kobe, Hyogo\uffff")


@pytest.mark.parametrize(
    "joined",
    [
        "\U0001f469\u200d\U0001f4bb",  # woman + ZWJ + laptop
        "\U0001f469\U0001f3fd\u200d\U0001f4bb",  # with a skin tone modifier
        "\U0001f3f3\ufe0f\u200d\U0001f308",  # white flag, variation selector, ZWJ, rainbow
        "\u2764\ufe0f\u200d\U0001f525",  # heart on fire
        "\u0915\u094d\u200d\u0937",  # a virama then ZWJ (Devanagari half form)
    ],
)
def test_a_joiner_inside_an_emoji_sequence_is_accepted(joined):
    check(f"Friendship {joined} since 1957")


@pytest.mark.parametrize("text", ["Ko\u200dbe", "神戸\u200d市", "\u200dKobe", "Kobe\u200d", "Kobe \u200c city"])
def test_a_joiner_between_letters_or_at_an_edge_is_refused(text):
    with pytest.raises(ValidationError, match="U\\+200[CD]"):
        check(text)


def test_every_format_character_of_this_python_is_refused_and_removed():
    """The list in text.py is Unicode 14's category Cf: a newer Python's Unicode fails here first."""
    for code in range(0x110000):
        char = chr(code)
        if unicodedata.category(char) == "Cf" and char not in JOINERS:
            assert safe_for_output(f"a{char}b") == "ab", f"U+{code:04X}"
            with pytest.raises(ValidationError):
                check(char)
    assert safe_for_output("Ko\u200bbe\ufeff\u2028\uffff") == "Kobe"


def test_tab_and_newline_only_where_a_field_has_lines():
    check("First line\nsecond\tline", multiline=True)
    with pytest.raises(ValidationError, match="LINE FEED"):
        check("Kobe\ncity")
    check("神戸市 (Kobe) – “sister city”")


@pytest.mark.django_db
def test_a_record_with_an_invisible_character_is_not_saved_through_validation():
    link = make_relationship()
    link.notes = "Signed\x0bin 1957"
    with pytest.raises(ValidationError) as error:
        link.full_clean()
    assert "notes" in error.value.message_dict


def relationship_form(link, **changes):
    return {
        "us_partner": link.us_partner_id,
        "jp_partner": link.jp_partner_id,
        "kind": "sister_city",
        "status": "active",
        "notes": "",
        "sources": [s.pk for s in link.sources.all()],
        "change_reason": "Typo",
        "based_on": review.version_of(link),
        "checks-TOTAL_FORMS": "0",
        "checks-INITIAL_FORMS": "0",
    } | changes


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["notes", "change_reason"])
@pytest.mark.parametrize("char", ["\x1b", *HIDDEN])
def test_the_admin_refuses_it_in_plain_words_and_changes_nothing(client, field, char):
    link = make_relationship()
    versions = link.history.count()
    client.force_login(make_account(REVIEWERS, "reviewer"))
    form = relationship_form(link, **{field: f"Signed{char} in 1957"})
    response = client.post(f"/admin/partnerships/relationship/{link.pk}/change/", form)
    assert response.status_code == 200
    assert f"invisible character, U+{ord(char):04X}" in response.content.decode()
    link.refresh_from_db()
    assert link.notes == "" and link.history.count() == versions
    assert not ChangeRequest.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("char", ["\x1b", "\u202e", *HIDDEN])
def test_a_reviewers_note_is_held_to_the_rule(client, char):
    link = make_relationship()
    editor = make_account(EDITORS, "editor")
    change = review.submit(link, {"notes": "Signed in 1957"}, editor, "Council minutes")
    client.force_login(make_account(REVIEWERS, "reviewer"))
    url = f"/admin/partnerships/changerequest/{change.pk}/review/"
    response = client.post(url, {"reject": "1", "note": f"Which{char} minutes?"})
    assert response.status_code == 200
    assert f"U+{ord(char):04X}" in response.content.decode()
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.PENDING and change.review_note == ""


@pytest.mark.django_db
@pytest.mark.parametrize("char", ["\x1b", "\u202e", *HIDDEN])
def test_the_public_report_form_refuses_it(client, char):
    response = client.post("/report/", {"what": f"Signed in 1957{char}, not 1959."}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 400
    assert f"U+{ord(char):04X}" in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_the_bundled_data_loader_refuses_it_and_loads_nothing(tmp_path):
    fixture = tmp_path / "places.json"
    place = {"name": "Ko\u200bbe", "slug": "kobe", "kind": "jp_municipality", "country": "JP"}
    fixture.write_text(json.dumps([{"model": "partnerships.partner", "fields": place}]), encoding="utf-8")
    with pytest.raises(InvalidText, match=r"partnerships.Partner kobe, name: .*U\+200B \(ZERO WIDTH SPACE\)"):
        load_fixtures([fixture])
    assert not Partner.objects.exists()


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_stored_text_becomes_a_cell_a_spreadsheet_accepts(text):
    sheet_file = xlsx_file(iter([[safe_cell(text)]]), ["value"], 1, "test", 10)
    sheet = openpyxl.load_workbook(io.BytesIO(sheet_file.read())).active
    assert sheet.max_row == 2
    assert not any(ch in str(safe_cell(text)) for ch in INVISIBLE[:5])


@given(st.text())
def test_any_text_is_made_safe_for_xml(text):
    safe = safe_for_output(text)
    xml.dom.minidom.parseString(
        f"<a>{safe.replace('&', '&amp;').replace('<', '&lt;')}</a>".encode("utf-8", "surrogatepass")
    )


def xlsx_parts(content):
    """Every XML part of an .xlsx, parsed as any XML reader would: a part that is not well-formed raises."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    return [ElementTree.fromstring(archive.read(name)) for name in archive.namelist() if name.endswith(".xml")]


@pytest.mark.django_db
@pytest.mark.parametrize("char", ["\x01", "\uffff", "\ufffe", "\u200b", "\u2028", "\u202e"])
def test_every_output_survives_a_character_written_straight_to_the_database(client, char):
    link = make_relationship()
    reviewer = make_account(REVIEWERS, "reviewer")
    review.submit(link, {"status": "inactive"}, reviewer, f"Ended{char} in 2020")  # as if pasted before the rule
    Relationship.objects.filter(pk=link.pk).update(notes=f"Signed{char} in 1957")
    feed = client.get("/changes/feed/")
    assert feed.status_code == 200
    entries = ElementTree.fromstring(feed.content).findall("{http://www.w3.org/2005/Atom}entry")
    assert "Ended in 2020" in entries[0].find("{http://www.w3.org/2005/Atom}summary").text
    response = client.get("/relationships/", {"format": "xlsx"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    xlsx_parts(content)
    notes = [row[-1] for row in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]
    assert notes == ["notes", "Signed in 1957"]
    csv_text = b"".join(client.get("/relationships/", {"format": "csv"}).streaming_content).decode()
    assert "Signed in 1957" in csv_text and char not in csv_text
    document = client.get("/relationships/", {"format": "json"})
    assert json.loads(document.content)["results"][0]["notes"] == "Signed in 1957"
    for page in (link.get_absolute_url(), "/changes/"):
        html = client.get(page).content.decode()
        assert "Signed in 1957" in html or "Ended in 2020" in html
        assert char not in html
