"""Editors propose, reviewers publish: the permission matrix, drafts, history, lockout."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from partnerships.models import ChangeRequest, Partner, Relationship
from partnerships.staff.roles import EDITORS, REVIEWERS
from tests.builders import make_jp_city, make_prefecture, make_relationship, make_source, make_state, make_us_city
from tests.markup import element, elements, text

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-passphrase-for-tests-7"


def make_user(role=None, username=None):
    user = User.objects.create_user(username or (role or "someone").lower(), password=PASSWORD, is_staff=bool(role))
    if role:
        user.groups.set([Group.objects.get(name=role)])
    return user


@pytest.fixture
def editor():
    return make_user(EDITORS, "officer")


@pytest.fixture
def reviewer():
    return make_user(REVIEWERS, "reviewer")


@pytest.fixture
def places():
    hyogo = make_prefecture()
    return {
        "seattle": make_us_city(state=make_state()),
        "kobe": make_jp_city(prefecture=hyogo),
        "himeji": make_jp_city(name="Himeji", name_ja="姫路市", prefecture=hyogo),
        "source": make_source(),
    }


def relationship_form(places, **overrides):
    data = {
        "us_partner": places["seattle"].pk,
        "jp_partner": places["himeji"].pk,
        "kind": "sister_city",
        "status": "active",
        "established": "",
        "established_precision": "",
        "notes": "",
        "sources": [places["source"].pk],
        "change_reason": "City council resolution of 3 May 2024",
    }
    return data | overrides


ADD_URL = reverse("admin:partnerships_relationship_add")


def change_url(link):
    return reverse("admin:partnerships_relationship_change", args=[link.pk])


def sent_from(client, url, data):
    """A form for a record as a browser sends it back: with the version it was filled in from."""
    based_on = element(client.get(url), "input", name="based_on")
    return data | {"based_on": dict(based_on.attributes)["value"]}


def test_roles_exist_with_the_right_permissions():
    editors = set(Group.objects.get(name=EDITORS).permissions.values_list("codename", flat=True))
    reviewers = set(Group.objects.get(name=REVIEWERS).permissions.values_list("codename", flat=True))
    assert {"add_relationship", "change_relationship", "import_records"} <= editors
    assert not {"delete_relationship", "publish_changerequest", "change_user", "change_group"} & editors
    assert {"delete_relationship", "publish_changerequest"} <= reviewers


def test_create_account_makes_an_editor_who_is_staff_but_not_superuser():
    call_command("create_account", "tanaka", "--role", "editor", "--password", PASSWORD, "--email", "t@example.org")
    user = User.objects.get(username="tanaka")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [EDITORS]
    assert user.check_password(PASSWORD)


# --- The permission matrix: anonymous, editor, reviewer × view, add, change, publish, delete, import ---


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:partnerships_relationship_changelist"),
        ADD_URL,
        reverse("admin:partnerships_changerequest_changelist"),
        reverse("admin:partnerships_relationship_import"),
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_anonymous_posts_change_nothing(client, places):
    client.post(ADD_URL, relationship_form(places))
    assert not Relationship.objects.exists() and not ChangeRequest.objects.exists()


def test_an_editor_can_view_records(client, editor, places):
    link = make_relationship(places["seattle"], places["kobe"])
    client.force_login(editor)
    assert client.get(reverse("admin:partnerships_relationship_changelist")).status_code == 200
    assert client.get(change_url(link)).status_code == 200


def test_an_editors_addition_waits_for_review_and_never_shows_publicly(client, editor, places):
    client.force_login(editor)
    response = client.post(ADD_URL, relationship_form(places))
    assert response.status_code == 302
    assert not Relationship.objects.exists()
    change = ChangeRequest.objects.get()
    assert (change.status, change.action, change.author) == ("pending", "create", editor)
    client.logout()
    for url in ["/relationships/", "/relationships/?format=json", "/relationships/?format=csv"]:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Himeji" not in body, url
    assert client.get("/search/?q=himeji&format=json").json()["groups"]["relationships"]["count"] == 0
    assert client.get("/partners/himeji-hyogo/").status_code == 200  # the place exists; the link does not


def test_an_editors_change_keeps_the_published_version_until_approved(client, editor, reviewer, places):
    link = make_relationship(places["seattle"], places["kobe"])
    client.force_login(editor)
    form = relationship_form(
        places, jp_partner=places["kobe"].pk, established="1957-10-01", established_precision="month"
    )
    assert client.post(change_url(link), sent_from(client, change_url(link), form)).status_code == 302
    link.refresh_from_db()
    assert link.established is None
    assert b"October 1957" not in client.get(link.get_absolute_url()).content

    change = ChangeRequest.objects.get()
    client.force_login(reviewer)
    review_url = reverse("admin:partnerships_changerequest_review", args=[change.pk])
    page = client.get(review_url).content.decode()
    assert "1957-10-01" in page and "City council resolution" in page
    client.post(review_url, {"approve": "1", "note": ""})
    link.refresh_from_db()
    assert link.established == datetime.date(1957, 10, 1)
    history = link.history.first()
    assert history.history_user == editor
    assert history.history_change_reason.startswith("City council resolution of 3 May 2024")
    assert b"October 1957" in client.get(link.get_absolute_url()).content


def test_an_editor_cannot_publish_or_delete(client, editor, places):
    link = make_relationship(places["seattle"], places["kobe"])
    client.force_login(editor)
    client.post(ADD_URL, relationship_form(places))
    change = ChangeRequest.objects.get()
    review_url = reverse("admin:partnerships_changerequest_review", args=[change.pk])
    assert client.post(review_url, {"approve": "1"}).status_code == 403
    delete_url = reverse("admin:partnerships_relationship_delete", args=[link.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Relationship.objects.filter(pk=link.pk).exists()
    change.refresh_from_db()
    assert change.status == "pending"


def test_an_editor_cannot_grant_themselves_rights(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:auth_user_change", args=[editor.pk])).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    response = client.post(reverse("admin:auth_user_change", args=[editor.pk]), {"is_superuser": "on"})
    assert response.status_code == 403
    editor.refresh_from_db()
    assert not editor.is_superuser


def submissions_listed(client):
    """The proposals the signed-in account's queue lists, by the record each one is about."""
    response = client.get(reverse("admin:partnerships_changerequest_changelist"))
    assert response.status_code == 200
    return sorted(text(cell) for cell in elements(response, "th", class_="field-object_repr"))


