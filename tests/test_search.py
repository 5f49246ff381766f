import pytest
from django.db import connection
from django.db.models import Q
from pytest_django.asserts import assertContains

from partnerships.models import Partner, Relationship
from partnerships.rules.search import fold, search_text
from tests.builders import make_jp_city, make_prefecture, make_relationship, make_state, make_us_city
from tests.markup import elements


@pytest.mark.parametrize(
    "typed,folded",
    [
        ("Ōita", "oita"),
        ("OITA", "oita"),
        ("Ｏｉｔａ", "oita"),
        ("St. Paul", "saint paul"),
        ("st paul", "saint paul"),
        ("Saint-Paul", "saint paul"),
        ("Mt. Vernon", "mount vernon"),
        ("Winston–Salem", "winston salem"),
        ("ｺｳﾍﾞ", "コウベ"),
        ("がっこう", "がっこう"),
        ("神戸", "神戸"),
        ("Hyōgo Prefecture", "hyogo prefecture"),
        ("ko\x00be", "kobe"),
    ],
)
def test_fold_makes_what_people_type_comparable(typed, folded):
    assert fold(typed) == folded


def test_search_text_marks_every_name_and_the_japanese_name_without_its_suffix():
    assert search_text("Kobe", "神戸市", "こうべし") == "|kobe|神戸市|神戸|こうべし|"


@pytest.fixture
def places(db):
    oita_pref = make_prefecture(name="Oita", number="44", name_ja="大分県", name_kana="おおいたけん")
    hokkaido = make_prefecture(name="Hokkaido", number="01", name_ja="北海道", name_kana="ほっかいどう")
    minnesota = make_state(name="Minnesota", code="MN", name_ja="ミネソタ州")
    oita = make_jp_city(name="Oita", name_ja="大分市", prefecture=oita_pref, name_kana="おおいたし", aliases="Ōita")
    sapporo = make_jp_city(name="Sapporo", name_ja="札幌市", prefecture=hokkaido, name_kana="さっぽろし")
    hirosaki = make_jp_city(name="Hirosaki", name_ja="弘前市", prefecture=hokkaido, slug="hirosaki-aomori")
    tamana = make_jp_city(
        name="Tamana", name_ja="玉名市", prefecture=oita_pref, aliases="Tensui\n天水町", slug="tamana-kumamoto"
    )
    st_paul = make_us_city(name="St. Paul", state=minnesota, slug="saint-paul-mn", aliases="Saint Paul")
    return locals()


def names(queryset):
    return [partner.name for partner in queryset]


@pytest.mark.parametrize("query", ["Oita", "oita", "OITA", "Ōita", "大分", "おおいた"])
def test_a_city_is_found_however_it_is_written(places, query):
    assert "Oita" in names(Partner.objects.search(query))


@pytest.mark.parametrize("query", ["札", "札幌", "大", "道"])
def test_one_and_two_character_japanese_queries_match_as_substrings(places, query):
    expected = {p.name for p in Partner.objects.all() if query in p.name_ja}
    assert expected
    assert expected <= set(names(Partner.objects.search(query)))


def test_st_and_saint_find_the_same_city(places):
    assert names(Partner.objects.search("Saint Paul")) == ["St. Paul"]
    assert names(Partner.objects.search("st. paul")) == ["St. Paul"]
    assert names(Partner.objects.search("St Paul")) == ["St. Paul"]


def test_a_name_from_before_a_merger_finds_the_successor(places):
    assert names(Partner.objects.search("Tensui")) == ["Tamana"]
    assert names(Partner.objects.search("天水")) == ["Tamana"]


def test_partial_words_and_several_words(places):
    assert names(Partner.objects.search("sapp")) == ["Sapporo"]
    assert names(Partner.objects.search("sapporo hokkaido")) == ["Sapporo"]
    assert names(Partner.objects.search("sapporo oita")) == []


def test_exact_names_rank_before_prefixes_before_other_matches(places):
    # "oita": the prefecture and the city are exact; "Oita Prefecture" isn't typed, so both rank 0;
    # a city inside Oita prefecture (Tamana) matches only through its prefecture and comes last.
    ranked = names(Partner.objects.search("oita"))
    assert ranked[-1] == "Tamana"
    assert set(ranked[:2]) == {"Oita"}


def test_a_prefix_ranks_before_a_match_inside_a_name(places):
    inside = make_jp_city(name="Kamisapporo", name_ja="上札幌町", slug="kamisapporo", prefecture=places["hokkaido"])
    ranked = names(Partner.objects.search("sappo"))
    assert ranked.index("Sapporo") < ranked.index(inside.name)


def test_relationships_are_found_by_either_side_in_either_script(places):
    link = make_relationship(places["st_paul"], places["oita"])
    for query in ["Saint Paul Ōita", "大分", "Minnesota", "ミネソタ", "おおいた"]:
        assert list(Relationship.objects.search(query)) == [link], query


def test_renaming_a_prefecture_updates_the_search_text_of_its_places(places):
    prefecture = places["oita_pref"]
    prefecture.name_ja = "大分県（改）"
    prefecture.name = "Bungo"
    prefecture.save()
    assert "Oita" in names(Partner.objects.search("bungo"))


