"""Each idea has one definition, and every place that shows it agrees: corroboration (and its labels),
a partner's state or prefecture (and its code in a link), yes/no filters, the review workflow
(nothing reaches the published record, not even a source, before a reviewer approves it; approving
is once and never stale), the US and Japanese kinds, the verification vocabulary, the output format,
a decade, a relationship's derived columns, a name in the reader's language, the page's language, a
date as precise as stated, a new partner's slug, and whether two partners are the same."""

import csv
import datetime
import io
import json
import re
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains

from partnerships.models import (
    ChangeRequest,
    Country,
    Partner,
    Relationship,
    Source,
    Verification,
    decade_of,
    in_regions,
    region_of,
)
from partnerships.models.records import JP_ONLY_KINDS, US_ONLY_KINDS
from partnerships.models.review import partners_for
from partnerships.public import maps, renderers
from partnerships.public.forms import ChartForm
from partnerships.public.renderers import output_format
from partnerships.rules import evidence, regions, slugs
from partnerships.rules.dates import precise_date
from partnerships.rules.names import name_pair
from partnerships.staff import imports, review
from partnerships.staff.roles import EDITORS, REVIEWERS
from tests.builders import (
    make_account,
    make_agreement,
    make_jp_city,
    make_prefecture,
    make_relationship,
    make_source,
    make_state,
    make_us_city,
)

pytestmark = pytest.mark.django_db
LIST_URL = reverse("partnerships:relationship-list")
FIXTURE_PLACES = Path(__file__).resolve().parent.parent / "fixtures" / "places.json"


@pytest.fixture
def links():
    washington, hyogo = make_state(), make_prefecture()
    kobe = make_jp_city(prefecture=hyogo)
    three = make_relationship(make_us_city(state=washington), kobe, sources=[make_source() for _ in range(3)])
    one = make_relationship(make_us_city(name="Tacoma", state=washington), kobe, sources=[make_source()])
    sister_state = make_relationship(washington, hyogo, kind="sister_state", sources=[make_source(), make_source()])
    return {"three": three, "one": one, "state": sister_state, "washington": washington, "hyogo": hyogo}


# --- Corroboration: partnerships.rules.evidence, everywhere --------------------------------------------


def test_two_sources_corroborate_and_one_does_not_in_the_filter_the_export_and_the_badge(client, links):
    """At the boundary: a record with two sources and one with a single source, as the list's
    filter, the CSV's `corroborated` column and each record's badge show them."""
    one, two = links["one"], links["state"]
    assert (one.sources.count(), two.sources.count()) == (1, 2)
    filtered = client.get(LIST_URL, {"corroborated": "true", "format": "json"}).json()
    listed = {row["id"] for row in filtered["results"]}
    assert two.pk in listed and one.pk not in listed
    export = client.get(LIST_URL, {"format": "csv"})
    column = {
        int(row["id"]): row["corroborated"]
        for row in csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode().removeprefix("\ufeff")))
    }
    assert (column[one.pk], column[two.pk]) == ("false", "true")
    assertContains(
        client.get(two.get_absolute_url()), '<span class="badge badge-ok">Corroborated (2 sources)</span>', html=True
    )
    assertContains(client.get(one.get_absolute_url()), '<span class="badge">One source</span>', html=True)


def test_the_detail_page_badge_counts_the_sources(client, links):
    page = client.get(links["three"].get_absolute_url()).content.decode()
    assert "Corroborated (3 sources)" in page
    assert "One source" not in page
    assert "One source" in client.get(links["one"].get_absolute_url()).content.decode()


def test_bad_yes_no_values_come_back_as_errors_in_the_format_asked_for(client, links):
    errors = client.get(LIST_URL, {"corroborated": "maybe", "format": "json"})
    assert errors.status_code == 400 and "corroborated" in errors.json()["errors"]
    export = client.get(LIST_URL, {"corroborated": "maybe", "format": "csv"})
    assert export.status_code == 400 and "corroborated" in export.content.decode()


