"""No lost update: every save is conditional on the version it started from, in the database.

Two people saving the same record at the same instant, a partner's page carrying a relationship
row someone has just changed, a rejected proposal sent again while a reviewer edits: one edit
wins, the other is refused with what changed (field, value then → value now, who), and nothing is
silently reverted. The thread tests need PostgreSQL (`DATABASE_URL=postgres://… pytest`): SQLite
takes one writer at a time, so two saves never meet there. The other tests run on both."""

import csv
import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from partnerships.models import ChangeRequest, Partner, Relationship, Source
from partnerships.staff.roles import EDITORS, REVIEWERS
from tests.builders import (
    make_account,
    make_jp_city,
    make_prefecture,
    make_relationship,
    make_source,
    make_state,
    make_us_city,
)
from tests.markup import element, elements, text

TRIALS = 20
STALE = "published a change to this record"
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two saves at the same instant need PostgreSQL (SQLite has one writer)"
)


def hidden(page, name):
    """The value a form field of the page carries back (the version it was filled in from)."""
    return dict(element(page, "input", name=name).attributes)["value"]


def relationship_url(link):
    return reverse("admin:partnerships_relationship_change", args=[link.pk])


def partner_url(partner):
    return reverse("admin:partnerships_partner_change", args=[partner.pk])


def relationship_form(client, link, **changes):
    """The relationship's change form as a browser sends it back, with some fields changed."""
    page = client.get(relationship_url(link)).content.decode()
    data = {
        "us_partner": link.us_partner_id,
        "jp_partner": link.jp_partner_id,
        "kind": link.kind,
        "status": link.status,
        "established": link.established.isoformat() if link.established else "",
        "established_precision": link.established_precision,
        "notes": link.notes,
        "sources": [source.pk for source in link.sources.all()],
        "change_reason": "From the city's page",
        "based_on": hidden(page, "based_on"),
        "submission": hidden(page, "submission"),
        "checks-TOTAL_FORMS": "0",
        "checks-INITIAL_FORMS": "0",
    }
    return data | changes


def partner_form(client, partner, rows=None, **changes):
    """A US partner's change form with its relationship rows, as a browser sends it back."""
    page = client.get(partner_url(partner)).content.decode()
    prefix = "us_relationships"
    links = list(Relationship.objects.filter(us_partner=partner).order_by("pk"))
    data = {
        "name": partner.name,
        "slug": partner.slug,
        "kind": partner.kind,
        "country": partner.country,
        "parent": partner.parent_id,
        "description": partner.description,
        "change_reason": "From the city's page",
        "based_on": hidden(page, "based_on"),
        "submission": hidden(page, "submission"),
        f"{prefix}-TOTAL_FORMS": str(len(links)),
        f"{prefix}-INITIAL_FORMS": str(len(links)),
    }
    for n, link in enumerate(links):
        data |= {
            f"{prefix}-{n}-id": link.pk,
            f"{prefix}-{n}-us_partner": partner.pk,
            f"{prefix}-{n}-jp_partner": link.jp_partner_id,
            f"{prefix}-{n}-kind": link.kind,
            f"{prefix}-{n}-status": link.status,
            f"{prefix}-{n}-established": link.established.isoformat() if link.established else "",
            f"{prefix}-{n}-established_precision": link.established_precision,
            f"{prefix}-{n}-sources": [source.pk for source in link.sources.all()],
            f"{prefix}-{n}-based_on": hidden(page, f"{prefix}-{n}-based_on"),
        }
    return data | (rows or {}) | changes


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def waiting_for_review(client):
    """The proposals a signed-in user sees waiting in the review queue (an editor: their own)."""
    page = client.get(reverse("admin:partnerships_changerequest_changelist"), {"status__exact": "pending"})
    return list(page.context["cl"].result_list)


def at_once(*posts):
    """Send each (client, url, data) from its own thread and connection, all at the same instant;
    their responses, in order."""
    barrier = threading.Barrier(len(posts))
    responses = [None] * len(posts)

    def send(n, client, url, data):
        try:
            barrier.wait()
            responses[n] = client.post(url, data)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n, *post)) for n, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


