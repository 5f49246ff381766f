"""Nothing lost: a save over a newer version is refused with what changed; a double click files
one proposal; a replayed import confirmation submits nothing more."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerships.models import ChangeRequest, Relationship
from partnerships.staff.roles import EDITORS, REVIEWERS
from tests.builders import make_account, make_jp_city, make_prefecture, make_relationship, make_state, make_us_city
from tests.markup import elements
from tests.test_lost_updates import addition, hidden, relationship_form, waiting_for_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def link():
    return make_relationship(notes="As published")


def test_a_save_over_a_newer_version_is_refused_with_what_changed(client, link):
    first, second = make_account(REVIEWERS, "first"), make_account(REVIEWERS, "second")
    client.force_login(first)
    stale = relationship_form(client, link, notes="First reviewer's wording")
    client.force_login(second)
    newer = relationship_form(client, link, notes="Second reviewer's wording")
    assert client.post(reverse("admin:partnerships_relationship_change", args=[link.pk]), newer).status_code == 302
    client.force_login(first)
    response = client.post(reverse("admin:partnerships_relationship_change", args=[link.pk]), stale)
    page = response.content.decode()
    assert response.status_code == 200
    assert "second published a change to this record" in page
    assert "As published → Second reviewer&#x27;s wording" in page
    link.refresh_from_db()
    assert link.notes == "Second reviewer's wording"


def test_a_double_click_files_one_proposal(client, link):
    client.force_login(make_account(EDITORS, "officer"))
    data = relationship_form(client, link, notes="Signed at city hall")
    url = reverse("admin:partnerships_relationship_change", args=[link.pk])
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert "This form was sent already" in again.content.decode()
    assert ChangeRequest.objects.count() == 1


def test_a_replayed_import_confirmation_submits_nothing_more(client):
    washington, hyogo = make_state(), make_prefecture()
    make_us_city(state=washington)
    make_jp_city(prefecture=hyogo)
    client.force_login(make_account(EDITORS, "officer"))
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(["kind", "us_name", "us_region_code", "jp_name", "jp_region_code", "source_urls"])
    writer.writerow(["sister city", "Seattle", "US-WA", "Kobe", "JP-28", "https://example.org/a"])
    url = reverse("admin:partnerships_relationship_import")
    upload = SimpleUploadedFile("a.csv", output.getvalue().encode(), content_type="text/csv")
    page = client.post(url, {"file": upload}).content.decode()
    confirm = {"confirm": "1", "rows": hidden(page, "rows"), "reason": "Consulate list"}
    client.post(url, confirm)
    replay = client.post(url, confirm, follow=True)
    assert "This import was confirmed already" in replay.content.decode()
    assert ChangeRequest.objects.count() == 1
    assert not Relationship.objects.exists()


def test_a_rejected_proposal_is_edited_and_sent_again_beside_the_reviewers_note(client, link):
    editor, reviewer = make_account(EDITORS, "officer"), make_account(REVIEWERS, "reviewer")
    client.force_login(editor)
    url = reverse("admin:partnerships_relationship_change", args=[link.pk])
    client.post(url, relationship_form(client, link, notes="Signed in 1957"))
    proposal = ChangeRequest.objects.get()
    proposal.reject(reviewer, "The city's page says 21 October 1957: give the day.")
    review_page = client.get(reverse("admin:partnerships_changerequest_review", args=[proposal.pk]))
    resubmit = f"{url}?resubmit={proposal.pk}"
    assert elements(review_page, "a", href=resubmit)
    page = client.get(resubmit).content.decode()
    assert "Signed in 1957" in page  # the proposal's values, not the published ones
    assert "The city&#x27;s page says 21 October 1957" in page
    data = relationship_form(client, link, notes="Signed on 21 October 1957")
    assert client.post(resubmit, data).status_code == 302
    [again] = waiting_for_review(client)
    assert again.proposed["notes"] == "Signed on 21 October 1957"
    link.refresh_from_db()
    assert link.notes == "As published"


def test_a_new_partner_and_source_travel_with_the_relationship_as_one_proposal(client):
    washington = make_state(name="California", code="CA")
    tokyo = make_prefecture(name="Tokyo", number="13")
    kita = make_jp_city(name="Kita", name_ja="北区", prefecture=tokyo)
    editor, reviewer = make_account(EDITORS, "officer"), make_account(REVIEWERS, "reviewer")
    client.force_login(editor)
    url = "https://city-kita.kohoplus.jp/walnut-creek"
    data = addition(
        client, jp_partner=kita, new_us_name="Walnut Creek", new_us_state="US-CA", new_source_url=url,
        new_source_title="Kita City News", kind="friendship",
    )  # fmt: skip
    response = client.post(reverse("admin:partnerships_relationship_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal = ChangeRequest.objects.get()
    assert [item["name"] for item in proposal.new_partners] == ["Walnut Creek"]
    assert proposal.new_sources == [{"url": url, "title": "Kita City News", "page_kind": ""}]
    assert not Relationship.objects.exists()
    assert not washington.children.exists()
    link = proposal.approve(reviewer)
    walnut_creek = link.us_partner
    assert (walnut_creek.name, walnut_creek.parent, walnut_creek.kind) == ("Walnut Creek", washington, "us_city")
    assert walnut_creek.history.get().history_user == editor
    assert link.kind == "friendship" and link.sources.get().url == url


def test_without_a_partner_or_a_source_the_form_says_what_to_give(client):
    make_state()
    client.force_login(make_account(EDITORS, "officer"))
    response = client.post(reverse("admin:partnerships_relationship_add"), addition(client, new_us_name="Nowhere"))
    page = response.content.decode()
    assert "Choose the US partner, or name a new one with its state." in page
    assert "Choose the Japanese partner, or name a new one with its prefecture." in page
    assert "Choose a source, or give the address of a new one." in page
    assert not ChangeRequest.objects.exists()


def test_a_reviewer_publishes_a_new_partner_with_the_relationship_at_once(client):
    make_state()
    hyogo = make_prefecture()
    client.force_login(make_account(REVIEWERS, "reviewer"))
    data = addition(
        client, new_us_name="Covington", new_us_state="US-WA", new_jp_name="Tatsuno", new_jp_name_ja="たつの市",
        new_jp_prefecture="JP-28", new_source_url="https://example.org/covington-tatsuno",
    )  # fmt: skip
    assert client.post(reverse("admin:partnerships_relationship_add"), data).status_code == 302
    link = Relationship.objects.get()
    assert (link.us_partner.name, link.jp_partner.name_ja, link.jp_partner.parent) == ("Covington", "たつの市", hyogo)
    assert link.sources.get().url == "https://example.org/covington-tatsuno"


def test_an_editor_is_offered_the_fields_for_a_new_partner_not_the_pop_up(client):
    make_state()
    client.force_login(make_account(EDITORS, "officer"))
    page = client.get(reverse("admin:partnerships_relationship_add"))
    assert not elements(page, "*", id="add_id_us_partner")
    assert elements(page, "input", name="new_us_name")
    client.force_login(make_account(REVIEWERS, "reviewer"))  # (who is offered the pop-up)
    assert elements(client.get(reverse("admin:partnerships_relationship_add")), "*", id="add_id_us_partner")
