"""Undated records are handled openly: date filters say how many they set aside and how to see
them, undated rows sort last both ways, and the decade facet counts them."""

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.builders import make_jp_city, make_prefecture, make_relationship, make_state, make_us_city

pytestmark = pytest.mark.django_db
LIST_URL = reverse("partnerships:relationship-list")


@pytest.fixture
def links():
    washington, hyogo = make_state(), make_prefecture()
    kobe = make_jp_city(prefecture=hyogo)

    def link(name, year):
        date = datetime.date(year, 1, 1) if year else None
        return make_relationship(
            make_us_city(name=name, state=washington),
            kobe,
            established=date,
            established_precision="year" if year else "",
        )

    return [link("Seattle", 1957), link("Tacoma", 1990), link("Olympia", None), link("Everett", None)]


def names(client, **query):
    data = client.get(LIST_URL, {"format": "json", **query}).json()
    return [row["us_name"] for row in data["results"]]


def test_a_date_filter_says_how_many_undated_it_sets_aside_and_how_to_see_them(client, links):
    page = client.get(LIST_URL, {"established_before": "1970"})
    assertContains(page, "2 records whose sources state no date are set aside by the date filter.")
    assertContains(page, '<a href="?established_before=1970&amp;undated=true">Show them too</a>', html=True)
    assert sorted(names(client, established_before="1970", undated="true")) == ["Everett", "Olympia", "Seattle"]
    assert names(client, established_before="1970") == ["Seattle"]


def test_undated_rows_sort_last_in_both_directions(client, links):
    assert names(client, sort="established")[:2] == ["Seattle", "Tacoma"]
    assert names(client, sort="-established")[:2] == ["Tacoma", "Seattle"]
    assert set(names(client, sort="-established")[2:]) == {"Olympia", "Everett"}


def test_the_decade_facet_counts_the_undated_and_can_choose_them(client, links):
    data = client.get(LIST_URL, {"format": "json"}).json()
    decades = {item["value"]: item["count"] for item in data["facets"]["decade"]}
    assert decades == {"1950": 1, "1990": 1, "none": 2}
    assert sorted(names(client, decade="none")) == ["Everett", "Olympia"]
    page = client.get(LIST_URL, {"decade": "none"}).content.decode()
    assert "set aside by the date filter" not in page
