import csv
import datetime
import io
import json
import time

import openpyxl
import pytest
from django.core.handlers.base import BaseHandler
from django.http import StreamingHttpResponse
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st
from pytest_django.asserts import assertContains

from partnerships.public import exports
from partnerships.public.exports import FORMULA_TRIGGERS, safe_cell
from partnerships.rules import languages
from partnerships.rules.text import safe_for_output
from tests.builders import make_jp_city, make_prefecture, make_relationship, make_state, make_us_city
from tests.markup import elements, text

pytestmark = pytest.mark.django_db


@given(st.text())
@example('=HYPERLINK("http://evil","x")')
@example("＝１＋１")
@example("\t=1")
@example("-2+3")
@example("@SUM(A1)")
def test_no_text_cell_can_start_a_formula(text):
    cell = safe_cell(text)
    assert not cell.startswith(FORMULA_TRIGGERS)
    # The text is kept, but for characters no spreadsheet cell can hold (see partnerships/rules/text.py).
    assert cell.removeprefix("'") == safe_for_output(text) or cell == safe_for_output(text)


@given(st.one_of(st.integers(), st.floats(allow_nan=False), st.dates()))
def test_numbers_and_dates_stay_numbers_and_dates(value):
    assert safe_cell(value) == value


@pytest.fixture
def washington_links():
    washington, oregon = make_state(), make_state(name="Oregon", code="OR", name_ja="オレゴン州")
    hyogo = make_prefecture()
    kobe = make_jp_city(prefecture=hyogo)
    links = [make_relationship(make_us_city(name=f"Town {n}", state=washington), kobe) for n in range(60)]
    links[0].established, links[0].established_precision = datetime.date(1957, 10, 1), "month"
    links[0].save()
    make_relationship(make_us_city(name="Portland", state=oregon), kobe)
    return links


def read_csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    return body, list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


def test_csv_is_the_whole_filtered_view_not_one_page(client, washington_links):
    response = client.get(reverse("partnerships:relationship-list"), {"state": "WA", "format": "csv"})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body, rows = read_csv(response)
    assert len(rows) == 60
    assert {row["us_region_code"] for row in rows} == {"US-WA"}
    assert "\r\n" in body
    assert rows[0]["jp_name_ja"] == "神戸市"


def test_csv_follows_the_sort_on_screen(client, washington_links):
    response = client.get(reverse("partnerships:relationship-list"), {"sort": "-us", "format": "csv"})
    _, rows = read_csv(response)
    names = [row["us_name"] for row in rows]
    assert names == sorted(names, reverse=True)


def test_csv_file_name_says_what_and_when(client, washington_links):
    response = client.get(reverse("partnerships:relationship-list"), {"state": "WA", "format": "csv"})
    today = datetime.date.today().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="relationships-WA-{today}.csv"'


def test_csv_for_excel_starts_with_a_byte_order_mark(client, washington_links):
    response = client.get(reverse("partnerships:relationship-list"), {"format": "csv", "bom": "1"})
    body, _ = read_csv(response)
    assert body.startswith("\ufeffid,url,")


def test_a_formula_in_a_name_is_neutralised_but_coordinates_stay_numbers(client, washington_links):
    city = washington_links[1].us_partner
    city.name = '=HYPERLINK("http://example.com")'
    city.save()
    _, rows = read_csv(client.get(reverse("partnerships:relationship-list"), {"format": "csv"}))
    row = next(r for r in rows if r["us_slug"] == city.slug)
    assert row["us_name"] == '\'=HYPERLINK("http://example.com")'
    assert row["us_longitude"] == "-122.3"