def test_an_editor_sees_only_their_own_submissions(client, editor, reviewer, places):
    other = make_user(EDITORS, "other-officer")
    client.force_login(other)
    client.post(ADD_URL, relationship_form(places))
    client.force_login(editor)
    client.post(ADD_URL, relationship_form(places, jp_partner=places["kobe"].pk))
    assert submissions_listed(client) == ["Seattle – Kobe (sister city)"]
    client.force_login(reviewer)  # the queue lists both, to whoever may see them
    assert submissions_listed(client) == ["Seattle – Himeji (sister city)", "Seattle – Kobe (sister city)"]


def test_a_reviewers_edit_publishes_at_once_with_its_reason(client, reviewer, places):
    client.force_login(reviewer)
    assert client.post(ADD_URL, relationship_form(places)).status_code == 302
    link = Relationship.objects.get()
    assert link.history.get().history_user == reviewer
    assert link.history.get().history_change_reason == "City council resolution of 3 May 2024"
    assert not ChangeRequest.objects.exists()


def test_a_reviewer_rejects_with_a_note_and_nothing_is_published(client, editor, reviewer, places):
    client.force_login(editor)
    client.post(ADD_URL, relationship_form(places))
    change = ChangeRequest.objects.get()
    client.force_login(reviewer)
    review_url = reverse("admin:partnerships_changerequest_review", args=[change.pk])
    response = client.post(review_url, {"reject": "1", "note": ""})
    assert "Say why" in response.content.decode()
    client.post(review_url, {"reject": "1", "note": "Which council resolution? Please add its date."})
    change.refresh_from_db()
    assert change.status == "rejected"
    assert not Relationship.objects.exists()