@pytest.fixture
def link(db):
    return make_relationship(notes="As published")


# --- Two people at the same instant (PostgreSQL, real threads) ---


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_saving_the_same_record_at_once_lose_no_edit():
    link = make_relationship(notes="As published")
    first, second = make_account(REVIEWERS, "first"), make_account(REVIEWERS, "second")
    clients = {"first": signed_in(first), "second": signed_in(second)}
    outcomes = []
    for trial in range(TRIALS):
        link.refresh_from_db()
        before = link.notes
        forms = {name: relationship_form(client, link, notes=f"{name} {trial}") for name, client in clients.items()}
        responses = at_once(*((clients[name], relationship_url(link), forms[name]) for name in clients))
        saved = [name for name, response in zip(clients, responses, strict=True) if response.status_code == 302]
        refused = [name for name, response in zip(clients, responses, strict=True) if response.status_code == 200]
        assert len(saved) == 1 and len(refused) == 1, [r.status_code for r in responses]
        link.refresh_from_db()
        assert link.notes == f"{saved[0]} {trial}"  # the edit that was saved is there
        page = responses[list(clients).index(refused[0])].content.decode()
        assert STALE in page and f"{saved[0]} {STALE}" in page  # who
        assert f"{before} → {saved[0]} {trial}" in page  # what: the value then → the value now
        assert link.history.filter(history_change_reason="From the city's page").count() == trial + 1
        outcomes.append(saved[0])
    assert link.version == 1 + TRIALS


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_partner_page_carrying_a_relationship_row_edited_at_the_same_instant_loses_no_edit():
    washington, hyogo = make_state(), make_prefecture()
    seattle = make_us_city(state=washington)
    link = make_relationship(seattle, make_jp_city(prefecture=hyogo))
    on_the_page, on_the_link = make_account(REVIEWERS, "partner-page"), make_account(REVIEWERS, "relationship-page")
    page_client, link_client = signed_in(on_the_page), signed_in(on_the_link)
    for trial in range(TRIALS):
        link.refresh_from_db()
        seattle.refresh_from_db()
        status_before = link.status
        status_after = "inactive" if status_before == "active" else "active"
        year = 1950 + trial
        row = {"us_relationships-0-established": f"{year}-01-01", "us_relationships-0-established_precision": "year"}
        partner_data = partner_form(page_client, seattle, rows=row, description=f"Described {trial}")
        link_data = relationship_form(link_client, link, status=status_after)
        partner_response, link_response = at_once(
            (page_client, partner_url(seattle), partner_data), (link_client, relationship_url(link), link_data)
        )
        link.refresh_from_db()
        seattle.refresh_from_db()
        if partner_response.status_code == 302:  # the partner page won: its row is saved, the other refused
            assert link_response.status_code == 200
            assert link.established.year == year and link.status == status_before
            assert seattle.description == f"Described {trial}"
            page = link_response.content.decode()
            assert f"partner-page {STALE}" in page and f"{year}-01-01" in page
        else:  # the relationship's page won: the partner page is refused, nothing of it written
            assert partner_response.status_code == 200 and link_response.status_code == 302
            assert link.status == status_after and getattr(link.established, "year", None) != year
            assert seattle.description != f"Described {trial}"
            page = partner_response.content.decode()
            assert f"relationship-page {STALE}" in page and f"status: {status_before} → {status_after}" in page


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_stale_resubmission_never_reverts_a_reviewers_edit():
    link = make_relationship(notes="As published")
    editor, reviewer = make_account(EDITORS, "officer"), make_account(REVIEWERS, "reviewer")
    editor_client, reviewer_client = signed_in(editor), signed_in(reviewer)
    for trial in range(TRIALS):
        link.refresh_from_db()
        proposal = ChangeRequest.propose(link, {"notes": f"Officer {trial}"}, editor, "Minutes", based_on=link.version)
        proposal.reject(reviewer, "Give the date of the minutes.")
        resubmit = f"{relationship_url(link)}?resubmit={proposal.pk}"
        page = editor_client.get(resubmit).content.decode()
        editor_data = relationship_form(editor_client, link, notes=f"Officer {trial}, minutes of 3 May")
        editor_data |= {"based_on": hidden(page, "based_on"), "submission": hidden(page, "submission")}
        reviewer_data = relationship_form(reviewer_client, link, notes=f"Reviewer {trial}")
        editor_response, reviewer_response = at_once(
            (editor_client, resubmit, editor_data), (reviewer_client, relationship_url(link), reviewer_data)
        )
        assert reviewer_response.status_code == 302
        pending = next(iter(waiting_for_review(editor_client)), None)
        if editor_response.status_code == 200:  # refused: the reviewer's edit came first
            assert pending is None
            assert f"reviewer {STALE}" in editor_response.content.decode()
            assert f"Reviewer {trial}" in editor_response.content.decode()
        else:  # filed first: publishing it now must not revert the reviewer's newer edit
            assert editor_response.status_code == 302 and pending is not None
            with pytest.raises(Exception, match="changed since this was proposed"):
                pending.approve(reviewer)
            pending.reject(reviewer, "Superseded")
        link.refresh_from_db()
        assert link.notes == f"Reviewer {trial}"


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", [REVIEWERS, EDITORS])
def test_the_same_form_sent_twice_at_once_files_one_change(role):
    link = make_relationship(notes="As published")
    user = make_account(role, "officer")
    first, second = signed_in(user), signed_in(user)
    for trial in range(5):
        link.refresh_from_db()
        form = relationship_form(first, link, notes=f"Signed at city hall {trial}")
        responses = at_once((first, relationship_url(link), form), (second, relationship_url(link), form))
        assert sorted(response.status_code for response in responses) == [200, 302]
        refused = next(response for response in responses if response.status_code == 200)
        assert "This form was sent already" in refused.content.decode()
        ChangeRequest.objects.filter(author=user).update(status=ChangeRequest.Status.REJECTED)
    changes = link.history.count() - 1 if role == REVIEWERS else ChangeRequest.objects.count()
    assert changes == 5


