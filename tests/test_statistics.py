"""/statistics/: the network at a glance, drawn on the server, each picture with its numbers in a
table and a CSV, following the lists' filters."""

import csv
import io

import pytest
from django.urls import reverse

from partnerships.models import Relationship, in_regions

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
    page = client.get(URL).content.decode()
    assert page.count('<svg class="bars"') == 3 and page.count('<svg class="choropleth"') == 2
    assert "Ties established per decade" in page and "The most-linked prefectures" in page
    assert "<title>California: " in page and "<title>Hyogo: " in page
    japanese = client.get(URL, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "<title>カリフォルニア州: " in japanese and "<title>兵庫県: " in japanese


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
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert 'lang="ja"' in page and "提携" in page
