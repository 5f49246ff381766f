"""/changes/: pages of published changes, each drawn from the differences stored with its history
versions, in the same few queries however many changes there are."""

import datetime
import importlib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains

from partnerships.models import Partner, Relationship
from tests.builders import make_jp_city, make_prefecture, make_relationship, make_state, make_us_city
from tests.markup import elements

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    state, prefecture = make_state(), make_prefecture()
    return {
        "seattle": make_us_city("Seattle", state),
        "tacoma": make_us_city("Tacoma", state),
        "kobe": make_jp_city("Kobe", prefecture=prefecture),
        "himeji": make_jp_city("Himeji", "姫路市", prefecture=prefecture),
    }


def edit(link, reason, **values):
    for name, value in values.items():
        setattr(link, name, value)
    link._change_reason = reason
    link.save()


def make_changes(places, count, start=0):
    """`count` published changes, each a relationship whose Japanese partner and date change."""
    for n in range(start, start + count):
        us = make_us_city(f"Town {n}", places["seattle"].parent)
        link = make_relationship(us, places["kobe"])
        edit(
            link,
            f"Edit {n}",
            jp_partner=places["himeji"],
            established=datetime.date(1960, 1, 1),
            established_precision="year",
        )


def entries_on(page):
    """The entries of the page's list, newest first: people's changes and the bundled data's releases."""
    listed = elements(page, "ol", class_="changes")
    return [entry for ol in listed for entry in ol.children if getattr(entry, "name", None) == "li"]


def kinds_on(page):
    """What each entry is, by the anchor it is linked by: "change" or "release"."""
    return [dict(entry.attributes)["id"].partition("-")[0] for entry in entries_on(page)]


def changes_on(page):
    return [entry for entry in entries_on(page) if dict(entry.attributes)["id"].startswith("change-")]


def was(value, hidden="was"):
    """A value as the change log strikes it out, said to a screen reader as "was …"."""
    return f'<del><span class="visually-hidden">{hidden} </span>{value}</del>'


def now(value, hidden="now"):
    return f'<ins><span class="visually-hidden">{hidden} </span>{value}</ins>'