def test_list_filter_facet_export_and_badge_agree(client, links):
    corroborated = {links["three"].pk, links["state"].pk}
    assert set(Relationship.objects.corroborated().values_list("pk", flat=True)) == corroborated
    assert set(Relationship.objects.corroborated(False).values_list("pk", flat=True)) == {links["one"].pk}
    data = client.get(LIST_URL, {"format": "json"}).json()
    assert {item["value"]: item["count"] for item in data["facets"]["corroborated"]} == {"true": 2, "false": 1}
    assert {row["id"] for row in data["results"] if row["corroborated"]} == corroborated
    filtered = client.get(LIST_URL, {"format": "json", "corroborated": "true"}).json()
    assert {row["id"] for row in filtered["results"]} == corroborated
    for link in Relationship.objects.all():
        assert link.is_corroborated == (link.pk in corroborated)


# --- Yes/no filters: "true" or "false", anything else is a bad request ---------------------------


@pytest.mark.parametrize(
    ("url", "name"),
    [
        (LIST_URL, "corroborated"),
        (reverse("partnerships:partner-list"), "has_relationships"),
        (reverse("partnerships:map"), "corroborated"),
    ],
)
def test_a_yes_no_filter_refuses_anything_but_true_or_false(client, links, url, name):
    page = client.get(url, {name: "maybe"})
    assert page.status_code == 400
    assert "Select a valid choice" in page.content.decode()
    assert client.get(url, {name: "true"}).status_code == 200
    assert client.get(url, {name: ""}).status_code == 200


# --- A partner's state or prefecture: region_of and in_regions -----------------------------------


def test_a_region_is_itself_or_what_it_sits_in(client, links):
    codes = Partner.objects.annotate(region=region_of()).values_list("slug", "region")
    assert dict(codes)["washington"] == "US-WA"
    assert dict(codes)["seattle-wa"] == "US-WA"
    inside = set(Partner.objects.filter(in_regions(["JP-28"])).values_list("slug", flat=True))
    assert inside == {"hyogo-prefecture", "kobe-hyogo"}
    # The filter, the facet, the export column and the data page's counts say the same.
    data = client.get(LIST_URL, {"format": "json", "prefecture": "28"}).json()
    assert data["count"] == 3
    assert {row["jp_region_code"] for row in data["results"]} == {"JP-28"}
    assert [(item["value"], item["count"]) for item in data["facets"]["state"]] == [("WA", 3)]
    by_state = Relationship.objects.count_by_region("us_partner")
    assert [(row["region_slug"], row["count"]) for row in by_state] == [("washington", 3)]


# --- Review: nothing before approval, approval once, never over a newer edit ----------------------


def test_an_editors_change_of_sources_waits_for_review(links):
    editor, reviewer = make_account(EDITORS, "editors"), make_account(REVIEWERS, "reviewers")
    link, added = links["one"], make_source()
    before = set(link.sources.values_list("pk", flat=True))
    proposal = review.submit(link, {"sources": [*link.sources.all(), added]}, editor, "The city's page")
    assert isinstance(proposal, ChangeRequest)
    assert set(link.sources.values_list("pk", flat=True)) == before
    proposal.approve(reviewer)
    assert added in link.sources.all()


def test_nothing_to_change_sends_nothing(links):
    editor = make_account(EDITORS, "editors")
    link = links["one"]
    assert review.submit(link, {"notes": link.notes}, editor, "No change") is None
    assert not ChangeRequest.objects.exists()


def csv_upload(rows):
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(["kind", "us_name", "us_region_code", "jp_name", "jp_region_code", "source_titles", "source_urls"])
    writer.writerows(rows)
    return SimpleUploadedFile("links.csv", output.getvalue().encode("utf-8"), content_type="text/csv")


def import_as(client, user, rows):
    client.force_login(user)
    url = reverse("admin:partnerships_relationship_import")
    page = client.post(url, {"file": csv_upload(rows)}).content.decode()
    signed = page.split('name="rows" value="')[1].split('"')[0]
    return client.post(url, {"confirm": "1", "rows": signed, "reason": "Consulate list of June 2026"})


NEW_PAGE = "https://www.city.himeji.lg.jp/sister-cities"


