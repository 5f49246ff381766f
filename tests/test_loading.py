"""`load_directory` writes the bundled data in bulk: a number of queries set by the kinds of
record, not by how many records there are; loading again updates in place and keeps edits."""

import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.management.commands.load_directory import BUNDLED_FIXTURES
from partnerships.models import (
    Agreement,
    Participation,
    Partner,
    PartnerSeeking,
    Program,
    Relationship,
    RelationshipEvent,
    Source,
    Topic,
    Verification,
)
from partnerships.platform.loading import RELOADED, load_fixtures
from partnerships.staff.roles import REVIEWERS
from tests.builders import make_account

pytestmark = pytest.mark.django_db
FIXTURES = [settings.FIXTURE_DIRS[0] / f"{name}.json" for name in BUNDLED_FIXTURES]


def empty_the_directory():
    for model in (PartnerSeeking, Participation, Program, Agreement, Verification, Relationship):
        model.objects.all().delete()
    Partner.objects.exclude(represents=None).delete()
    Partner.objects.exclude(parent=None).delete()
    for model in (Partner, Topic, Source):
        model.objects.all().delete()
    for model in (PartnerSeeking, Participation, Program, Agreement, Relationship, Partner, Topic, Source):
        model.history.all().delete()


def queries_to_load(paths):
    with CaptureQueriesContext(connection) as queries:
        load_fixtures(paths)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_data(tmp_path):
    """Half the relationships (and their checks) load with exactly as many queries as all of them."""
    half = []
    for path in FIXTURES:
        records = json.loads(path.read_text(encoding="utf-8"))
        if path.stem == "relationships":
            total = len(records)
            records = records[: total // 2]
            kept = {record["pk"] for record in records}
        elif path.stem in ("verifications", "events"):
            records = [record for record in records if record["fields"]["relationship"] in kept]
        (tmp_path / path.name).write_text(json.dumps(records), encoding="utf-8")
        half.append(tmp_path / path.name)
    small = queries_to_load(half)
    assert Relationship.objects.count() == len(kept)
    empty_the_directory()
    full = queries_to_load(FIXTURES)
    assert Relationship.objects.count() == total
    assert full == small
    assert full < 70  # a few per kind of record; loaddata needed about 9,500


def test_everything_is_loaded_with_its_links_and_search_text():
    call_command("load_directory", verbosity=0)
    counts = {
        name: sum(1 for _ in json.loads(p.read_text())) for name, p in zip(BUNDLED_FIXTURES, FIXTURES, strict=True)
    }
    assert Relationship.objects.count() == counts["relationships"]
    assert Verification.objects.count() == counts["verifications"]
    assert RelationshipEvent.objects.count() == counts["events"]
    kobe = Partner.objects.get(slug="kobe-hyogo")
    assert kobe.parent.slug == "hyogo-prefecture"
    assert kobe.search_text == kobe.build_search_text()
    seattle_kobe = Relationship.objects.get(us_partner__slug="seattle-wa", jp_partner=kobe)
    assert seattle_kobe.sources.count() >= 2 and seattle_kobe.checks.exists()
    renewal = Agreement.objects.exclude(renews=None).first()
    assert renewal.renews.signed <= renewal.signed
    assert Participation.objects.count() == 17


def test_loading_again_updates_the_bundled_records_and_keeps_the_rest():
    call_command("load_directory", verbosity=0)
    link = Relationship.objects.get(us_partner__slug="seattle-wa", jp_partner__slug="kobe-hyogo")
    established = link.established
    Relationship.objects.filter(pk=link.pk).update(established=None, established_precision="")
    added = Partner.objects.create(name="Edited Town", slug="edited-town", kind="us_city", country="US")
    before = {model: model.objects.count() for model in (Partner, Relationship, Participation, Verification)}
    call_command("load_directory", reload=True, verbosity=0)
    link.refresh_from_db()
    assert link.established == established
    assert Partner.objects.filter(pk=added.pk).exists()
    assert {model: model.objects.count() for model in before} == before
    # What it changed is in the record's history, as an edit would be.
    newest = link.history.first()
    assert (newest.history_change_reason, newest.established) == (RELOADED, established)
    assert link.history.count() == 2


def edit_as_staff(record, user, **values):
    """A published edit as the admin writes it: the record saved with its author and reason in the history."""
    for name, value in values.items():
        setattr(record, name, value)
    record._history_user = user
    record._change_reason = "City council resolution of 3 May 2024"
    record.save()


def test_loading_again_refuses_to_overwrite_staff_edits_and_names_them():
    call_command("load_directory", verbosity=0)
    reviewer = make_account(REVIEWERS, "suzuki")
    link = Relationship.objects.get(us_partner__slug="seattle-wa", jp_partner__slug="kobe-hyogo")
    edit_as_staff(link, reviewer, notes="Renewed in 2027, says the city")
    kobe = Partner.objects.get(slug="kobe-hyogo")
    edit_as_staff(kobe, reviewer, name_kana="こうべし (checked)")
    untouched = Relationship.objects.exclude(pk=link.pk).order_by("pk").first()
    Relationship.objects.filter(pk=untouched.pk).update(notes="Changed without a history")
    with pytest.raises(CommandError) as refused:
        call_command("load_directory", reload=True, verbosity=0)
    message = str(refused.value)
    assert message.startswith("Nothing was loaded: it would overwrite 2 record(s) staff have edited")
    assert f"relationship #{link.pk} “{link}”, edited by suzuki on" in message
    assert f"partner #{kobe.pk} “{kobe}”, edited by suzuki" in message
    assert "--overwrite-edits" in message
    # Nothing was loaded: neither the edits nor the record changed without a history were touched.
    link.refresh_from_db()
    kobe.refresh_from_db()
    assert link.notes == "Renewed in 2027, says the city"
    assert kobe.name_kana == "こうべし (checked)"
    assert Relationship.objects.get(pk=untouched.pk).notes == "Changed without a history"
    assert not Relationship.history.filter(history_change_reason=RELOADED).exists()


def test_loading_again_over_edits_when_told_to_keeps_them_in_the_history():
    call_command("load_directory", verbosity=0)
    reviewer = make_account(REVIEWERS, "suzuki")
    link = Relationship.objects.get(us_partner__slug="seattle-wa", jp_partner__slug="kobe-hyogo")
    bundled = link.notes
    edit_as_staff(link, reviewer, notes="Renewed in 2027, says the city")
    call_command("load_directory", reload=True, overwrite_edits=True, verbosity=0)
    link.refresh_from_db()
    assert link.notes == bundled
    reloaded, edit, first = link.history.all()[:3]
    assert (reloaded.history_change_reason, reloaded.notes) == (RELOADED, bundled)
    assert (edit.history_user, edit.notes) == (reviewer, "Renewed in 2027, says the city")


def test_a_staff_edit_the_bundled_data_agrees_with_does_not_stop_a_reload():
    call_command("load_directory", verbosity=0)
    link = Relationship.objects.get(us_partner__slug="seattle-wa", jp_partner__slug="kobe-hyogo")
    edit_as_staff(link, make_account(REVIEWERS, "suzuki"))
    call_command("load_directory", reload=True, verbosity=0)
    assert link.history.count() == 2


def test_bundled_records_start_with_a_first_history_version():
    call_command("load_directory", verbosity=0)
    link = Relationship.objects.get(us_partner__slug="seattle-wa", jp_partner__slug="kobe-hyogo")
    first = link.history.get()
    assert first.history_change_reason == "Loaded from the bundled data (fixtures/)"
    assert first.established == link.established
    assert Partner.history.count() == Partner.objects.count()
    # Loading again adds no second version of unchanged records.
    call_command("load_directory", reload=True, verbosity=0)
    assert link.history.count() == 1
