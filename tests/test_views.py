import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from partnerships.models import Relationship
from tests.builders import (
    make_agreement,
    make_jp_city,
    make_prefecture,
    make_program,
    make_relationship,
    make_state,
    make_topic,
    make_us_city,
)
from tests.markup import elements

pytestmark = pytest.mark.django_db


@pytest.fixture
def seattle_kobe():
    link = make_relationship(established=datetime.date(1957, 10, 1), established_precision="month")
    topic = make_topic()
    make_agreement(
        parties=[link.us_partner.parent, link.jp_partner.parent], topics=[topic], title="Washington–Hyogo MOU"
    )
    make_program(
        participants=[(link.us_partner, "host")], topics=[topic], name="Seattle meetups", slug="seattle-meetups"
    )
    return link


LIST_PAGES = [
    "partnerships:partner-list",
    "partnerships:relationship-list",
    "partnerships:agreement-list",
    "partnerships:program-list",
]


@pytest.mark.parametrize("name", ["partnerships:home", "partnerships:about", *LIST_PAGES])
def test_public_pages_render(client, seattle_kobe, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert elements(response, "main", id="main")


def test_relationship_list_shows_both_sides_in_both_languages(client, seattle_kobe):
    response = client.get(reverse("partnerships:relationship-list"))
    html = response.content.decode()
    assert "Seattle" in html and "Kobe" in html
    assertInHTML('<span class="ja" lang="ja">神戸市</span>', html)
    assert "October 1957" in html
    assert "1 relationship found" in html


def test_relationship_detail_links_both_partners_and_sources(client, seattle_kobe):
    response = client.get(seattle_kobe.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert seattle_kobe.us_partner.get_absolute_url() in html
    assert seattle_kobe.jp_partner.get_absolute_url() in html
    assert seattle_kobe.sources.get().url in html


def test_partner_detail_links_back_to_its_relationships(client, seattle_kobe):
    response = client.get(seattle_kobe.jp_partner.get_absolute_url())
    html = response.content.decode()
    assert seattle_kobe.get_absolute_url() in html
    assert "神戸市" in html


def test_state_page_lists_the_relationships_of_its_cities(client, seattle_kobe):
    response = client.get(seattle_kobe.us_partner.parent.get_absolute_url())
    html = response.content.decode()
    assert "Relationships of places in Washington" in html
    assert seattle_kobe.get_absolute_url() in html
    assert "Washington–Hyogo MOU" in html


def test_agreement_and_program_details(client, seattle_kobe):
    agreement = seattle_kobe.us_partner.parent.agreements.get()
    response = client.get(agreement.get_absolute_url())
    assert response.status_code == 200
    assert seattle_kobe.jp_partner.parent.get_absolute_url() in response.content.decode()
    response = client.get(reverse("partnerships:program-detail", args=["seattle-meetups"]))
    assert seattle_kobe.us_partner.get_absolute_url() in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/partners/no-such-place/",
        "/relationships/999999/",
        "/agreements/nothing/",
        "/programs/nothing/",
        "/relationships/abc/",
        "/nowhere/",
    ],
)
def test_unknown_records_are_404_with_a_way_back(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert b"We could not find that page" in response.content


@pytest.mark.parametrize("name", LIST_PAGES)
@pytest.mark.parametrize("page", ["abc", "999", "-1", "0", "1.5", "%00", "9" * 40])
def test_a_bad_page_number_shows_a_real_page(client, seattle_kobe, name, page):
    response = client.get(reverse(name), {"page": page})
    assert response.status_code == 200
    assert b"That page does not exist" in response.content


@pytest.mark.parametrize(
    "params",
    [
        {"state": "ZZ"},
        {"prefecture": "99"},
        {"kind": "castle"},
        {"established_after": "abc"},
        {"established_before": "99999"},
        {"sort": "password"},
        {"corroborated": "maybe"},
        {"q": "x" * 500},
        {"topic": "no-such-topic"},
    ],
)
def test_malformed_filters_explain_themselves_and_list_nothing(client, seattle_kobe, params):
    response = client.get(reverse("partnerships:relationship-list"), params)
    assertContains(response, "could not be understood", status_code=400)
    assertNotContains(response, seattle_kobe.get_absolute_url(), status_code=400)


def test_unknown_parameters_are_ignored(client, seattle_kobe):
    """They lead to the same page without them (partnerships/platform/caching.py), which lists as before."""
    url = reverse("partnerships:relationship-list")
    response = client.get(url, {"colour": "blue", "kind": "sister_city", "utm_source": "mail"}, follow=True)
    assert response.redirect_chain == [(f"{url}?kind=sister_city", 301)]
    assert response.status_code == 200
    assert seattle_kobe.get_absolute_url() in response.content.decode()


def test_a_nul_byte_in_the_query_is_not_a_server_error(client, seattle_kobe):
    response = client.get("/partners/?q=ko%00be")
    assert response.status_code in (200, 400)


def test_pagination_links_keep_the_filters(client, settings):
    hyogo = make_prefecture()
    washington = make_state()
    kobe = make_jp_city(prefecture=hyogo)
    for n in range(60):
        make_relationship(make_us_city(name=f"Town {n}", state=washington), kobe)
    response = client.get(reverse("partnerships:relationship-list"), {"state": "WA", "q": "town"})
    html = response.content.decode()
    assert "60 relationships found" in html
    assert elements(html, "a", href="?state=WA&q=town&page=2", rel="next")


def test_filter_form_keeps_the_chosen_values(client, seattle_kobe):
    response = client.get(reverse("partnerships:relationship-list"), {"state": "WA", "q": "kobe"})
    assert elements(response, "input", name="q", value="kobe")
    assert elements(response, "input", type="checkbox", name="state", value="WA", id="f-state-WA", checked=True)


def add_linked_records(numbers, washington, kobe, topic):
    for n in numbers:
        city = make_us_city(name=f"Town {n}", state=washington)
        make_relationship(city, kobe).topics.set([topic])
        make_agreement(parties=[city, kobe], topics=[topic])
        make_program(participants=[(city, "lead"), (kobe, "member")], topics=[topic])


@pytest.mark.parametrize("name", LIST_PAGES)
@pytest.mark.parametrize("params", [{}, {"q": "o", "state": "WA", "topic": "clean-energy"}, {"format": "json"}])
def test_list_pages_run_a_fixed_number_of_queries(client, django_assert_max_num_queries, name, params):
    hyogo, washington = make_prefecture(), make_state()
    kobe = make_jp_city(prefecture=hyogo)
    topic = make_topic()
    add_linked_records(range(3), washington, kobe, topic)
    # (A list without a topic filter leads to itself without `topic`.)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(name), params, follow=True).status_code == 200
    add_linked_records(range(3, 43), washington, kobe, topic)
    with django_assert_max_num_queries(20), CaptureQueriesContext(connection) as many:
        assert client.get(reverse(name), params, follow=True).status_code == 200
    assert len(many) == len(few)


def test_detail_pages_run_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    hyogo, washington = make_prefecture(), make_state()
    kobe = make_jp_city(prefecture=hyogo)
    for n in range(20):
        make_relationship(make_us_city(name=f"Town {n}", state=washington), kobe)
    with django_assert_max_num_queries(16):  # a place's brief also cites its ties' sources
        assert client.get(kobe.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(washington.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(Relationship.objects.first().get_absolute_url()).status_code == 200


def test_robots_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert b"Disallow: /admin/" in response.content


def test_pages_carry_a_skip_link_and_language(client):
    page = client.get("/")
    assert elements(page, "html", lang="en")
    assert elements(page, "a", href="#main")
