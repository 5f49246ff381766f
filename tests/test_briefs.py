"""A place's brief (a state's or prefecture's page): the anniversaries of every tie in it, its own
and its places'; a header for the printed copy; the sources of its ties, not of its place record."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from partnerships.models import DataVersion
from tests.builders import make_jp_city, make_prefecture, make_relationship, make_source, make_state, make_us_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def washington():
    """A Washington-like state: its own tie with Hyogo and its cities' ties, some due this year or next."""
    this_year = timezone.localdate().year
    state, hyogo = make_state(), make_prefecture()
    state.sources.set([make_source(title="GeoNames cities", publisher="GeoNames")])
    kobe = make_jp_city(prefecture=hyogo)
    consulate = make_source(title="Consulate-General of Japan in Seattle: sister cities")

    def tie(us, jp, year, **fields):
        return make_relationship(
            us, jp, established=datetime.date(year, 6, 1), established_precision="day", sources=[consulate], **fields
        )

    return {
        "state": state,
        "own": tie(state, hyogo, this_year - 60, kind="sister_state"),  # 60 years this year
        "seattle": tie(make_us_city("Seattle", state), kobe, this_year - 70),  # 70 years this year
        "tacoma": tie(make_us_city("Tacoma", state), make_jp_city("Kitakyushu", "北九州市"), this_year + 1 - 65),
        "everett": tie(make_us_city("Everett", state), make_jp_city("Iwakuni", "岩国市"), this_year - 37),  # none
    }


def anniversaries_section(html):
    start = html.index('id="anniversaries-heading"')
    return html[start : html.index("</section>", start)]


def test_a_state_brief_shows_the_anniversaries_of_its_cities_ties(client, washington):
    html = client.get(washington["state"].get_absolute_url()).content.decode()
    coming = anniversaries_section(html)
    for name in ("own", "seattle", "tacoma"):
        assert washington[name].get_absolute_url() in coming, name
    assert washington["everett"].get_absolute_url() not in coming
    assert "70 years" in coming and "65 years" in coming and "60 years" in coming
    assert "/anniversaries/?state=WA" in coming  # all of them, on the anniversaries page


def test_a_prefecture_brief_shows_the_anniversaries_of_its_cities_ties(client, washington):
    hyogo = washington["own"].jp_partner
    coming = anniversaries_section(client.get(hyogo.get_absolute_url()).content.decode())
    assert washington["own"].get_absolute_url() in coming
    assert washington["seattle"].get_absolute_url() in coming  # Kobe's, a city in Hyogo


def test_the_printed_brief_carries_the_date_the_data_version_and_the_address(client, washington):
    DataVersion.bump()
    number, changed = DataVersion.current()
    response = client.get("/en/partners/washington/")
    html = response.content.decode()
    start = html.index('class="print-header"')
    header = html[start : html.index("</div>", start)]
    assert f"Data version {number} of {changed:%-d %B %Y}" in header
    assert "http://testserver/en/partners/washington/" in header
    assert f"Printed {timezone.localdate():%-d %B %Y}" in header
    japanese = client.get("/ja/partners/washington/").content.decode()
    assert f"データ版 {number}（{changed.year}年{changed.month}月{changed.day}日）" in japanese


def test_the_print_header_and_no_link_column_are_for_paper_only():
    text = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
    screen, _, printed = text.partition("@media print {")
    assert ".print-header { display: none; }" in screen
    assert ".print-header { display: block;" in printed
    assert "td.details { display: none" in printed.replace("th.details, ", "")


def test_a_brief_cites_its_ties_sources_not_its_place_records(client, washington):
    html = client.get(washington["state"].get_absolute_url()).content.decode()
    sources = html[html.index('id="sources-heading"') :]
    assert "Consulate-General of Japan in Seattle: sister cities" in sources
    assert "4 relationships" in sources
    assert "GeoNames" not in sources
    facts = html[html.index('class="facts"') : html.index("</dl>")]
    assert "Names and codes from" in facts and "GeoNames" in facts
