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