def test_an_editors_import_creates_no_source_before_approval(client, links):
    make_jp_city(name="Himeji", name_ja="姫路市", prefecture=links["hyogo"])
    editor, reviewer = make_account(EDITORS, "editors"), make_account(REVIEWERS, "reviewers")
    sources_before = Source.objects.count()
    import_as(client, editor, [["sister city", "Tacoma", "US-WA", "Himeji", "JP-28", "Himeji city", NEW_PAGE]])
    assert Source.objects.count() == sources_before
    assert client.get(reverse("partnerships:about")).status_code == 200
    proposal = ChangeRequest.objects.get()
    assert proposal.new_sources == [{"url": NEW_PAGE, "title": "Himeji city"}]
    assert any(row["proposed"] == f"Himeji city — {NEW_PAGE}" for row in proposal.differences())
    link = proposal.approve(reviewer)
    assert link.sources.get().url == NEW_PAGE
    assert Source.objects.count() == sources_before + 1


def test_a_rejected_import_leaves_no_source_behind(client, links):
    make_jp_city(name="Himeji", name_ja="姫路市", prefecture=links["hyogo"])
    editor, reviewer = make_account(EDITORS, "editors"), make_account(REVIEWERS, "reviewers")
    sources_before = Source.objects.count()
    import_as(client, editor, [["sister city", "Tacoma", "US-WA", "Himeji", "JP-28", "Himeji city", NEW_PAGE]])
    ChangeRequest.objects.get().reject(reviewer, "No such tie on the city's page")
    assert Source.objects.count() == sources_before
    assert not Relationship.objects.filter(jp_partner__name="Himeji").exists()


def test_approving_twice_applies_once(links):
    editor, reviewer = make_account(EDITORS, "editors"), make_account(REVIEWERS, "reviewers")
    link = links["one"]
    review.submit(link, {"notes": "Signed at city hall"}, editor, "Minutes")
    first, second = ChangeRequest.objects.get(), ChangeRequest.objects.get()  # two reviewers' pages
    first.approve(reviewer)
    with pytest.raises(ValidationError, match="already been reviewed"):
        second.approve(reviewer)
    assert link.history.count() == 2  # created, then this one change
    with pytest.raises(ValidationError, match="already been reviewed"):
        second.reject(reviewer, "Too late")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_two_reviewers_approving_at_once_apply_it_once():
    washington, hyogo = make_state(), make_prefecture()
    link = make_relationship(make_us_city(state=washington), make_jp_city(prefecture=hyogo))
    editor, reviewer = make_account(EDITORS, "editors"), make_account(REVIEWERS, "reviewers")
    proposal = review.submit(link, {"notes": "Signed at city hall"}, editor, "Minutes")
    outcomes = []
    barrier = threading.Barrier(2)

    def approve():
        barrier.wait()
        try:
            ChangeRequest.objects.get(pk=proposal.pk).approve(reviewer)
            outcomes.append("published")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["published", "refused"]
    assert link.history.count() == 2


def test_a_stale_proposal_is_refused_not_applied_over_a_newer_edit(links):
    editor, reviewer = make_account(EDITORS, "editors"), make_account(REVIEWERS, "reviewers")
    link = links["one"]
    proposal = review.submit(link, {"notes": "Editor's wording"}, editor, "Minutes")
    review.submit(link, {"notes": "Reviewer's newer wording"}, reviewer, "Corrected from the city's page")
    with pytest.raises(ValidationError, match="changed since this was proposed"):
        proposal.approve(reviewer)
    link.refresh_from_db()
    assert link.notes == "Reviewer's newer wording"
    proposal.refresh_from_db()
    assert proposal.status == ChangeRequest.Status.PENDING


def test_the_whole_reason_is_kept_in_the_history(links):
    reviewer = make_account(REVIEWERS, "reviewers")
    reason = "Council resolution No. 42 of 3 May 2024, read on the city's page; " * 6
    review.submit(links["one"], {"notes": "Signed"}, reviewer, reason)
    assert links["one"].history.first().history_change_reason == reason


# --- The US and Japanese kinds: records.US_ONLY_KINDS, records.JP_ONLY_KINDS ------------------------


