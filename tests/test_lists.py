"""Lists for everyone: a skip link to the results, headings that sort (with aria-sort), a title
that says what is shown, downloads on a place's page, a program's agreements by date."""

import datetime
import re

import pytest
from django.test.html import parse_html
from django.urls import reverse
from pytest_django.asserts import assertContains

from partnerships.rules import languages
from tests.builders import make_agreement, make_program, make_relationship
from tests.markup import element, elements, text

pytestmark = pytest.mark.django_db
LIST_URL = reverse("partnerships:relationship-list")


def test_a_skip_link_leads_to_the_results(client):
    make_relationship()
    page = client.get(LIST_URL)
    in_order = elements(page, "*")
    to_main, to_results = element(page, "a", href="#main"), element(page, "a", href="#results")
    assert in_order.index(to_main) < in_order.index(to_results) < in_order.index(element(page, "*", id="results"))


def test_column_headings_sort_and_say_how(client):
    make_relationship()
    response = client.get(LIST_URL, {"sort": "established", "state": "WA"})
    heading = '<th scope="col" aria-sort="{}"><a href="?sort={}&amp;state=WA">{}</a></th>'.format
    assertContains(response, heading("ascending", "-established", "Established ▲"), html=True)
    assertContains(response, heading("none", "us", "US partner"), html=True)


def test_the_title_says_what_is_shown(client):
    make_relationship()
    page = client.get(LIST_URL, {"state": "WA"})
    assert text(element(page, "title")).startswith("Relationships · 1 found: Washington · ")


def test_a_place_page_offers_its_relationships_as_files(client):
    link = make_relationship()
    page = client.get(link.us_partner.get_absolute_url())
    assertContains(
        page, f'<a href="{LIST_URL}?partner={link.us_partner.slug}&amp;format=csv" download>CSV</a>', html=True
    )
    state = client.get(link.us_partner.parent.get_absolute_url())
    assertContains(state, f'<a href="{LIST_URL}?state=WA&amp;format=csv" download>CSV</a>', html=True)


def test_a_programs_agreements_are_in_date_order_with_their_dates(client):
    later = make_agreement(title="A later memorandum", signed=datetime.date(2021, 5, 1), signed_precision="day")
    earlier = make_agreement(title="B earlier memorandum", signed=datetime.date(2010, 1, 1), signed_precision="year")
    undated = make_agreement(title="0 undated memorandum")
    program = make_program()
    program.agreements.set([later, earlier, undated])
    page = client.get(program.get_absolute_url()).content.decode()
    assert page.index("B earlier") < page.index("A later") < page.index("0 undated")
    assert "(2010)" in page


@pytest.mark.parametrize(
    ("name", "english", "japanese"),
    [
        ("partner-list", "Standard: with relationships first, by name", "標準（提携のあるものを先に、名称の五十音順）"),
        ("relationship-list", "Standard: US partner, A to Z", "標準（米国側パートナーの五十音順）"),
        ("agreement-list", "Standard: title, A to Z", "標準（名称順）"),
        ("program-list", "Standard: name, A to Z", "標準（名称順）"),
        ("seeking", "Standard: prefecture, north to south", "標準（都道府県順・北から南）"),
    ],
)
def test_the_sort_choice_names_the_order_shown_before_one_is_chosen(client, name, english, japanese):
    """Not "---------": the reader sees which order the list is in."""
    path = reverse(f"partnerships:{name}")
    for language, label in (("en", english), ("ja", japanese)):
        page = client.get(languages.in_language(path, language))
        first = elements(element(page, "select", name="sort"), "option")[0]
        assert first == parse_html(f'<option value="" selected>{label}</option>'), (name, language)


def _headings_and_labels(page):
    """The first table's headings (their text) and each row's cells' phone labels."""
    table = page[page.index("<table") : page.index("</table>")]
    headings = [re.sub(r"<[^>]+>|[▲▼]", "", th).strip() for th in re.findall(r"<th\b.*?</th>", table)]
    rows = [re.findall(r'<td[^>]*data-label="([^"]*)"', row) for row in re.findall(r"<tr>(<td.*?)</tr>", table)]
    return headings, rows


@pytest.mark.parametrize(
    ("url", "headings"),
    [
        (LIST_URL, ["US partner", "Japanese partner", "Kind", "Established", "Sources", "Details"]),
        (reverse("partnerships:partner-list"), ["Name", "Kind", "State or prefecture", "Relationships"]),
        ("/en/partners/seattle-wa/", ["US partner", "Japanese partner", "Kind", "Established", "Details"]),
    ],
)
def test_every_column_heading_labels_its_cells_on_a_phone(client, url, headings):
    make_relationship()
    shown, rows = _headings_and_labels(client.get(url).content.decode())
    assert shown == headings
    assert rows and all(labels == [*headings[:-1], ""] for labels in rows if headings[-1] == "Details")
    assert all(labels == headings for labels in rows if headings[-1] != "Details")


def test_a_table_whose_list_offers_no_sort_has_plain_headings(client):
    make_relationship()
    page = client.get("/en/partners/seattle-wa/").content.decode()
    table = page[page.index("<table") : page.index("</table>")]
    assert "aria-sort" not in table and "?sort=" not in table
    assert '<th scope="col">Established</th>' in table
