"""The wider network of the policy paper: Japan-America Societies, state offices in Japan and
Japanese offices in the US, as partners placed and sourced, and on every place's page."""

import csv
import io

import pytest

from partnerships.models import Partner
from tests.markup import elements

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def real_data(bundled_data):
    """The bundled data (see conftest.py)."""


def network(kind):
    return Partner.objects.filter(kind=kind).prefetch_related("sources")


def test_thirty_societies_and_fifteen_state_offices_each_sourced_and_placed():
    societies = [p for p in network(Partner.Kind.SOCIETY) if p.parent_id and p.sources.all()]
    us_societies = [p for p in societies if p.country == "US"]
    state_offices = [
        p
        for p in network(Partner.Kind.GOVERNMENT_OFFICE)
        if p.country == "JP" and p.represents and p.represents.kind == Partner.Kind.US_STATE and p.sources.all()
    ]
    assert len(us_societies) >= 30
    assert len({p.represents_id for p in state_offices if not p.closed}) >= 15
    for org in network(Partner.Kind.SOCIETY) | network(Partner.Kind.GOVERNMENT_OFFICE):
        assert org.sources.exists(), org


def test_an_office_is_based_in_one_country_and_works_for_a_place_in_the_other():
    hyogo_office = Partner.objects.get(slug="hyogo-business-cultural-center")
    assert (hyogo_office.parent.slug, hyogo_office.locality, hyogo_office.founded) == ("washington", "Seattle", 1990)
    assert hyogo_office.represents.slug == "hyogo-prefecture"
    for office in Partner.objects.filter(kind=Partner.Kind.GOVERNMENT_OFFICE, represents__isnull=False):
        assert office.country != office.represents.country, office


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize(
    "slug,shows",
    [
        ("ohio", ["Japan America Society of Central Ohio", "State of Ohio Tokyo Trade Office", "Columbus"]),
        ("washington", ["Japan-America Society of the State of Washington", "Hyogo Business &amp; Cultural Center"]),
        ("hyogo-prefecture", ["Kobe Japan-America Society", "Hyogo Business &amp; Cultural Center"]),
    ],
)
def test_a_place_page_shows_every_kind_of_tie_in_one_place(client, slug, shows, lang):
    place = Partner.objects.get(slug=slug)
    html = client.get(place.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    for id_ in (
        "relationships-heading",
        "network-heading",
        "offices-heading",
        "agreements-heading",
        "programs-heading",
    ):
        assert elements(html, "section", aria_labelledby=id_) and elements(html, "*", id=id_)
    for text in shows:
        assert text in html or Partner.objects.get(name=text.replace("&amp;", "&")).name_ja in html
    assert "data-print" in html


def test_the_partner_list_filters_by_the_place_an_office_works_for_and_exports_it(client):
    response = client.get("/partners/", {"represents": "JP-28", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {row["name"] for row in rows} >= {"Hyogo Business & Cultural Center", "Kobe Trade Information Office (KTIO)"}
    assert {row["represents_name"] for row in rows} <= {"Hyogo", "Kobe"}
    facets = client.get("/partners/", {"kind": "government_office", "format": "json"}).json()["facets"]
    assert {"value": "US-OH", "count": 1} in facets["represents"]


def test_a_bad_represents_value_is_refused(client):
    assert client.get("/partners/", {"represents": "US-XX"}).status_code == 400