# --- The submission token is spent only by a save ---


def test_a_partner_confirmed_after_the_look_alike_warning_is_saved(client, db):
    kobe = make_jp_city()
    client.force_login(make_account(REVIEWERS, "reviewer"))
    url = reverse("admin:partnerships_partner_add")
    page = client.get(url).content.decode()
    form = {
        "name": "Kobe", "name_ja": "神戸市", "slug": "kobe-2", "kind": "jp_municipality", "country": "JP",
        "parent": kobe.parent_id, "change_reason": "New city", "submission": hidden(page, "submission"),
    }  # fmt: skip
    assert "looks like a partner the directory already has" in client.post(url, form).content.decode()
    response = client.post(url, form | {"confirm_new": "on"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Partner.objects.filter(name="Kobe").count() == 2


def addition(client, us_partner=None, jp_partner=None, **fields):
    """The add form as a browser sends it back: each side a partner already in the directory, or
    (not given) one the fields name as new."""
    page = client.get(reverse("admin:partnerships_relationship_add")).content.decode()
    sides = {"us_partner": us_partner, "jp_partner": jp_partner}
    partners = {side: partner.pk for side, partner in sides.items() if partner is not None}
    data = {
        **partners,
        "kind": "sister_city",
        "status": "active",
        "change_reason": "Kita City's newsletter, 20 October 2017",
        "based_on": hidden(page, "based_on"),
        "submission": hidden(page, "submission"),
        "checks-TOTAL_FORMS": "0",
        "checks-INITIAL_FORMS": "0",
    }
    return data | fields


def test_a_relationship_given_its_missing_source_after_the_error_is_saved(client, db):
    seattle, kobe = make_us_city(), make_jp_city()
    client.force_login(make_account(REVIEWERS, "reviewer"))
    url = reverse("admin:partnerships_relationship_add")
    form = addition(client, seattle, kobe)
    assert "Choose a source" in client.post(url, form).content.decode()
    response = client.post(url, form | {"sources": [make_source().pk]})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Relationship.objects.filter(us_partner=seattle, jp_partner=kobe).exists()


def test_a_duplicate_pair_corrected_to_another_partner_is_saved(client, db):
    link = make_relationship()
    himeji = make_jp_city(name="Himeji", name_ja="姫路市")
    client.force_login(make_account(REVIEWERS, "reviewer"))
    url = reverse("admin:partnerships_relationship_add")
    form = addition(client, link.us_partner, link.jp_partner, sources=[make_source().pk])
    page = client.post(url, form).content.decode()
    assert "already exists" in page
    response = client.post(url, form | {"jp_partner": himeji.pk})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Relationship.objects.filter(jp_partner=himeji).exists()


def test_notes_retyped_without_the_invisible_character_are_saved(client, link):
    client.force_login(make_account(REVIEWERS, "reviewer"))
    form = relationship_form(client, link, notes="Signed\u202e at city hall")
    assert "invisible character" in client.post(relationship_url(link), form).content.decode()
    response = client.post(relationship_url(link), form | {"notes": "Signed at city hall"})
    assert response.status_code == 302, response.content.decode()[:3000]
    link.refresh_from_db()
    assert link.notes == "Signed at city hall"


def test_a_reviewers_double_click_saves_once(client, link):
    client.force_login(make_account(REVIEWERS, "reviewer"))
    form = relationship_form(client, link, notes="Signed at city hall")
    assert client.post(relationship_url(link), form).status_code == 302
    again = client.post(relationship_url(link), form)
    assert "This form was sent already" in again.content.decode()
    assert link.history.count() == 2  # added, then this one change


# --- based_on ---


def test_a_change_that_does_not_say_its_version_is_refused(client, link):
    client.force_login(make_account(REVIEWERS, "reviewer"))
    form = relationship_form(client, link, notes="Signed at city hall")
    del form["based_on"]
    response = client.post(relationship_url(link), form)
    assert "does not say which version of the record it was filled in from" in response.content.decode()
    link.refresh_from_db()
    assert link.notes == "As published"


def test_the_form_is_based_on_the_records_version(client, link):
    client.force_login(make_account(REVIEWERS, "reviewer"))
    assert relationship_form(client, link)["based_on"] == str(link.version)
    client.post(relationship_url(link), relationship_form(client, link, notes="Signed at city hall"))
    link.refresh_from_db()
    assert relationship_form(client, link)["based_on"] == str(link.version) == "2"
    assert link.history.first().version == 2


# --- Inline rows ---


@pytest.fixture
def seattle_and_kobe(db):
    washington, hyogo = make_state(), make_prefecture()
    seattle = make_us_city(state=washington)
    return seattle, make_relationship(seattle, make_jp_city(prefecture=hyogo), notes="As published")


def test_a_reviewers_relationship_added_on_a_partners_page_needs_a_source_and_keeps_its_reason(client, db):
    washington, hyogo = make_state(), make_prefecture()
    seattle, himeji = make_us_city(state=washington), make_jp_city(name="Himeji", prefecture=hyogo)
    reviewer = make_account(REVIEWERS, "reviewer")
    client.force_login(reviewer)
    row = {
        "us_relationships-TOTAL_FORMS": "1",
        "us_relationships-0-jp_partner": himeji.pk,
        "us_relationships-0-kind": "sister_city",
        "us_relationships-0-status": "active",
    }
    form = partner_form(client, seattle, rows=row, change_reason="Sister city agreement of 1 May 2026")
    response = client.post(partner_url(seattle), form)
    assert response.status_code == 200 and not Relationship.objects.exists()
    source = make_source()
    response = client.post(partner_url(seattle), form | {"us_relationships-0-sources": [source.pk]})
    assert response.status_code == 302, response.content.decode()[:3000]
    added = Relationship.objects.get()
    assert list(added.sources.all()) == [source]
    history = added.history.get()
    assert history.history_user == reviewer
    assert history.history_change_reason == "Sister city agreement of 1 May 2026"


@pytest.mark.parametrize("role", [REVIEWERS, EDITORS])
def test_a_partner_page_carrying_a_stale_relationship_row_is_refused_with_what_changed(client, seattle_and_kobe, role):
    seattle, link = seattle_and_kobe
    client.force_login(make_account(role, "partner-page"))
    stale = partner_form(client, seattle, description="Port city")
    other = Client()
    other.force_login(make_account(REVIEWERS, "newer"))
    assert other.post(relationship_url(link), relationship_form(other, link, status="inactive")).status_code == 302
    response = client.post(partner_url(seattle), stale)
    page = response.content.decode()
    assert response.status_code == 200
    assert f"newer {STALE}" in page and "status: active → inactive" in page
    link.refresh_from_db()
    seattle.refresh_from_db()
    assert link.status == "inactive" and seattle.description == ""
    assert not ChangeRequest.objects.exists()  # an editor's save files no proposal that would revert it


def test_a_row_deleted_over_a_newer_edit_is_refused(client, seattle_and_kobe):
    seattle, link = seattle_and_kobe
    client.force_login(make_account(REVIEWERS, "partner-page"))
    stale = partner_form(client, seattle, **{"us_relationships-0-DELETE": "on"})
    link.notes = "Edited meanwhile"
    link.save()
    response = client.post(partner_url(seattle), stale)
    assert response.status_code == 200 and "As published → Edited meanwhile" in response.content.decode()
    assert Relationship.objects.filter(pk=link.pk).exists()


def test_a_restore_over_a_newer_edit_is_refused(client, link):
    first = link.history.get()
    client.force_login(make_account(REVIEWERS, "restorer"))
    restore_url = reverse("admin:partnerships_relationship_simple_history", args=[link.pk, first.history_id])
    page = client.get(restore_url).content.decode()
    restore = relationship_form(client, link, change_reason="Restore the first wording")
    restore |= {"based_on": hidden(page, "based_on"), "submission": hidden(page, "submission")}
    other = Client()
    other.force_login(make_account(REVIEWERS, "newer"))
    other.post(relationship_url(link), relationship_form(other, link, notes="Newer wording"))
    response = client.post(restore_url, restore)
    assert f"newer {STALE}" in response.content.decode()
    link.refresh_from_db()
    assert link.notes == "Newer wording"


def test_an_import_confirmed_after_a_newer_edit_of_its_relationship_writes_nothing(client, db):
    washington, hyogo = make_state(), make_prefecture()
    link = make_relationship(make_us_city(state=washington), make_jp_city(prefecture=hyogo), notes="As published")
    client.force_login(make_account(REVIEWERS, "importer"))
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["id", "kind", "us_name", "us_region_code", "jp_name", "jp_region_code", "notes", "source_urls"])
    writer.writerow([link.pk, "sister city", "Seattle", "US-WA", "Kobe", "JP-28", "From the consulate's list", ""])
    url = reverse("admin:partnerships_relationship_import")
    upload = SimpleUploadedFile("rows.csv", rows.getvalue().encode(), content_type="text/csv")
    page = client.post(url, {"file": upload}).content.decode()
    assert "1 to change" in page
    other = Client()
    other.force_login(make_account(REVIEWERS, "newer"))
    other.post(relationship_url(link), relationship_form(other, link, notes="Newer wording"))
    confirm = {"confirm": "1", "rows": hidden(page, "rows"), "reason": "Consulate list"}
    said = client.post(url, confirm, follow=True).content.decode()
    assert f"newer {STALE}" in said and "As published → Newer wording" in said
    link.refresh_from_db()
    assert link.notes == "Newer wording"
    assert not link.history.filter(history_change_reason__contains="Consulate list").exists()


# --- Resubmission ---


def test_a_resubmission_starts_from_the_current_record_with_the_authors_changes_on_top(client, link):
    editor, reviewer = make_account(EDITORS, "officer"), make_account(REVIEWERS, "reviewer")
    proposal = ChangeRequest.propose(
        link, {"notes": "Signed in 1957", "status": "active"}, editor, "Minutes", based_on=1
    )
    proposal.reject(reviewer, "Give the day.")
    other = Client()
    other.force_login(reviewer)
    other.post(relationship_url(link), relationship_form(other, link, status="inactive"))
    client.force_login(editor)
    page = client.get(f"{relationship_url(link)}?resubmit={proposal.pk}")
    assertContains(page, "notes: As published → Signed in 1957")  # the diff: current → proposed
    assert elements(element(page, "select", name="status"), "option", value="inactive", selected=True)  # kept
    assert text(element(page, "textarea", name="notes")) == "Signed in 1957"
    assertNotContains(page, "has been changed by someone else")


def test_a_resubmission_warns_when_its_field_was_changed_since_and_shows_both(client, link):
    editor, reviewer = make_account(EDITORS, "officer"), make_account(REVIEWERS, "reviewer")
    proposal = ChangeRequest.propose(link, {"notes": "Signed in 1957"}, editor, "Minutes", based_on=1)
    proposal.reject(reviewer, "Give the day.")
    other = Client()
    other.force_login(reviewer)
    other.post(relationship_url(link), relationship_form(other, link, notes="Signed on 21 October 1957"))
    client.force_login(editor)
    page = client.get(f"{relationship_url(link)}?resubmit={proposal.pk}").content.decode()
    assert "Notes has been changed by someone else since you proposed your change" in page
    assert "it was As published, it is now Signed on 21 October 1957" in page
    assert "the form holds yours, Signed in 1957" in page


def test_publishing_a_proposal_made_from_an_older_version_does_not_revert_the_newer_one(client, link):
    editor, reviewer = make_account(EDITORS, "officer"), make_account(REVIEWERS, "reviewer")
    client.force_login(editor)
    proposal_form = relationship_form(client, link, notes="Officer's wording")
    client.force_login(reviewer)
    client.post(relationship_url(link), relationship_form(client, link, notes="Reviewer's wording"))
    client.force_login(editor)
    response = client.post(relationship_url(link), proposal_form)
    assert f"reviewer {STALE}" in response.content.decode()
    assert not ChangeRequest.objects.exists()


# --- Loading ---


def test_a_reload_that_overwrites_a_record_raises_its_version(db):
    call_command("load_directory", verbosity=0)
    link = Relationship.objects.order_by("pk").first()
    assert link.version == 1
    Relationship.objects.filter(pk=link.pk).update(notes="Drifted from the bundled data")
    call_command("load_directory", "--reload", verbosity=0)
    link.refresh_from_db()
    assert link.notes != "Drifted from the bundled data" and link.version == 2
    assert link.history.order_by("-history_id").first().version == 2
    untouched = Relationship.objects.exclude(pk=link.pk).order_by("pk").first()
    assert untouched.version == 1


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_a_versioned_save_works_right_after_load_directory():
    call_command("load_directory", verbosity=0)
    link = Relationship.objects.order_by("pk").first()
    client = signed_in(make_account(REVIEWERS, "reviewer"))
    stale = relationship_form(client, link, notes="Stale wording")
    response = client.post(relationship_url(link), relationship_form(client, link, notes="Signed at city hall"))
    assert response.status_code == 302, response.content.decode()[:3000]
    link.refresh_from_db()
    assert (link.notes, link.version) == ("Signed at city hall", 2)
    assert f"reviewer {STALE}" in client.post(relationship_url(link), stale).content.decode()
    link.refresh_from_db()
    assert link.notes == "Signed at city hall"
    assert Source.objects.filter(version=1).count() == Source.objects.count()
