"""The reviewer's desk: what waits is counted on the admin's home page, the queue filters by the
directory's own kinds of record, a new source shows its title and address, and a reader's report
names the record it is about (on the public form too, in the reader's language)."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from partnerships.models import ChangeRequest, Report
from partnerships.staff.roles import EDITORS, REVIEWERS
from tests.builders import make_account, make_jp_city, make_relationship, make_us_city
from tests.markup import element, elements, parse, text

pytestmark = pytest.mark.django_db
HOME = "/admin/"


@pytest.fixture
def link(db):
    return make_relationship(make_us_city(name_ja="シアトル"), make_jp_city())


@pytest.fixture
def people(db):
    return {
        "editor": make_account(EDITORS, "sato"),
        "other": make_account(EDITORS, "ito"),
        "reviewer": make_account(REVIEWERS, "kato"),
    }


def propose(link, author, notes):
    return ChangeRequest.propose(link, {"notes": notes}, author, "From the city's page", based_on=link.version)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_home_counts_what_waits_and_links_to_it(link, people):
    propose(link, people["editor"], "First")
    propose(link, people["other"], "Second")
    Report.objects.create(about=link.get_absolute_url(), what="Wrong date")
    Report.objects.create(about="", what="Old one", status=Report.Status.DISMISSED)
    desk = signed_in(people["reviewer"]).get(HOME)
    queue = reverse("admin:partnerships_changerequest_changelist") + "?status__exact=pending"
    reports = reverse("admin:partnerships_report_changelist") + "?status__exact=new"
    assertContains(desk, f'<a href="{queue}">Changes waiting for review: <strong>2</strong></a>', html=True)
    assertContains(desk, f'<a href="{reports}">New reports from readers: <strong>1</strong></a>', html=True)
    # An editor's desk counts only their own submissions.
    assertContains(signed_in(people["editor"]).get(HOME), "Changes waiting for review: <strong>1</strong>", html=True)


def test_the_desk_is_in_japanese_for_a_japanese_reader(link, people):
    propose(link, people["editor"], "First")
    page = signed_in(people["reviewer"]).get(HOME, HTTP_ACCEPT_LANGUAGE="ja")
    assert "確認待ちの変更" in page.content.decode()


def test_the_queue_filters_by_the_directorys_own_kinds_of_record(link, people):
    propose(link, people["editor"], "First")
    reviewer = signed_in(people["reviewer"])
    queue = reviewer.get(reverse("admin:partnerships_changerequest_changelist"))
    choices = [text(choice) for choice in elements(element(queue, "*", id="changelist-filter"), "a")]
    assert "Relationship" in choices and "Partner" in choices
    for internal in ("session", "permission", "access attempt", "content type", "log entry"):
        assert not [choice for choice in choices if internal in choice.lower()], internal
    relationship = next(
        key for key, label in queue.context["cl"].filter_specs[1].lookup_choices if label == "Relationship"
    )
    shown = reviewer.get(reverse("admin:partnerships_changerequest_changelist") + f"?kind={relationship}")
    assert shown.context["cl"].result_count == 1
    # A kind that is not one of the choices filters nothing and breaks nothing.
    assert reviewer.get(reverse("admin:partnerships_changerequest_changelist") + "?kind=abc").status_code in (200, 302)


def test_a_proposed_new_source_shows_its_title_and_address(link, people):
    proposal = ChangeRequest.propose(
        link,
        {"notes": "Signed again"},
        people["editor"],
        "Renewal",
        new_sources=[{"url": "https://www.city.kobe.lg.jp/sister.html", "title": "Kobe's sister cities"}],
        based_on=link.version,
    )
    page = signed_in(people["reviewer"]).get(reverse("admin:partnerships_changerequest_review", args=[proposal.pk]))
    assertContains(page, "Kobe&#x27;s sister cities — https://www.city.kobe.lg.jp/sister.html")


def test_a_report_names_the_record_it_is_about(client, link, people):
    Report.objects.create(about=f"/ja/relationships/{link.pk}/", what="Wrong date")
    Report.objects.create(about="/en/relationships/999999/", what="A removed one")
    queue = signed_in(people["reviewer"]).get(reverse("admin:partnerships_report_changelist"))
    assertContains(queue, f'<a href="/ja/relationships/{link.pk}/">{link}</a>', html=True)
    assertContains(queue, '<a href="/en/relationships/999999/">/en/relationships/999999/</a>', html=True)
    form = client.get(f"/ja/report/?about=/ja/relationships/{link.pk}/")
    assertContains(form, "シアトル")  # the record by its Japanese names, not its address
    assert f"/ja/relationships/{link.pk}/" not in text(parse(form))
    english = client.get(f"/en/report/?about=/en/relationships/{link.pk}/")
    assertContains(english, "Seattle")
