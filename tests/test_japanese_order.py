"""Japanese readers meet Japanese order and names: prefectures north to south (JIS X 0401) in every
facet, and the admin finds and shows places by their Japanese names and readings."""

import re

import pytest
from django.test import Client

from partnerships.staff.roles import REVIEWERS
from tests.builders import make_account

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/ja/relationships/", "/en/relationships/", "/ja/partners/", "/ja/seeking/"])
def test_the_prefecture_facet_runs_north_to_south(client, bundled_data, path):
    page = client.get(path).content.decode()
    codes = re.findall(r'<input type="checkbox" name="prefecture" value="(\d\d)"', page)
    assert len(codes) >= 2 and codes == sorted(codes)


def test_hyogo_is_in_its_place_not_by_count(client, bundled_data):
    page = client.get("/ja/relationships/").content.decode()
    codes = re.findall(r'<input type="checkbox" name="prefecture" value="(\d\d)"', page)
    assert codes.index("28") > codes.index("13")  # 兵庫県 after 東京都, whatever their counts


@pytest.mark.parametrize("term", ["大槌", "おおつち", "Otsuchi"])
def test_the_admin_finds_a_place_by_its_japanese_name_or_reading_and_shows_it_in_japanese(bundled_data, term):
    staff = Client()
    staff.force_login(make_account(REVIEWERS, f"reviewer-{len(term)}"))
    answer = staff.get(
        "/admin/autocomplete/",
        {"app_label": "partnerships", "model_name": "relationship", "field_name": "jp_partner", "term": term},
        HTTP_ACCEPT_LANGUAGE="ja",
    ).json()
    assert "大槌町（岩手県）" in [item["text"] for item in answer["results"]]


def test_japanese_lists_are_in_reading_order_and_english_ones_in_a_to_z(client, bundled_data):
    """/ja/relationships/ files the US partners by their Japanese reading (エイドリアン市 among the
    ア), not by the hidden English name; /en/ keeps A to Z; a chosen sort is kept in both."""
    japanese = client.get("/ja/relationships/?page_size=200").context["page_obj"].object_list
    readings = [link.us_reading for link in japanese]
    assert readings == sorted(readings) and readings[0].startswith("あ")
    english = client.get("/en/relationships/?page_size=200").context["page_obj"].object_list
    names = [link.us_name for link in english]
    assert names == sorted(names) and names[0].startswith("A")
    chosen = client.get("/ja/relationships/?sort=-established").context["page_obj"].object_list
    dates = [link.established for link in chosen if link.established]
    assert dates == sorted(dates, reverse=True)
    partners = [p.reading for p in client.get("/ja/partners/").context["page_obj"].object_list]
    assert partners == sorted(partners)


def test_a_japanese_reading_is_hiragana_whichever_script_the_name_is_in():
    from partnerships.rules.names import reading  # noqa: PLC0415

    assert reading("Seattle", "シアトル") == "しあとる"
    assert reading("Otsuchi", "大槌町", "おおつちちょう") == "おおつちちょう"
    assert reading("Japan-America Society") == "Japan-America Society"
