"""/statistics/: the network at a glance, drawn on the server, each picture with its numbers in a
table and a CSV, following the lists' filters."""

import csv
import io

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from partnerships.models import Relationship, in_regions
from tests.markup import elements, text

pytestmark = pytest.mark.django_db
URL = reverse("partnerships:statistics")


@pytest.fixture(autouse=True)
def real_data(bundled_data):
    """The bundled data (see conftest.py)."""


def table_csv(client, **query):
    response = client.get(URL, {"format": "csv", **query})
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_four_pictures_and_their_tables(client):
    page = client.get(URL)
    assert len(elements(page, "svg", class_="bars")) == 3 and len(elements(page, "svg", class_="choropleth")) == 2
    assertContains(page, "Ties established per decade")
    assertContains(page, "The most-linked prefectures")
    assert {"California", "Hyogo"} <= places_shaded(page)
    assert {"カリフォルニア州", "兵庫県"} <= places_shaded(client.get(URL, HTTP_ACCEPT_LANGUAGE="ja"))


def places_shaded(page):
    """The places the maps shade, by the name each shape's tooltip (<title>) gives: "Hyogo: 123"."""
    maps = elements(page, "svg", class_="choropleth")
    return {text(title).rpartition(": ")[0] for svg in maps for title in elements(svg, "title")}


def test_the_numbers_add_up_and_follow_the_filters(client):
    decades = table_csv(client, chart="decades")
    assert decades[0] == ["decade", "kind", "relationships"]
    assert sum(int(row[2]) for row in decades[1:]) == Relationship.objects.count()
    washington = table_csv(client, chart="prefectures", state="WA")
    expected = Relationship.objects.filter(in_regions(["US-WA"], "us_partner__")).count()
    assert sum(int(row[3]) for row in washington[1:]) == expected


def test_a_chart_name_that_is_not_one_is_a_400(client):
    assert client.get(URL, {"format": "csv", "chart": "pie"}).status_code == 400


def test_it_is_in_japanese_for_a_japanese_reader(client):
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="ja")
    assert elements(page, "html", lang="ja")
    assertContains(page, "提携")