@pytest.mark.parametrize(
    ("kind", "elsewhere"),
    [(kind, Country.JP) for kind in US_ONLY_KINDS] + [(kind, Country.US) for kind in JP_ONLY_KINDS],
)
def test_a_kind_of_one_country_is_refused_in_the_other_by_the_form_and_the_database(kind, elsewhere):
    partner = Partner(name="Nowhere", slug="nowhere", kind=kind, country=elsewhere)
    with pytest.raises(ValidationError, match="country"):
        partner.clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Partner.objects.bulk_create([partner])


# --- The verification vocabulary: partnerships.rules.evidence (State, Verdict, Page) --------------


def test_every_state_the_rule_gives_is_one_the_model_can_store_and_show():
    pages = [*Verification.PageKind.values, ""]
    given = {
        evidence.verification_state(checks)
        for verdict in Verification.Verdict.values
        for page in pages
        for checks in ([], [(verdict, page)], [(verdict, page), (Verification.Verdict.CONFIRMED, page)])
    }
    assert given == set(Verification.State.values)
    assert list(evidence.VERDICTS) == Verification.Verdict.values
    assert set(evidence.PRIMARY_PAGES) < set(Verification.PageKind.values)


def test_a_check_added_in_the_admin_sets_the_state_the_build_would(links):
    link = links["one"]
    page = make_source()
    Verification.objects.create(
        relationship=link, source=page, verdict=Verification.Verdict.CONFIRMED,
        page_kind=Verification.PageKind.CLAIR, checked="2026-06-01",
    )  # fmt: skip
    link.refresh_from_db()
    assert link.verification == evidence.verification_state([("confirmed", "clair")]) == Verification.State.PRIMARY
    assert link.get_verification_display() == "verified on a primary page"


# --- The output format: renderers.output_format(form) -------------------------------------------------


@pytest.mark.parametrize("asked", ["csv", "json", "CSV", ""])
def test_the_statistics_page_reads_its_format_through_output_format(client, links, monkeypatch, asked):
    read = []
    monkeypatch.setattr(renderers, "output_format", lambda form: read.append(form) or output_format(form))
    page = client.get(reverse("partnerships:statistics"), {"format": asked, "chart": "decades"})
    assert len(read) == 1
    expected = output_format(ChartForm({"format": asked, "chart": "decades"}))
    assert page["Content-Type"].startswith("text/csv") == (expected == "csv")
    assert page.status_code == 200


# --- "Two or more": every label of corroboration says evidence.CORROBORATING_SOURCES -----------------


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        (
            "en",
            ["Corroborated by three or more sources", "three or more sources agree", "by three or more independent"],
        ),
        ("ja", ["3件以上の出典による裏付け", "3件以上の出典が一致しているか", "3件以上の独立した出典で裏付け"]),
    ],
)
def test_every_label_of_corroboration_follows_the_rule(client, links, monkeypatch, language, labels):
    monkeypatch.setattr(evidence, "CORROBORATING_SOURCES", 3)
    pages = "".join(client.get(f"/{language}/{page}").content.decode() for page in ("relationships/", "about/"))
    for label in labels:
        assert label in pages


# --- A decade: records.decade_of ----------------------------------------------------------------------


def test_a_decade_is_decade_of_for_every_filter_facet_and_column(client, links):
    links["one"].established, links["one"].established_precision = datetime.date(1959, 12, 31), "day"
    links["one"].save()
    links["three"].established, links["three"].established_precision = datetime.date(1960, 1, 1), "day"
    links["three"].save()
    signed = make_agreement(
        [links["washington"], links["hyogo"]], signed=datetime.date(1959, 12, 31), signed_precision="day"
    )
    make_agreement([links["washington"]], signed=datetime.date(1960, 1, 1), signed_precision="day")
    computed = dict(Relationship.objects.annotate(computed=decade_of("established")).values_list("pk", "computed"))
    assert dict(Relationship.objects.values_list("pk", "decade")) == computed
    assert computed[links["one"].pk] == 1950 and computed[links["three"].pk] == 1960
    agreements = reverse("partnerships:agreement-list")
    for url, key, found in ((LIST_URL, "id", links["one"].pk), (agreements, "slug", signed.slug)):
        data = client.get(url, {"format": "json", "decade": "1950"}).json()
        assert [row[key] for row in data["results"]] == [found]
    facets = client.get(LIST_URL, {"format": "json"}).json()["facets"]
    assert {item["value"]: item["count"] for item in facets["decade"]} == {"1950": 1, "1960": 1, "none": 1}