def queries_for(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_a_change_keeps_its_fields_old_and_new_values(places):
    link = make_relationship(places["seattle"], places["kobe"])
    edit(
        link,
        "Council page",
        jp_partner=places["himeji"],
        established=datetime.date(1957, 10, 1),
        established_precision="month",
    )
    version = link.history.order_by("-history_id").first()
    assert version.history_type == "~"
    assert {entry["field"]: (entry["old"], entry["new"]) for entry in version.change_fields} == {
        "jp_partner": (places["kobe"].pk, places["himeji"].pk),
        "established": (None, "1957-10-01"),
        "established_precision": ("", "month"),
    }
    assert link.history.order_by("history_id").first().change_fields is None  # an addition changes no field


def test_the_page_shows_each_change_with_the_names_it_points_to(client, places):
    link = make_relationship(places["seattle"], places["kobe"])
    edit(
        link,
        "Council page of 3 May",
        jp_partner=places["himeji"],
        established=datetime.date(1957, 10, 1),
        established_precision="month",
    )
    page = client.get("/en/changes/")
    assertContains(page, "Council page of 3 May")
    assertContains(page, was("Kobe, Hyogo"), html=True)
    assertContains(page, now("Himeji, Hyogo"), html=True)
    assertContains(page, now("1957-10-01"), html=True)
    assertContains(page, now("month"), html=True)
    japanese = client.get("/ja/changes/")
    assertContains(japanese, now("月", hidden="変更後"), html=True)  # the precision's label in the reader's language


def test_a_page_costs_the_same_queries_for_few_changes_or_many(client, places):
    make_changes(places, 3)
    few = queries_for(client, "/en/changes/")
    make_changes(places, 120, start=3)
    many = queries_for(client, "/en/changes/")
    assert many == few <= 8
    assert queries_for(client, "/en/changes/?page=3") <= 8


def test_changes_come_fifty_a_page_with_links_between_pages(client, places):
    make_changes(places, 30)  # 6 places, 30 towns and 30 relationships added, 30 changed: 96 versions
    first = client.get("/en/changes/").content.decode()
    assert len(changes_on(first)) == 50
    assert elements(first, "a", href="?page=2", rel="next") and "Page 1 of 2" in first
    second = client.get("/en/changes/?page=2").content.decode()
    assert len(changes_on(second)) == 46 and elements(second, "a", href="?page=1", rel="prev")
    assert "Edit 29" in first and "Edit 0" in second  # newest first


@pytest.mark.parametrize("requested", ["999", "abc", "0", "-1", "99999999999999999999999"])
def test_a_page_number_that_does_not_exist_shows_a_real_page_which_is_not_kept(client, places, requested):
    make_changes(places, 30)
    response = client.get(f"/en/changes/?page={requested}")
    assert response.status_code == 200
    assert "That page does not exist" in response.content.decode()
    assert "X-Cache" not in response
    assert client.get("/en/changes/?page=2")["X-Cache"] == "miss"


def test_parameters_other_than_the_page_lead_to_the_page_without_them(client, places):
    response = client.get("/en/changes/?page=2&utm_source=x")
    assert response.status_code == 301 and response["Location"] == "/en/changes/?page=2"


def test_the_feed_shows_the_newest_page(client, places):
    make_changes(places, 60)
    feed = client.get("/en/changes/feed/").content.decode()
    assert feed.count("<entry>") == 50
    assert "Edit 59" in feed and "Kobe, Hyogo → Himeji, Hyogo" in feed


def test_versions_written_before_the_field_existed_get_their_changes_filled(places):
    """Migration 0018 fills the changes of versions written before it, as a save would have."""
    fill_change_fields = importlib.import_module("partnerships.migrations.0018_change_diffs").fill_change_fields
    link = make_relationship(places["seattle"], places["kobe"])
    edit(link, "First", notes="Signed in Kobe")
    edit(link, "Second", jp_partner=places["himeji"])
    kept = {v.history_id: v.change_fields for v in link.history.all()}
    history = Relationship.history.model
    history.objects.update(change_fields=None)
    assert fill_change_fields(history) == 2
    assert {v.history_id: v.change_fields for v in link.history.all()} == kept
    assert fill_change_fields(history) == 0


def test_a_removed_partner_a_change_names_is_shown_by_its_number(client, places):
    link = make_relationship(places["seattle"], places["kobe"])
    edit(link, "Moved", us_partner=places["tacoma"])
    seattle_pk = places["seattle"].pk
    link.delete()
    Partner.objects.filter(pk=seattle_pk).delete()
    page = client.get("/en/changes/")
    assertContains(page, was(f"#{seattle_pk}"), html=True)
    assertContains(page, now("Tacoma, Washington"), html=True)


def test_a_fresh_install_shows_one_release_entry_then_peoples_changes(client, bundled_data):
    """The bundled data's load is one dated entry, not a change to each record; people's changes
    come before it (newest first); Atom ids are IRIs, the same from both languages' feeds."""
    fresh = client.get("/en/changes/")
    assert kinds_on(fresh) == ["release"]
    assertContains(fresh, "Bundled data loaded")
    assertContains(fresh, f"{Relationship.objects.count()} relationships")
    assert "同梱データを読み込み" in client.get("/ja/changes/").content.decode()
    link = Relationship.objects.order_by("pk").first()
    edit(link, "Council page of 3 May", notes="Renewed in 2026")
    assert kinds_on(client.get("/en/changes/")) == ["change", "release"]
    english = client.get("/en/changes/feed/").content.decode()
    japanese = client.get("/ja/changes/feed/").content.decode()
    atom_ids = re.findall(r"<entry>(?:(?!</entry>).)*?<id>([^<]+)</id>", english)
    assert len(atom_ids) == 2
    assert all(re.match(r"^https?://[^/#]+/changes/#(change|release)-", key) for key in atom_ids)
    assert atom_ids == re.findall(r"<entry>(?:(?!</entry>).)*?<id>([^<]+)</id>", japanese)