def test_excel_has_real_dates_numbers_a_frozen_header_and_japanese(client, washington_links):
    response = client.get(reverse("partnerships:relationship-list"), {"state": "WA", "format": "xlsx"})
    assert response["Content-Disposition"].startswith('attachment; filename="relationships-WA-')
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    rows = [dict(zip(header, [cell.value for cell in row], strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == 60
    dated = next(row for row in rows if row["established"])
    assert dated["established"].date() == datetime.date(1957, 10, 1)
    assert isinstance(rows[0]["us_latitude"], float)
    assert isinstance(rows[0]["id"], int)
    assert rows[0]["jp_name_ja"] == "神戸市"


def test_a_capped_excel_file_says_it_was_cut(client, washington_links, monkeypatch):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 10)
    response = client.get(reverse("partnerships:relationship-list"), {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 12  # header, 10 rows, the note
    assert sheet.cell(row=12, column=1).value.startswith("TRUNCATED: this file holds the first 10 of 61 rows")


def test_json_envelope_has_citation_and_as_of(client, washington_links):
    data = client.get(reverse("partnerships:relationship-list"), {"format": "json"}).json()
    assert data["count"] == 61
    assert len(data["results"]) == 50
    assert "Wikipedia" in data["citation"]
    assert data["as_of"][:4].isdigit()
    assert data["next"].endswith("format=json&page=2")


@pytest.mark.parametrize("page", ["99", "0", "two"])
def test_a_json_page_past_the_end_is_a_404_that_says_so(client, washington_links, page):
    """A program walking the pages stops at the last one instead of being given it again."""
    response = client.get(reverse("partnerships:relationship-list"), {"format": "json", "page": page})
    assert response.status_code == 404
    assert response.json() == {"errors": {"page": ["There is no such page: pages run from 1 to 2."]}}
    last = client.get(reverse("partnerships:relationship-list"), {"format": "json", "page": "2"}).json()
    assert len(last["results"]) == 11 and last["next"] is None


@pytest.mark.parametrize("name", ["partner-list", "agreement-list", "program-list"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_every_list_exports(client, washington_links, name, file_format):
    response = client.get(reverse(f"partnerships:{name}"), {"format": file_format})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_an_export_with_bad_filters_explains_and_sends_nothing(client, washington_links):
    response = client.get(reverse("partnerships:relationship-list"), {"state": "ZZ", "format": "csv"})
    assert response.status_code == 400
    assert b"Nothing was exported" in response.content
    assert b"state:" in response.content


def test_an_unknown_format_is_refused_on_the_page(client, washington_links):
    response = client.get(reverse("partnerships:relationship-list"), {"format": "pdf"})
    assert response.status_code == 400
    assert b"could not be understood" in response.content


def test_the_page_offers_downloads_with_the_row_count(client, washington_links):
    response = client.get(reverse("partnerships:relationship-list"), {"state": "WA"})
    assertContains(response, "Download all 60 relationships:")
    assertContains(response, '<a href="?state=WA&amp;format=csv&amp;bom=1" download>CSV for Excel</a>', html=True)


def test_the_search_page_exports_every_match(client, washington_links):
    response = client.get("/search/", {"q": "kobe", "format": "csv"})
    _, rows = read_csv(response)
    assert rows[0] == {
        "record_type": "partner",
        "identifier": "kobe-hyogo",
        "name": "Kobe",
        "name_ja": "神戸市",
        "url": "http://testserver/partners/kobe-hyogo/",
    }
    assert sum(row["record_type"] == "relationship" for row in rows) == 61


def test_the_data_page_documents_every_column(client):
    documented = {text(code) for code in elements(client.get(reverse("partnerships:about")), "code")}
    for column in exports.RELATIONSHIP_COLUMNS + exports.PARTNER_COLUMNS:
        assert column.name in documented


@pytest.mark.parametrize("file_format", ["csv", "json", "xlsx"])
def test_a_download_is_the_same_bytes_whatever_the_readers_language_and_hour(
    client, washington_links, file_format, monkeypatch
):
    """A researcher who cites a file can fetch it again: the same data gives the same bytes from
    /en/ and /ja/ and from one download to the next (an .xlsx was dated when written; the JSON's
    page links and the order of tied facet values followed the page's language)."""
    path = reverse("partnerships:relationship-list")

    def download(language):
        response = client.get(languages.in_language(path, language), {"format": file_format})
        assert response.status_code == 200
        return b"".join(response.streaming_content) if response.streaming else response.content

    english, japanese = download("en"), download("ja")
    later = time.time() + 3 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    assert english == japanese == download("en")
    if file_format == "json":
        assert json.loads(english)["next"].endswith(f"{languages.neutral(path)}?format=json&page=2")
    if file_format == "csv":
        header = english.decode().splitlines()[0]
        assert "kind,kind_en,kind_ja,status,status_en,status_ja" in header
        first = next(csv.DictReader(io.StringIO(english.decode())))
        assert (first["kind"], first["kind_en"], first["kind_ja"]) == ("sister_city", "sister city", "姉妹都市")


def served(request):
    """The response as a WSGI server gives it: through every middleware, its body read to the
    end (a server reads it even for HEAD, and sends none of it)."""
    handler = BaseHandler()
    handler.load_middleware()
    response = handler.get_response(request)
    return response, b"".join(response)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_head_on_a_file_answers_its_headers_without_building_it(
    washington_links, monkeypatch, django_assert_max_num_queries, file_format
):
    monkeypatch.setattr(exports, "ITERATOR_CHUNK", 1)  # building the file reads a row a query: over 60
    url = reverse("partnerships:relationship-list")
    got, body = served(RequestFactory().get(url, {"format": file_format}))
    assert len(body) > 1000
    with django_assert_max_num_queries(4):
        head, nothing = served(RequestFactory().head(url, {"format": file_format}))
    assert head.status_code == 200 and nothing == b""
    for header in ("Content-Type", "Content-Disposition", "X-Row-Count"):
        assert head.get(header) == got.get(header)
