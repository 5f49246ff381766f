"""The bundled data as `make run` serves it: the paper's records are there and findable."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from partnerships.models import Agreement, Partner, Program, Relationship, Source

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def real_data(bundled_data):
    """The bundled data, loaded once for the module (see conftest.py)."""


PAPER = "eastwestcenter-subnational-diplomacy"


def test_every_paper_record_cites_the_paper_or_a_page():
    paper = Source.objects.get(slug=PAPER)
    assert paper.kind == Source.Kind.PUBLICATION
    for record in [*Agreement.objects.all(), *Program.objects.all()]:
        assert record.sources.exists(), record
    assert Program.objects.filter(sources=paper).count() >= 10


@pytest.mark.parametrize(
    "list_name,query,expected",
    [
        ("partnerships:program-list", "Hawaii-Okinawa", "Hawaii-Okinawa Clean Energy Partnership"),
        ("partnerships:program-list", "I2CNER", "International Institute for Carbon-Neutral Energy Research"),
        ("partnerships:program-list", "Seattle-Japan AI-IT", "Seattle-Japan AI-IT Meetups"),
        ("partnerships:program-list", "Agricultural Training", "Japanese Agricultural Training Program"),
        ("partnerships:program-list", "workation", "Workation facilities"),
        ("partnerships:program-list", "accelerators", "accelerators and prize competitions"),
        ("partnerships:program-list", "dislocated workers", "community innovation and entrepreneurship networks"),
        ("partnerships:program-list", "Yubari", "Shrinking cities"),
        ("partnerships:program-list", "Yokkaichi", "Environmental technology transfer"),
        ("partnerships:program-list", "electric vehicle", "Electric vehicle demonstration project in California"),
        ("partnerships:program-list", "cross-laminated timber", "cross-laminated timber (2021)"),
        ("partnerships:agreement-list", "Maryland", "the Government of Japan and the State of Maryland"),
        ("partnerships:agreement-list", "California", "the Government of Japan and the State of California"),
        ("partnerships:agreement-list", "Washington", "the Government of Japan and the State of Washington"),
        ("partnerships:agreement-list", "沖縄", "Hawaii-Okinawa Partnership on Clean Energy"),
        ("partnerships:partner-list", "Japan-America Society", "National Association of Japan-America Societies"),
        ("partnerships:partner-list", "Kyushu", "Kyushu University"),
        ("partnerships:partner-list", "Consulate", "Consulate-General of Japan in Seattle"),
        ("partnerships:partner-list", "Department of Commerce", "Washington State Department of Commerce"),
        ("partnerships:relationship-list", "神戸", "Seattle"),
    ],
)
def test_the_papers_records_are_found_through_each_lists_search(client, list_name, query, expected):
    response = client.get(reverse(list_name), {"q": query})
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_the_papers_memoranda_carry_their_signing_dates_and_renewals():
    washington = Agreement.objects.get(slug="japan-washington-memorandum-of-cooperation")
    assert (washington.signed.isoformat(), washington.signed_precision) == ("2016-06-28", "day")
    assert washington.renewals.get().signed.year == 2018
    assert washington.sources.filter(slug="eastwestcenter-subnational-diplomacy").exists()
    assert Agreement.objects.get(slug="japan-maryland-memorandum-of-cooperation").signed.isoformat() == "2016-08-24"


def test_hawaii_okinawa_memoranda_form_a_renewal_chain():
    latest = Agreement.objects.get(slug="hawaii-okinawa-clean-energy-moc-2025")
    chain = []
    while latest:
        chain.append(latest.signed.year)
        latest = latest.renews
    assert chain == [2025, 2021, 2015, 2010]


def test_the_about_page_gives_the_papers_figures_and_credits_the_sources(client):
    html = client.get(reverse("partnerships:about")).content.decode()
    for figure in ["860,000", "700,000", "$477 billion", "1,800", "450"]:
        assert figure in html
    assert "Modeling New Frontiers in Subnational Diplomacy" in html
    assert "CC BY-SA 4.0" in html
    datasets = Source.objects.filter(kind=Source.Kind.DATASET)
    assert datasets.exists()
    for dataset in datasets:
        assert dataset.title in html


def test_home_counts_what_is_loaded(client):
    response = client.get(reverse("partnerships:home"))
    assertContains(response, f"<strong>{Relationship.objects.count()}</strong>", html=True)


def test_a_partner_page_with_many_links_renders(client):
    california = Partner.objects.get(slug="california")
    response = client.get(california.get_absolute_url())
    assert response.status_code == 200
    assert "Relationships of places in California" in response.content.decode()


def test_search_text_is_derived_for_loaded_partners():
    assert not Partner.objects.filter(search_text="").exists()


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_bundled_calendar_names_both_regions_and_keeps_unknown_days_off_new_years_day(client, language):
    response = client.get(f"/{language}/anniversaries.ics", {"year": "2027"})
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) > 50
    links = Relationship.objects.select_related("us_partner__parent", "jp_partner__parent").in_bulk(
        [int(str(event["url"]).rstrip("/").rsplit("/", 1)[1]) for event in events]
    )
    for event in events:
        link = links[int(str(event["url"]).rstrip("/").rsplit("/", 1)[1])]
        summary, start, end = str(event["summary"]), event.decoded("dtstart"), event.decoded("dtend")
        for partner in (link.us_partner, link.jp_partner):
            region = partner.parent if partner.kind not in Partner.REGION_KINDS else partner
            wanted = region.name_ja if language == "ja" and region.name_ja else region.name
            assert wanted in summary, (summary, wanted)
            if language == "ja" and partner.name_ja:
                assert partner.name_ja in summary, summary
        if (start.month, start.day) == (1, 1) and end - start == datetime.timedelta(days=1):
            assert link.established_precision == "day" and (link.established.month, link.established.day) == (1, 1)