# --- A relationship's derived columns: Relationship.derived_columns ----------------------------------


def test_a_save_and_a_refresh_give_every_derived_column_the_same_value(links):
    assert set(Relationship.derived_columns()) == set(Relationship.DERIVED)
    link = links["three"]
    link.established, link.established_precision = datetime.date(1957, 10, 1), "month"
    link.save()
    saved = {column: getattr(link, column) for column in Relationship.DERIVED}
    assert (saved["us_region"], saved["jp_region"], saved["decade"], saved["source_count"]) == (
        "US-WA",
        "JP-28",
        1950,
        3,
    )
    assert (saved["us_name"], saved["jp_name"]) == ("Seattle", "Kobe")
    blank = {"source_count": 0, "us_name": "", "jp_name": "", "us_region": "", "jp_region": "", "search_text": ""}
    Relationship.objects.filter(pk=link.pk).update(decade=None, **blank)
    Relationship.objects.filter(pk=link.pk).refresh_derived()
    link.refresh_from_db()
    assert {column: getattr(link, column) for column in Relationship.DERIVED} == saved


def test_a_regions_code_in_a_link_is_the_one_mapping_of_rules_regions(client, links):
    washington, hyogo = links["washington"], links["hyogo"]
    assert [regions.in_link(washington.iso_code), regions.in_link(hyogo.iso_code)] == [
        ("state", "WA"),
        ("prefecture", "28"),
    ]
    # The region's page, the map's line for the pair and the facets link with the same values...
    page = client.get(washington.get_absolute_url()).content.decode()
    assert f"{LIST_URL}?state=WA" in page.replace("&amp;", "&")
    pairs = maps.region_pairs(Relationship.objects.all(), LIST_URL)
    assert [link["url"] for link in pairs["links"]] == [f"{LIST_URL}?state=WA&prefecture=28"]
    data = client.get(LIST_URL, {"format": "json"}).json()
    assert [item["value"] for item in data["facets"]["state"]] == ["WA"]
    assert [item["value"] for item in data["facets"]["prefecture"]] == ["28"]
    # ...and those values choose the relationships whose stored region (region_of) has that code.
    for name, value in (("state", "WA"), ("prefecture", "28")):
        chosen = client.get(LIST_URL, {"format": "json", name: value}).json()
        column = "us_region" if name == "state" else "jp_region"
        stored = Relationship.objects.filter(**{column: regions.iso_code(name, value)})
        assert {row["id"] for row in chosen["results"]} == set(stored.values_list("pk", flat=True)) != set()


# --- A name in the reader's language: rules.names.name_pair, on the map too ----------------------------


def map_json(page):
    return json.loads(re.search(r'<script id="map-data" type="application/json">(.*?)</script>', page, re.S)[1])


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_map_gives_its_script_the_names_ordered_by_name_pair(client, links, language):
    data = map_json(client.get(f"/{language}/map/").content.decode())
    kobe = Partner.objects.get(slug="kobe-hyogo")
    shown = data["partners"][str(kobe.pk)]["names"]
    assert [tuple(name) for name in shown] == name_pair(str(kobe), kobe.name_ja, page=language)
    assert shown[0] == (["神戸市", "ja"] if language == "ja" else ["Kobe, Hyogo", "en"])


# --- The page's language: rules.languages.page_language ----------------------------------------------


@pytest.mark.parametrize(
    ("path", "browser", "language"),
    [("/ja/relationships/", "en", "ja"), ("/en/relationships/", "ja", "en"), ("/relationships/", "ja", "ja")],
)
def test_every_part_of_a_page_follows_its_one_language(client, links, path, browser, language):
    page = client.get(path, headers={"accept-language": browser})
    html = page.content.decode()
    assert page["Content-Language"] == language
    assert f'<html lang="{language}">' in html
    # The filters' labels and the names in the rows take the same language as the page.
    if language == "ja":
        assert '兵庫県 (<span lang="en">Hyogo</span>)' in html
        assert '神戸市</a> (<span lang="en">Kobe</span>)' in html
    else:
        assert 'Hyogo (<span class="ja" lang="ja">兵庫県</span>)' in html
        assert 'Kobe</a> (<span class="ja" lang="ja">神戸市</span>)' in html


