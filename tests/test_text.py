"""Invisible characters are refused at the door with a clear message, and whatever is stored
never takes an output down (the Atom feed, Excel, CSV, JSON)."""

import io
import xml.dom.minidom

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerships import review
from partnerships.exports import safe_cell, xlsx_file
from partnerships.models import Relationship
from partnerships.roles import REVIEWERS
from partnerships.text import check, safe_for_output
from tests.builders import make_account, make_relationship

INVISIBLE = ["\x01", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u202e", "\u2066", "\ud800"]


@pytest.mark.parametrize("char", INVISIBLE)
def test_invisible_characters_are_refused_with_their_name_and_place(char):
    with pytest.raises(ValidationError) as error:
        check(f"Kobe{char} city", multiline=True)
    assert f"U+{ord(char):04X}" in error.value.messages[0]
    assert "position 5" in error.value.messages[0]


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


@pytest.mark.django_db
def test_the_admin_refuses_it_in_plain_words(client):
    link = make_relationship()
    reviewer = make_account(REVIEWERS, "reviewer")
    client.force_login(reviewer)
    form = {
        "us_partner": link.us_partner_id,
        "jp_partner": link.jp_partner_id,
        "kind": "sister_city",
        "status": "active",
        "notes": "Signed\x1bin 1957",
        "sources": [s.pk for s in link.sources.all()],
        "change_reason": "Typo",
        "checks-TOTAL_FORMS": "0",
        "checks-INITIAL_FORMS": "0",
    }
    response = client.post(f"/admin/partnerships/relationship/{link.pk}/change/", form)
    assert response.status_code == 200
    assert "invisible character, U+001B" in response.content.decode()
    link.refresh_from_db()
    assert link.notes == ""


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


@pytest.mark.django_db
def test_the_feed_and_excel_survive_a_control_character_written_straight_to_the_database(client):
    link = make_relationship()
    Relationship.objects.filter(pk=link.pk).update(notes="Signed\x01 in 1957")
    reviewer = make_account(REVIEWERS, "reviewer")
    review.submit(link, {"status": "inactive"}, reviewer, "Ended\x0b in 2020")  # as if pasted before the rule
    assert client.get("/changes/feed/").status_code == 200
    response = client.get("/relationships/", {"format": "xlsx"})
    assert response.status_code == 200
    openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert client.get("/relationships/", {"format": "csv"}).status_code == 200
    assert client.get("/relationships/", {"format": "json"}).status_code == 200
