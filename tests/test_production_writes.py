"""Every write path works right after the bundled data is loaded, and right after a restore.

The loader and a restore write rows with their own ids; on PostgreSQL the tables' sequences must
then be moved past them, or the next record added takes an id that is already used (a 500). SQLite
hides this, so these tests matter on PostgreSQL (`DATABASE_URL=postgres://… pytest`). Each test starts
from fresh sequences, as a new database does."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from partnerships.models import ChangeRequest, Partner, PartnerSeeking, Relationship, Source, Verification
from partnerships.staff import review
from partnerships.staff.roles import EDITORS, REVIEWERS
from tests.builders import STAFF_PASSWORD, make_account

pytestmark = pytest.mark.django_db(transaction=True, reset_sequences=True)

ADD_URL = reverse("admin:partnerships_relationship_add")
IMPORT_URL = reverse("admin:partnerships_relationship_import")
SEEKING_ADD_URL = reverse("admin:partnerships_partnerseeking_add")


def unlinked_pair():
    """A US city and a Japanese municipality of the bundled data with no relationship between them."""
    us = Partner.objects.filter(kind=Partner.Kind.US_CITY).order_by("slug")
    jp = Partner.objects.filter(kind=Partner.Kind.JP_MUNICIPALITY).order_by("slug")
    for us_partner in us[:20]:
        for jp_partner in jp[:50]:
            if not Relationship.objects.filter(us_partner=us_partner, jp_partner=jp_partner).exists():
                return us_partner, jp_partner
    raise AssertionError("every pair is linked")


def addition(us_partner, jp_partner, **overrides):
    return {
        "us_partner": us_partner.pk,
        "jp_partner": jp_partner.pk,
        "kind": "sister_city",
        "status": "active",
        "sources": [Source.objects.order_by("pk").first().pk],
        "change_reason": "City council resolution of 3 May 2024",
    } | overrides


LOADED = [Relationship, Verification, PartnerSeeking]


def highest_ids():
    """The highest id of each kind of record the bundled data gives with its own ids."""
    return {model: model.objects.order_by("-pk").values_list("pk", flat=True)[0] for model in LOADED}


def every_write_path_adds_records(client, loaded):
    """A reviewer's addition, an editor's published addition, an import, a check and a seeking record:
    each saved, with an id above every id loaded."""
    reviewer = make_account(REVIEWERS, "reviewer")
    editor = make_account(EDITORS, "officer")

    client.force_login(reviewer)
    us_partner, jp_partner = unlinked_pair()
    assert client.post(ADD_URL, addition(us_partner, jp_partner)).status_code == 302
    added = Relationship.objects.get(us_partner=us_partner, jp_partner=jp_partner)
    assert added.pk > loaded[Relationship]

    client.force_login(editor)
    us_partner, jp_partner = unlinked_pair()
    assert client.post(ADD_URL, addition(us_partner, jp_partner, kind="friendship")).status_code == 302
    proposal = ChangeRequest.objects.get(author=editor)
    client.force_login(reviewer)
    review_url = reverse("admin:partnerships_changerequest_review", args=[proposal.pk])
    assert client.post(review_url, {"approve": "1", "note": ""}).status_code == 302
    published = Relationship.objects.get(us_partner=us_partner, jp_partner=jp_partner)
    assert published.pk > loaded[Relationship]

    us_partner, jp_partner = unlinked_pair()
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(
        ["id", "kind", "established", "us_name", "us_region_code", "jp_name", "jp_region_code", "source_urls"]
    )
    writer.writerow(
        ["", "sister city", "1990-04", us_partner.name, us_partner.parent.iso_code, jp_partner.name,
         jp_partner.parent.iso_code, "https://example.org/imported"]
    )  # fmt: skip
    upload = SimpleUploadedFile("rows.csv", rows.getvalue().encode(), content_type="text/csv")
    page = client.post(IMPORT_URL, {"file": upload}).content.decode()
    assert "1 to add" in page, page
    signed = page.split('name="rows" value="')[1].split('"')[0]
    assert client.post(IMPORT_URL, {"confirm": "1", "rows": signed, "reason": "Consulate list"}).status_code == 302
    imported = Relationship.objects.get(us_partner=us_partner, jp_partner=jp_partner)
    assert imported.pk > loaded[Relationship]

    # Checks and seeking records are kept by a superuser (neither role may add them).
    superuser = User.objects.create_superuser("admin", password=STAFF_PASSWORD)
    client.force_login(superuser)
    check = review.submit(
        Verification(),
        {"relationship": imported, "verdict": Verification.Verdict.CONFIRMED, "checked": datetime.date(2026, 12, 1)},
        superuser,
        "Checked the city's page",
    )
    assert check.pk > loaded[Verification]

    seeking = {
        "partner": jp_partner.pk,
        "wants": PartnerSeeking.Wants.US,
        "countries": "United States",
        "source": Source.objects.order_by("pk").first().pk,
        "checked": "2026-12-01",
        "change_reason": "CLAIR's list of December 2026",
    }
    response = client.post(SEEKING_ADD_URL, seeking)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert PartnerSeeking.objects.get(partner=jp_partner).pk > loaded[PartnerSeeking]


def test_every_write_path_works_right_after_load_directory(client):
    call_command("load_directory", verbosity=0)
    every_write_path_adds_records(client, highest_ids())


def test_every_write_path_works_right_after_a_restore(client, tmp_path):
    call_command("load_directory", verbosity=0)
    loaded = highest_ids()
    if connection.vendor == "postgresql":
        # A backup of a database whose sequences were left behind (loaded before they were reset):
        # the restore must still leave them past the rows it brings back.
        with connection.cursor() as cursor:
            for model in LOADED:
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), 1, false)", [model._meta.db_table])
    path = tmp_path / "directory.backup"
    call_command("backup", str(path), verbosity=0)
    Relationship.objects.all().delete()
    call_command("restore", str(path), verbosity=0)
    assert Relationship.objects.order_by("-pk").values_list("pk", flat=True)[0] == loaded[Relationship]
    every_write_path_adds_records(client, loaded)


def test_a_restore_brings_back_the_sequences_of_the_backup(tmp_path):
    """What pg_restore does by itself: the sequences are as they were at the backup, so ids handed
    out after it are handed out again (their rows are gone with the restore)."""
    call_command("load_directory", verbosity=0)
    path = tmp_path / "directory.backup"
    call_command("backup", str(path), verbosity=0)
    source = Source.objects.create(slug="after-the-backup", title="After", url="https://example.org/after")
    call_command("restore", str(path), verbosity=0)
    assert not Source.objects.filter(slug="after-the-backup").exists()
    again = Source.objects.create(slug="after-the-restore", title="Again", url="https://example.org/again")
    assert again.pk == source.pk
