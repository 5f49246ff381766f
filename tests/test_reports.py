"""Readers report an error or a missing tie: the report waits for the reviewers, never public."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from partnerships.models import Report
from partnerships.staff.roles import EDITORS
from tests.builders import make_account, make_jp_city, make_relationship, make_us_city
from tests.markup import element, elements

pytestmark = pytest.mark.django_db
URL = "/report/"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()  # the rate limit counts in the cache
    yield
    cache.clear()


@pytest.fixture
def link(db):
    return make_relationship(make_us_city(), make_jp_city())


def report(client, **fields):
    data = {"what": "The tie was signed in 1957, not 1959.", "source_url": "https://www.city.kobe.lg.jp/sister.html"}
    return client.post(URL, {**data, **fields}, REMOTE_ADDR=fields.pop("address", "203.0.113.7"))


def test_every_record_page_links_to_the_form_with_the_page_it_is_about(client, link):
    page = client.get(link.get_absolute_url())
    assert elements(page, "a", href=f"/en/report/?about=/en/relationships/{link.pk}/")
    form = element(client.get(f"{URL}?about=/en/relationships/{link.pk}/"), "form", method="post")
    assert elements(form, "input", name="about", value=f"/en/relationships/{link.pk}/")
    assert elements(form, "input", name="csrfmiddlewaretoken")


def test_an_anonymous_report_reaches_the_review_queue_and_nothing_public(client, link):
    response = report(client, about=f"/relationships/{link.pk}/", email="reader@example.org")  # a bare link too
    assert response.status_code == 302 and response["Location"].endswith("?sent=1")
    saved = Report.objects.get()
    assert (saved.about, saved.status, saved.email) == (f"/relationships/{link.pk}/", "new", "reader@example.org")
    assert "1957, not 1959" not in client.get(link.get_absolute_url()).content.decode()
    assert "1957, not 1959" not in client.get("/changes/").content.decode()
    staff = Client()
    staff.force_login(make_account(EDITORS, "tanaka"))
    queue = staff.get(reverse("admin:partnerships_report_changelist")).content.decode()
    assert "The tie was signed in 1957" in queue


def test_the_eleventh_report_in_a_minute_from_one_address_is_refused_with_a_message(client, link):
    for _ in range(10):
        assert report(client).status_code == 302
    refused = report(client)
    assert refused.status_code == 429
    assert "Too many reports have come from your address" in refused.content.decode()
    assert Report.objects.count() == 10
    assert report(client, address="198.51.100.20").status_code == 302  # another reader is not held up


def test_bad_input_gets_a_message_and_saves_nothing(client):
    for fields in ({"what": ""}, {"what": "x" * 2001}, {"source_url": "not a page"}, {"email": "nobody"}):
        response = report(client, **fields)
        assert response.status_code == 400
        assert "The report could not be sent" in response.content.decode()
    assert not Report.objects.exists()


def test_a_filled_honeypot_is_thanked_and_dropped(client):
    response = report(client, website="https://spam.example")
    assert response.status_code == 302
    assert not Report.objects.exists()


def test_only_a_page_of_the_directory_is_kept_as_what_the_report_is_about(client):
    report(client, about="https://evil.example/")
    report(client, about="/no-such-page/")
    assert set(Report.objects.values_list("about", flat=True)) == {""}


def test_the_form_needs_its_csrf_token():
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(URL, {"what": "x"}).status_code == 403
    assert not Report.objects.exists()
