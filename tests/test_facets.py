import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from partnerships.models import Agreement, Relationship
from partnerships.public.facets import crosses_to_many
from partnerships.public.filters import RelationshipFilter
from tests.builders import (
    make_jp_city,
    make_prefecture,
    make_relationship,
    make_source,
    make_state,
    make_topic,
    make_us_city,
)
from tests.markup import element, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def links():
    washington, oregon = make_state(), make_state(name="Oregon", code="OR", name_ja="オレゴン州")
    hyogo = make_prefecture()
    toyama = make_prefecture(name="Toyama", number="16", name_ja="富山県")
    kobe, toyama_city = make_jp_city(prefecture=hyogo), make_jp_city(name="Toyama", name_ja="富山市", prefecture=toyama)
    energy, culture = make_topic(), make_topic(name="Culture")
    wiki, sister = make_source(), make_source()
    seattle = make_us_city(state=washington)
    tacoma = make_us_city(name="Tacoma", state=washington)
    portland = make_us_city(name="Portland", state=oregon)
    seattle_kobe = make_relationship(
        seattle, kobe, sources=[wiki, sister], established=datetime.date(1957, 10, 1), established_precision="month"
    )
    seattle_kobe.topics.set([energy, culture])
    tacoma_kobe = make_relationship(tacoma, kobe, sources=[wiki])
    tacoma_kobe.topics.set([culture])
    portland_toyama = make_relationship(
        portland, toyama_city, sources=[sister], established=datetime.date(1991, 1, 1), established_precision="year"
    )
    state_link = make_relationship(washington, hyogo, kind=Relationship.Kind.SISTER_STATE, sources=[wiki])
    return locals()


def counts(data):
    filterset = RelationshipFilter(data, queryset=Relationship.objects.all())
    assert filterset.is_valid(), filterset.errors
    return {name: {v["value"]: v["count"] for v in values} for name, values in filterset.facet_counts().items()}


def test_facets_count_every_value_in_the_result(links):
    facets = counts({})
    assert facets["state"] == {"WA": 3, "OR": 1}
    assert facets["prefecture"] == {"28": 3, "16": 1}
    assert facets["kind"] == {"sister_city": 3, "sister_state": 1}
    assert facets["decade"] == {"1950": 1, "1990": 1, "none": 2}  # two without a stated date
    assert facets["corroborated"] == {"true": 1, "false": 3}


def test_a_many_to_many_value_never_counts_a_record_twice(links):
    facets = counts({})
    assert facets["topic"] == {"culture": 2, "clean-energy": 1}
    assert counts({"topic": ["culture", "clean-energy"]})["state"] == {"WA": 2}


def test_only_a_filter_across_a_to_many_relation_is_taken_to_repeat_records(links):
    """A topic filter joins each relationship to its topics, so the facets count its records once
    each (apart, in a sub-query); the other filters never repeat a record, and the facets other than
    the topic's own are then counted in one pass."""

    def chosen(data):
        filterset = RelationshipFilter(data, queryset=Relationship.objects.all())
        assert filterset.is_valid(), filterset.errors
        return filterset

    assert chosen({"topic": ["culture"], "state": ["WA"]}).repeats()
    assert not chosen({"topic": ["culture"], "state": ["WA"]}).repeats("topic")  # the topic's own facet
    everything_else = {"state": ["WA"], "kind": ["sister_city"], "decade": ["1950"], "corroborated": "true"}
    assert not chosen({**everything_else, "established_after": "1900", "partner": "seattle-wa"}).repeats()
    assert crosses_to_many(Relationship, "topics__slug")
    assert crosses_to_many(Agreement, "parties__parent__iso_code")
    assert not crosses_to_many(Relationship, "us_partner__parent__iso_code")
    assert not crosses_to_many(Relationship, "established__year")


def test_a_facets_own_choice_does_not_narrow_its_counts_but_others_do(links):
    facets = counts({"state": ["WA"]})
    assert facets["state"] == {"WA": 3, "OR": 1}  # Oregon can still be added (OR)
    assert facets["prefecture"] == {"28": 3}  # narrowed by the chosen state (AND)


def test_values_within_a_facet_combine_with_or_across_facets_with_and(links):
    both_states = RelationshipFilter({"state": ["WA", "OR"]}, queryset=Relationship.objects.all()).qs
    assert both_states.count() == 4
    narrowed = RelationshipFilter({"state": ["WA", "OR"], "prefecture": ["16"]}, queryset=Relationship.objects.all())
    assert list(narrowed.qs) == [links["portland_toyama"]]


def test_the_json_list_carries_count_results_and_facets(client, links):
    response = client.get(reverse("partnerships:relationship-list"), {"format": "json", "state": "WA"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3
    assert len(data["results"]) == 3
    assert {"value": "WA", "count": 3} in data["facets"]["state"]
    first = next(row for row in data["results"] if row["jp_name_ja"] == "神戸市" and row["established"])
    assert first["established"] == "1957-10-01"
    assert first["established_precision"] == "month"
    assert first["us_region_code"] == "US-WA"
    assert first["corroborated"] is True
    assert data["next"] is None


def test_json_pages_link_to_the_next_page_with_the_same_filters(client, links):
    response = client.get(reverse("partnerships:relationship-list"), {"format": "json", "page_size": 2, "state": "WA"})
    data = response.json()
    assert len(data["results"]) == 2
    assert "state=WA" in data["next"] and "page=2" in data["next"] and "page_size=2" in data["next"]
    second = client.get(data["next"]).json()
    assert len(second["results"]) == 1


@pytest.mark.parametrize("params", [{"page_size": "100000"}, {"page_size": "x"}, {"state": "ZZ"}])
def test_bad_json_requests_get_a_400_with_the_reason(client, links, params):
    response = client.get(reverse("partnerships:relationship-list"), {"format": "json", **params})
    assert response.status_code == 400
    assert response.json()["errors"]


def test_a_chosen_value_can_be_removed_in_one_click(client, links):
    page = client.get(reverse("partnerships:relationship-list"), {"state": ["WA", "OR"], "q": "o"})
    assert text(element(page, "a", href="?state=OR&q=o")) == "US state: Washington × (remove)"
    assert text(element(page, "a", href="?state=WA&state=OR")) == "Search: o × (remove)"


def test_facet_values_show_their_counts_on_the_page(client, links):
    response = client.get(reverse("partnerships:relationship-list"))
    assertContains(response, '<label for="f-state-WA">Washington <span class="count">3</span></label>', html=True)


def test_every_list_offers_facets(client, links):
    for name in ["partner-list", "agreement-list", "program-list"]:
        response = client.get(reverse(f"partnerships:{name}"), {"format": "json"})
        assert response.status_code == 200
        assert response.json()["facets"], name