def test_a_reviewer_can_delete(client, reviewer, places):
    link = make_relationship(places["seattle"], places["kobe"])
    client.force_login(reviewer)
    delete_url = reverse("admin:partnerships_relationship_delete", args=[link.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Relationship.objects.exists()
    assert link.history.filter(history_type="-").exists()


def test_the_form_explains_two_japanese_partners_in_plain_words(client, reviewer, places):
    client.force_login(reviewer)
    response = client.post(ADD_URL, relationship_form(places, us_partner=places["kobe"].pk))
    assert (
        "Both partners are in Japan: a sister city link joins a US and a Japanese partner." in response.content.decode()
    )
    assert not Relationship.objects.exists()


def test_a_partner_that_looks_like_an_existing_one_needs_confirming(client, reviewer, places):
    client.force_login(reviewer)
    form = {
        "name": "Kobe",
        "name_ja": "神戸市",
        "slug": "kobe-2",
        "kind": "jp_municipality",
        "country": "JP",
        "parent": places["kobe"].parent.pk,
        "change_reason": "New city",
    }
    response = client.post(reverse("admin:partnerships_partner_add"), form)
    assert "looks like a partner the directory already has" in response.content.decode()
    assert Partner.objects.filter(name="Kobe").count() == 1
    response = client.post(reverse("admin:partnerships_partner_add"), form | {"confirm_new": "on"})
    assert response.status_code == 302
    assert Partner.objects.filter(name="Kobe").count() == 2


def test_history_shows_who_changed_what_and_restores_an_earlier_version(client, reviewer, places):
    client.force_login(reviewer)
    client.post(ADD_URL, relationship_form(places, notes="First wording"))
    link = Relationship.objects.get()
    second = relationship_form(places, notes="Second wording", change_reason="Typo")
    client.post(change_url(link), sent_from(client, change_url(link), second))
    history_url = reverse("admin:partnerships_relationship_history", args=[link.pk])
    page = client.get(history_url).content.decode()
    assert "reviewer" in page and "Typo" in page and "Second wording" in page
    first = link.history.order_by("history_date").first()
    revert_url = reverse("admin:partnerships_relationship_simple_history", args=[link.pk, first.history_id])
    restore = relationship_form(places, notes="First wording", change_reason="Restore the first wording")
    client.post(revert_url, sent_from(client, revert_url, restore))
    link.refresh_from_db()
    assert link.notes == "First wording"


def test_an_editors_restore_also_waits_for_review(client, editor, places):
    link = make_relationship(places["seattle"], places["kobe"], notes="Published")
    first = link.history.first()
    link.notes = "Changed"
    link.save()
    client.force_login(editor)
    revert_url = reverse("admin:partnerships_relationship_simple_history", args=[link.pk, first.history_id])
    form = relationship_form(places, jp_partner=places["kobe"].pk, notes="Published", change_reason="Restore")
    client.post(revert_url, sent_from(client, revert_url, form))
    link.refresh_from_db()
    assert link.notes == "Changed"
    assert ChangeRequest.objects.get().proposed["notes"] == "Published"


def test_repeated_failed_sign_ins_are_locked_out(client):
    make_user(EDITORS, "officer")
    statuses = [
        client.post("/admin/login/", {"username": "officer", "password": "wrong"}).status_code for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks the account
    response = client.post("/admin/login/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many failed sign-ins" in response.content
    assert "_auth_user_id" not in client.session


def test_a_good_sign_in_works(client):
    make_user(EDITORS, "officer")
    response = client.post("/admin/login/?next=/admin/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_staff_pages_are_not_indexed(client):
    response = client.get("/admin/login/")
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_admin_forms_need_a_csrf_token(editor, places):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post(ADD_URL, relationship_form(places)).status_code == 403


def test_published_changes_are_listed_and_in_the_feed_but_drafts_are_not(client, editor, reviewer, places):
    client.force_login(editor)
    client.post(ADD_URL, relationship_form(places))
    client.logout()
    assert "Seattle – Himeji" not in client.get("/changes/").content.decode()
    change = ChangeRequest.objects.get()
    change.approve(reviewer)
    page = client.get("/changes/").content.decode()
    assert "Seattle – Himeji" in page and "City council resolution" in page
    feed = client.get("/changes/feed/")
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "Seattle – Himeji" in feed.content.decode()


@pytest.mark.parametrize("role", [EDITORS, REVIEWERS])
@pytest.mark.parametrize("model", ["partner", "relationship", "agreement", "program", "source", "topic"])
def test_staff_pages_render_for_both_roles(client, places, role, model):
    link = make_relationship(places["seattle"], places["kobe"])
    client.force_login(make_user(role, f"{role}-{model}"))
    assert client.get(reverse(f"admin:partnerships_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:partnerships_{model}_add")).status_code == 200
    if model in ("partner", "relationship"):
        record = places["kobe"] if model == "partner" else link
        assert client.get(reverse(f"admin:partnerships_{model}_change", args=[record.pk])).status_code == 200
        assert client.get(reverse(f"admin:partnerships_{model}_history", args=[record.pk])).status_code == 200


def test_an_editor_sees_a_submission_but_no_publish_button(client, editor, reviewer, places):
    client.force_login(editor)
    client.post(ADD_URL, relationship_form(places))
    review_url = reverse("admin:partnerships_changerequest_review", args=[ChangeRequest.objects.get().pk])
    page = client.get(review_url)
    assertContains(page, "Himeji")
    assert not elements(page, "input", name="approve") and not elements(page, "button", name="approve")
    client.force_login(reviewer)  # (the button a reviewer sees, which the editor's page lacks)
    assertContains(
        client.get(review_url), '<input type="submit" name="approve" value="Publish" class="default">', html=True
    )


def test_an_editor_proposes_a_relationship_from_a_partners_page(client, editor, places):
    client.force_login(editor)
    seattle = places["seattle"]
    prefix = "us_relationships"
    form = {
        "name": seattle.name,
        "slug": seattle.slug,
        "kind": seattle.kind,
        "country": "US",
        "parent": seattle.parent.pk,
        "change_reason": "Sister city agreement signed",
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-jp_partner": places["himeji"].pk,
        f"{prefix}-0-kind": "sister_city",
        f"{prefix}-0-status": "active",
        f"{prefix}-0-sources": [places["source"].pk],
    }
    url = reverse("admin:partnerships_partner_change", args=[seattle.pk])
    response = client.post(url, sent_from(client, url, form))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not Relationship.objects.exists()
    change = ChangeRequest.objects.get(content_type__model="relationship")
    assert change.proposed["jp_partner"] == places["himeji"].pk
    assert change.proposed["us_partner"] == seattle.pk


def test_anonymous_visitors_cannot_publish_or_delete(client, editor, places):
    link = make_relationship(places["seattle"], places["kobe"])
    client.force_login(editor)
    client.post(ADD_URL, relationship_form(places))
    client.logout()
    change = ChangeRequest.objects.get()
    review = client.post(reverse("admin:partnerships_changerequest_review", args=[change.pk]), {"approve": "1"})
    delete = client.post(reverse("admin:partnerships_relationship_delete", args=[link.pk]), {"post": "yes"})
    assert review.status_code == delete.status_code == 302
    change.refresh_from_db()
    assert change.status == "pending"
    assert Relationship.objects.filter(pk=link.pk).exists()


def test_the_change_log_and_its_feed_say_what_changed_field_by_field(client, editor, reviewer, places):
    link = make_relationship(places["seattle"], places["kobe"])
    client.force_login(editor)
    form = relationship_form(
        places, jp_partner=places["kobe"].pk, established="1957-10-01", established_precision="month"
    )
    client.post(change_url(link), sent_from(client, change_url(link), form))
    ChangeRequest.objects.get().approve(reviewer)
    client.logout()
    page = client.get("/changes/")
    was, now = '<span class="visually-hidden">was </span>', '<span class="visually-hidden">now </span>'
    change = f"<li>{{}}: <del>{was}—</del> → <ins>{now}{{}}</ins></li>".format  # "—": not stated before
    assertContains(page, change("Established", "1957-10-01"), html=True)
    assertContains(page, change("Precision of the date", "month"), html=True)
    assertContains(page, "City council resolution of 3 May 2024")
    feed = client.get("/changes/feed/").content.decode()
    assert "—" in feed and "1957-10-01" in feed


def test_an_editors_buttons_say_the_change_goes_to_review(client, editor, reviewer, places):
    """An editor's save publishes nothing; its button must not say "Save" as if it did."""
    link = make_relationship(places["seattle"], places["kobe"])
    client.force_login(editor)
    save = '<input type="submit" value="{}" class="default" name="_save">'.format
    for url in (change_url(link), ADD_URL):
        page = client.get(url)
        assertContains(page, save("Send for review"), html=True)
        assert not elements(page, "input", value="Save")
    japanese = client.get(change_url(link), HTTP_ACCEPT_LANGUAGE="ja")
    assertContains(japanese, save("送信して確認を依頼"), html=True)
    client.force_login(reviewer)
    assertContains(client.get(change_url(link)), save("Save"), html=True)


def test_a_record_entered_from_the_partners_own_page_is_verified_on_a_primary_page(client, editor, reviewer, places):
    """An officer enters a tie from the town's own page and says so: once published, it is verified
    on a primary page, that page listed as its check; entered without saying what page it is, it
    says it was entered and not yet checked, not 'not found on a public page'."""
    town_page = "https://www.city.himeji.lg.jp/sister-cities.html"
    client.force_login(editor)
    client.post(
        ADD_URL,
        relationship_form(
            places, sources=[], new_source_url=town_page, new_source_title="Himeji's sister cities",
            new_source_kind="municipal",
        ),
    )  # fmt: skip
    ChangeRequest.objects.get().approve(reviewer)
    link = Relationship.objects.get()
    assert link.verification == "primary"
    check = link.checks.get()
    assert (check.verdict, check.page_kind, check.source.url) == ("confirmed", "municipal", town_page)
    page = client.get(link.get_absolute_url())
    assertContains(page, "verified on a primary page")
    assert "officer" not in page.content.decode()  # the staff member's name is not shown

    other = make_relationship(places["seattle"], places["kobe"], sources=[places["source"]])
    assert other.verification == "entered"
    page = client.get(other.get_absolute_url())
    assertContains(page, "entered from its source, not yet checked")
    assertNotContains(page, "not found on a public page")
    assertContains(client.get(other.get_absolute_url().replace("/en/", "/ja/")), "出典から入力（未確認）")