def test_the_relationship_index_follows_every_change(places):
    """Found by a partner's new name, a state's new name, words of the notes; gone once deleted."""
    link = make_relationship(places["st_paul"], places["sapporo"], notes="Exchange of snow sculptors since 1972")
    assert list(Relationship.objects.search("sapporo")) == [link]
    assert list(Relationship.objects.search("sculptors")) == [link]
    assert list(Relationship.objects.search("SNOW 札幌")) == [link]
    places["sapporo"].name = "Sapporo-shi"
    places["sapporo"].name_ja = "さっぽろ市"
    places["sapporo"].save()
    assert list(Relationship.objects.search("さっぽろ市")) == [link]
    minnesota = Partner.objects.get(iso_code="US-MN")
    minnesota.name = "North Star State"
    minnesota.save()
    assert list(Relationship.objects.search("north star")) == [link]
    assert not Relationship.objects.search("minnesota").exists()
    link.notes = "Ice hockey"
    link.save()
    assert not Relationship.objects.search("sculptors").exists()
    assert list(Relationship.objects.search("hockey")) == [link]
    link.delete()
    assert not Relationship.objects.search("hockey").exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's full-text index")
def test_sqlite_answers_relationship_search_from_its_full_text_index(places):
    from partnerships.sql import fulltext

    make_relationship(places["st_paul"], places["oita"])
    plan = str(Relationship.objects.search("oita").explain())
    assert fulltext.SQLITE_INDEX in plan and "VIRTUAL TABLE INDEX" in plan
    # A single kanji has no trigram: matched with LIKE, and still found.
    assert Relationship.objects.search("大").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram indexes exist on PostgreSQL only")
def test_postgresql_answers_relationship_search_from_the_trigram_indexes(places):
    make_relationship(places["st_paul"], places["oita"])
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = Relationship.objects.search("oita").explain()
        cursor.execute("SET enable_seqscan = on")
    assert "relationship_search_text_trgm" in plan and "relationship_notes_trgm" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index exists on PostgreSQL only")
def test_postgresql_answers_name_search_from_the_trigram_index(places):
    queryset = Partner.objects.filter(search_text__contains="sapporo")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = queryset.explain()
        cursor.execute("SET enable_seqscan = on")
    assert "partner_search_text_trgm" in plan


def test_the_search_page_groups_results_with_counts_and_links(client, places):
    make_relationship(places["st_paul"], places["oita"])
    response = client.get("/search/", {"q": "大分"})
    assertContains(response, '<h2 id="group-partners">Partners <span class="count-inline">(3)</span></h2>', html=True)
    heading = '<h2 id="group-relationships">Relationships <span class="count-inline">(1)</span></h2>'
    assertContains(response, heading, html=True)
    assert elements(response, "a", href=places["oita"].get_absolute_url())


def test_the_search_page_as_json(client, places):
    make_relationship(places["st_paul"], places["oita"])
    data = client.get("/search/", {"q": "saint paul", "format": "json"}).json()
    assert data["groups"]["partners"]["count"] == 1
    assert data["groups"]["relationships"]["results"][0]["jp_name_ja"] == "大分市"
    assert data["groups"]["partners"]["url"].endswith("/partners/?q=saint+paul")


def test_an_overlong_query_is_refused_with_a_message(client, places):
    response = client.get("/search/", {"q": "x" * 300})
    assert response.status_code == 400
    assert b"at most 200 characters" in response.content


# Forgiving search: a query that matches nothing searches the closest name instead.


@pytest.mark.parametrize(
    "typed,found",
    [
        ("Seatle", "seattle-wa"),
        ("Kobee", "kobe-hyogo"),
        ("Sendia", "sendai-miyagi"),
        ("Hamamtsu", "hamamatsu-shizuoka"),
    ],
)
@pytest.mark.django_db
def test_a_misspelt_name_finds_its_record_on_the_bundled_data(client, bundled_data, typed, found):
    partner = Partner.objects.get(slug=found)
    assert Partner.objects.closest(typed)[0] == partner
    response = client.get("/relationships/", {"q": typed})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Nothing matches “{typed}”. Showing matches for “{partner.name}”" in html
    shown = {link.pk for link in response.context["object_list"]}
    own = Relationship.objects.filter(Q(us_partner=partner) | Q(jp_partner=partner))
    assert own.exists() and set(own.values_list("pk", flat=True)) <= shown


def test_exact_matches_are_never_replaced_by_close_names(client, places):
    assert Partner.objects.closest("Oitta")[0].name == "Oita"
    response = client.get("/partners/", {"q": "Oita"})
    assert response.context["filter"].correction is None
    assert b"Nothing matches" not in response.content


def test_a_query_like_no_name_says_so_and_offers_a_way_on(client, places):
    response = client.get("/search/", {"q": "xyzzy"})
    assert response.status_code == 200
    assert b"No name is close to this" in response.content
    assert client.get("/search/", {"q": "xyzzy", "format": "json"}).json()["suggestions"] == []


def test_the_search_page_offers_the_other_close_names(client, places):
    make_jp_city(name="Oiso", name_ja="大磯町", prefecture=places["hokkaido"])
    response = client.get("/search/", {"q": "Oisa"})
    html = response.content.decode()
    assert "Nothing matches “Oisa”" in html
    data = client.get("/search/", {"q": "Oisa", "format": "json"}).json()
    assert data["searched"] in ("Oita", "Oiso")
    assert set(data["suggestions"]) == {"Oita", "Oiso"}
    other = data["suggestions"][1]
    assert elements(html, "a", href=f"?q={other}")


def test_short_queries_are_not_second_guessed(places):
    assert Partner.objects.closest("Oi") == []
