"""A relationship's own history (issue: anniversaries counted from re-signings): each relationship is
dated by its first signing, an ended one carries its end, and its page shows its events with their
pages. On the bundled data, as readers meet it."""

import csv
import datetime
import io

import pytest
from pytest_django.asserts import assertContains

from partnerships.models import Relationship, RelationshipEvent, Status
from tests.markup import element, text

pytestmark = pytest.mark.django_db


def tie(us, jp):
    return Relationship.objects.get(us_partner__slug=us, jp_partner__slug=jp)


def history_on(page):
    """The text of the page's History section (the section its heading labels)."""
    return text(element(page, "section", aria_labelledby="history-heading"))


def test_merged_town_ties_count_from_their_first_signing(client, bundled_data):
    auburn, kent = tie("auburn-wa", "tamba-hyogo"), tie("kent-wa", "tamba-hyogo")
    assert auburn.established.year == kent.established.year == 1968
    answer = client.get("/en/anniversaries/?year=2028&format=csv")
    rows = csv.DictReader(io.StringIO(b"".join(answer.streaming_content).decode("utf-8-sig")))
    tamba = {row["us_slug"]: row["anniversary"] for row in rows if row["jp_slug"] == "tamba-hyogo"}
    assert tamba == {"auburn-wa": "60", "kent-wa": "60"}  # not their tenth, from the 2018 re-signing


def test_no_tie_is_dated_by_a_re_signing_an_end_or_a_later_kind(bundled_data):
    later = RelationshipEvent.objects.exclude(kind=RelationshipEvent.Kind.BEGAN).exclude(date=None)
    for event in later.select_related("relationship"):
        link = event.relationship
        began = link.events.filter(kind=RelationshipEvent.Kind.BEGAN).exclude(date=None)
        if began.filter(date__lt=event.date).exists():
            assert link.established != event.date, f"{link}: dated by its {event.kind} of {event.date}"
    for us, jp, year in [("americus-ga", "miyoshi-hiroshima", 1995), ("the-dalles-or", "miyoshi-tokushima", 2003),
                         ("tukwila-wa", "miyoshi-tokushima", 1979), ("bowling-green-ky", "kawanishi-hyogo", 1992),
                         ("salinas-ca", "ichikikushikino-kagoshima", 1979)]:  # fmt: skip
        assert tie(us, jp).established.year == year, (us, jp)


def test_every_ended_tie_carries_its_end_and_has_no_anniversary(client, bundled_data):
    ended = Relationship.objects.filter(status=Status.INACTIVE)
    assert ended.exists()
    for link in ended:
        end = link.events.filter(kind=RelationshipEvent.Kind.ENDED)
        assert end.exists(), f"{link} is inactive without an end event"
        assert not end.filter(date=link.established).exists()
    bowling_green = tie("bowling-green-ky", "kawanishi-hyogo")
    year = bowling_green.established.year + 35
    assert "Bowling Green" not in client.get(f"/en/anniversaries/?year={year}").content.decode()


def test_a_relationship_page_shows_its_history_with_each_page(client, bundled_data):
    link = tie("bowling-green-ky", "kawanishi-hyogo")
    page = client.get(link.get_absolute_url())
    assertContains(page, '<h2 id="history-heading">History</h2>', html=True)
    history = history_on(page)
    assert "October 1992" in history and "31 March 2021" in history and "ended" in history
    assert history.index("October 1992") < history.index("31 March 2021")
    japanese = client.get(link.get_absolute_url().replace("/en/", "/ja/")).content.decode()
    assert "経緯" in japanese and "2021年3月31日" in japanese


def test_pages_that_disagree_on_a_date_are_both_shown(client, bundled_data):
    kent = tie("kent-wa", "tamba-hyogo")
    began = kent.events.filter(kind=RelationshipEvent.Kind.BEGAN).exclude(date=None)
    assert len({event.date.year for event in began}) >= 2  # 1968 (consulate) and 1969 (HBCC)
    history = history_on(client.get(kent.get_absolute_url()))
    assert "1968" in history and "1969" in history
    assert datetime.date(2018, 8, 10) in {event.date for event in kent.events.all()}


def test_one_kind_rule_for_every_level_the_japanese_sides_word(client, bundled_data):
    """For states as for cities, the Japanese partner's own word decides; the US side's is noted."""
    for us, jp in [("hawaii", "hokkaido-prefecture"), ("oregon", "toyama-prefecture"), ("guam", "okayama-okayama")]:
        link = tie(us, jp)
        assert link.kind == Relationship.Kind.FRIENDSHIP, (us, jp)
        assert "by the Japanese side's own word" in link.notes and "US pages call it a sister" in link.notes
        assert "日本側の表現" in link.notes_ja
    assert tie("washington", "hyogo-prefecture").kind == Relationship.Kind.SISTER_STATE  # 姉妹提携 on Hyogo's page
    about = client.get("/en/about/")
    assertContains(about, "Which word decides: the Japanese partner")
    assertContains(client.get("/ja/about/"), "種別は日本側の表現によります")


def test_notes_are_prose_and_search_never_matches_an_address(client, bundled_data):
    """Notes cite pages as sources (listed on the record page), never by their address; so a search
    for a piece of an address finds nothing, while a word of the notes still finds its relationship."""
    for link in Relationship.objects.all():
        for note in (link.notes, link.notes_ja):
            assert "http" not in note and "www." not in note and ".lg.jp" not in note, (link.pk, note)
    for address in ("https", "lg.jp", "emb-japan"):
        assert not Relationship.objects.search(address).exists(), address
    assert Relationship.objects.search("Konu").exists()  # Americus–Miyoshi: "Listed under its former name Konu"