# --- A date as precise as stated: rules.dates.precise_date ---------------------------------------------


@pytest.mark.parametrize(("language", "stated"), [("en", "October 1957"), ("ja", "1957年10月")])
def test_a_date_is_as_precise_as_stated_on_the_page_the_map_and_the_calendar(client, links, language, stated):
    link = links["three"]
    link.established, link.established_precision = datetime.date(1957, 10, 1), "month"
    link.save()
    with translation.override(language):
        assert precise_date(link.established, link.established_precision) == stated
    page = client.get(f"/{language}/relationships/{link.pk}/").content.decode()
    assert stated in page
    data = map_json(client.get(f"/{language}/map/").content.decode())
    assert {row["id"]: row["established"] for row in data["links"]}[link.pk] == stated
    calendar = client.get(f"/{language}/anniversaries.ics", {"year": "2027"}).content.decode()
    assert stated in calendar.replace("\r\n ", "")


# --- A new partner's slug: partnerships.rules.slugs (Partner.new_slug) ----------------------------------


def test_a_new_partner_gets_the_slug_scheme_of_the_bundled_data_wherever_it_is_added(client, links):
    hyogo = links["hyogo"]
    bundled = {row["fields"]["slug"]: row["fields"] for row in json.loads(FIXTURE_PLACES.read_text())}
    for slug in ("kobe-hyogo", "seattle-wa"):
        place = bundled[slug]
        region = bundled[place["parent"][0] if isinstance(place["parent"], list) else place["parent"]]
        assert slugs.partner_slug(place["name"], region["iso_code"], region["name"]) == slug
    # An editor's new partner, in the admin...
    client.force_login(make_account(REVIEWERS, "reviewers"))
    form = {
        "name": "Himeji",
        "name_ja": "姫路市",
        "slug": "",
        "kind": "jp_municipality",
        "country": "JP",
        "parent": hyogo.pk,
        "local_gov_code": "282014",
        "change_reason": "New city",
        "confirm_new": "on",
    }
    assert client.post(reverse("admin:partnerships_partner_add"), form).status_code == 302
    assert Partner.objects.get(name="Himeji").slug == "himeji-hyogo"
    # ...and one an addition brings with it (a name shared inside the prefecture takes its code).
    reviewer = make_account(REVIEWERS, "second")
    item = {
        "field": "jp_partner",
        "name": "Himeji",
        "kind": "jp_municipality",
        "country": "JP",
        "parent": hyogo.pk,
        "local_gov_code": "282099",
    }
    assert partners_for([item], reviewer, "Another Himeji")["jp_partner"].slug == "himeji-hyogo-282099"


# --- "Is this the same partner": PartnerQuerySet.same_as -------------------------------------------------


def test_the_admin_and_an_import_agree_on_which_partner_is_the_same(links):
    hyogo = links["hyogo"]
    himeji = make_jp_city(
        name="Himeji", name_ja="姫路市", prefecture=hyogo, aliases="Shikama\nHirohata", local_gov_code="282014"
    )

    def in_the_import(name="", code=""):
        row = {"jp_slug": "", "jp_name": name, "jp_name_ja": "", "jp_region_code": "JP-28", "jp_local_gov_code": code}
        try:
            return [imports._partner(row, "jp", Country.JP)]
        except ValidationError:
            return []

    def in_the_admin(name="", code=""):
        return Partner.objects.similar_to(name=name, parent=hyogo, codes={"local_gov_code": code})

    for described in ({"name": "himeji"}, {"name": "姫路市"}, {"name": "Hirohata"}, {"code": "28201"}):
        assert in_the_admin(**described) == in_the_import(**described) == [himeji]
    # An alias is a whole line of them: "Shika" is not "Shikama".
    assert in_the_admin(name="Shika") == in_the_import(name="Shika") == []
