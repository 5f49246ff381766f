"""Anniversaries: the ties reaching 5, 10, 15 … years in a year, on a page, in downloads and in
an iCalendar feed that parses as RFC 5545, all with the lists' filters."""

import datetime

import icalendar
import pytest
from django.urls import reverse

from tests.builders import make_jp_city, make_prefecture, make_relationship, make_state, make_us_city

pytestmark = pytest.mark.django_db
PAGE = reverse("partnerships:anniversaries")
CALENDAR = reverse("partnerships:anniversaries-ics")


@pytest.fixture
def links():
    washington = make_state()
    oregon = make_state(name="Oregon", code="OR", name_ja="オレゴン州")
    kobe = make_jp_city(prefecture=make_prefecture())

    def link(name, state, date, precision="day"):
        return make_relationship(
            make_us_city(name=name, state=state), kobe, established=date, established_precision=precision
        )

    return {
        "seattle": link("Seattle", washington, datetime.date(1957, 10, 21)),  # 70 years in 2027
        "tacoma": link("Tacoma", washington, datetime.date(2017, 4, 1), "month"),  # 10 years in 2027
        "salem": link("Salem", oregon, datetime.date(1962, 1, 1), "year"),  # 65 years in 2027
        "everett": link("Everett", washington, datetime.date(1990, 6, 1)),  # 37 years: none
        "olympia": link("Olympia", washington, None, ""),  # undated: none
    }


def test_the_page_groups_ties_by_anniversary(client, links):
    page = client.get(PAGE, {"year": "2027"}).content.decode()
    assert "3 ties reach a round anniversary" in page
    assert page.index("70 years") < page.index("65 years") < page.index("10 years")
    assert "Everett" not in page and "Olympia" not in page


def test_the_lists_filters_apply(client, links):
    data = client.get(PAGE, {"year": "2027", "state": "OR", "format": "json"}).json()
    assert [(row["us_name"], row["anniversary"]) for row in data["results"]] == [("Salem", 65)]


def test_downloads_carry_the_anniversary(client, links):
    response = client.get(PAGE, {"year": "2027", "format": "csv"})
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("anniversary_year,anniversary,id,")
    assert lines[1].startswith("2027,70,")


def test_by_default_this_year_and_next(client, links):
    this_year = datetime.date.today().year
    page = client.get(PAGE).content.decode()
    assert f"Anniversaries in {this_year}–{this_year + 1}" in page


def test_the_calendar_parses_and_lists_the_right_ties(client, links):
    response = client.get(CALENDAR, {"year": "2027", "state": "WA"})
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = sorted(calendar.walk("VEVENT"), key=lambda event: event.decoded("dtstart"))
    assert [str(event["summary"]) for event in events] == [
        "10 years: Tacoma – Kobe (sister city)",
        "70 years: Seattle – Kobe (sister city)",
    ]
    seattle = events[1]
    assert seattle.decoded("dtstart") == datetime.date(2027, 10, 21)  # an all-day event on the day
    assert seattle.decoded("dtend") == datetime.date(2027, 10, 22)
    assert str(seattle["url"]).endswith(links["seattle"].get_absolute_url())
    assert len({str(event["uid"]) for event in events}) == 2


def test_bad_input_is_a_clear_400_not_a_calendar(client, links):
    response = client.get(CALENDAR, {"year": "soon"})
    assert response.status_code == 400 and "year" in response.content.decode()
    assert client.get(PAGE, {"year": "soon"}).status_code == 400
