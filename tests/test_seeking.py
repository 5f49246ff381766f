"""Places seeking a partner (CLAIR's list): "which Japanese towns are looking for an American
partner?" is one filter, each place cites the page, and its own page says so."""

import pytest
from django.urls import reverse

from partnerships.models import PartnerSeeking

pytestmark = pytest.mark.django_db
URL = reverse("partnerships:seeking")


@pytest.fixture(autouse=True)
def real_data(bundled_data):
    """The bundled data (see conftest.py): the places CLAIR lists."""


def test_every_place_on_the_list_is_there_citing_the_page(client):
    data = client.get(URL, {"format": "json"}).json()
    assert data["count"] == PartnerSeeking.objects.count() == 4
    assert {row["name_ja"] for row in data["results"]} == {"五霞町", "ひたちなか市", "座間味村"}
    for row in data["results"]:
        assert row["source_url"].endswith("clair.or.jp/j/exchange/shimai/kibou-j.html")
        assert row["countries"]


def test_those_seeking_an_american_partner_are_one_filter_away(client):
    data = client.get(URL, {"wants": "us", "format": "json"}).json()
    # 五霞町 asks for North America, which includes the United States.
    assert sorted(row["name_ja"] for row in data["results"]) == ["ひたちなか市", "五霞町", "座間味村"]
    page = client.get(URL, {"wants": "us"}).content.decode()
    assert "マサチューセッツ州ボストン" in page and "the United States" in page


def test_figures_are_as_stated_with_their_date(client):
    page = client.get(URL, {"prefecture": "08"}).content.decode()
    assert "population 7,834" in page and "23.11 km²" in page and "as of 2025-06" in page


def test_the_places_own_page_says_it_seeks_a_partner(client):
    page = client.get(reverse("partnerships:partner-detail", args=["zamami-okinawa"])).content.decode()
    assert "Seeking a partner" in page and "アメリカ合衆国" in page


def test_a_bad_filter_is_a_400(client):
    assert client.get(URL, {"wants": "mars"}).status_code == 400


def test_a_wish_for_north_america_includes_the_united_states(client):
    """A US city looking for a partner finds the places that ask for North America or for
    English-speaking countries, not only those that name the United States."""
    asked_for_us = set(PartnerSeeking.objects.filter(wants__contains="|us|").values_list("partner__name_ja", flat=True))
    found = set(PartnerSeeking.objects.wanting("us").values_list("partner__name_ja", flat=True))
    assert asked_for_us < found and "五霞町" in found - asked_for_us
    assert "五霞町" in client.get("/ja/seeking/?wants=us").content.decode()
