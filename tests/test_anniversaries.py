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
        "10 years: Tacoma, Washington – Kobe, Hyogo (sister city)",
        "70 years: Seattle, Washington – Kobe, Hyogo (sister city)",
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


def calendar_events(client, path=CALENDAR, **query):
    response = client.get(path, {"year": "2027", **query})
    calendar = icalendar.Calendar.from_ical(response.content)
    return calendar, {str(event["url"]).rsplit("/relationships/", 1)[1]: event for event in calendar.walk("VEVENT")}


def event_of(events, link):
    return events[f"{link.pk}/"]


def test_a_date_known_to_the_month_or_year_spans_it_and_says_the_day_is_not_known(client, links):
    _calendar, events = calendar_events(client)
    tacoma, salem = event_of(events, links["tacoma"]), event_of(events, links["salem"])  # April 2017; 1962
    assert (tacoma.decoded("dtstart"), tacoma.decoded("dtend")) == (
        datetime.date(2027, 4, 1),
        datetime.date(2027, 5, 1),
    )
    assert "day is not known" in str(tacoma["description"]) and "April 2017" in str(tacoma["description"])
    assert (salem.decoded("dtstart"), salem.decoded("dtend")) == (datetime.date(2027, 1, 1), datetime.date(2028, 1, 1))
    assert "day and month are not known" in str(salem["description"])
    seattle = event_of(events, links["seattle"])
    assert "not known" not in str(seattle["description"])


def test_no_event_falls_on_1_january_unless_its_date_is_1_january(client, links):
    new_year = make_relationship(
        make_us_city(name="Spokane", state=links["seattle"].us_partner.parent),
        links["seattle"].jp_partner,
        established=datetime.date(1997, 1, 1),
        established_precision="day",
    )
    _calendar, events = calendar_events(client)
    on_new_years_day = [
        url
        for url, event in events.items()
        if event.decoded("dtstart") == datetime.date(2027, 1, 1)
        and event.decoded("dtend") - event.decoded("dtstart") == datetime.timedelta(days=1)
    ]
    assert on_new_years_day == [f"{new_year.pk}/"]  # not Salem (1962), not Tacoma (April 2017)


def test_every_event_names_both_places_with_their_state_and_prefecture_and_its_kind(client, links):
    _calendar, events = calendar_events(client)
    assert len(events) == 3
    for event in events.values():
        summary = str(event["summary"])
        assert ("Washington –" in summary or "Oregon –" in summary) and "Kobe, Hyogo" in summary, summary
        assert [str(category) for category in event["categories"].cats] == ["sister city"]


def test_the_japanese_calendar_names_places_in_japanese(client, links):
    _calendar, events = calendar_events(client, "/ja/anniversaries.ics")
    seattle = str(event_of(events, links["seattle"])["summary"])
    assert "Seattle（ワシントン州） – 神戸市（兵庫県）" in seattle and "Kobe" not in seattle
    assert [str(c) for c in event_of(events, links["seattle"])["categories"].cats] == ["姉妹都市"]
    assert "月日は不明" in str(event_of(events, links["salem"])["description"])


def test_a_filtered_calendar_is_named_for_its_filter(client, links):
    unfiltered, _events = calendar_events(client)
    filtered, _events = calendar_events(client, state="OR")
    assert "Oregon" not in str(unfiltered["X-WR-CALNAME"])
    assert "Oregon" in str(filtered["X-WR-CALNAME"]) and "2027" in str(filtered["X-WR-CALNAME"])
