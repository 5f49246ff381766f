"""The hand-written SQL (partnerships/sql/) held to the plain ORM's answers on the bundled data.

Every list's facets are counted by statements written for speed: one GROUPING SETS statement on
PostgreSQL, a materialised CTE on SQLite when searching, several GROUP BYs in one UNION ALL. Here
each count is asked again the obvious way — for each facet, the records that every *other* chosen
filter matches, grouped by the facet's value, each record counted once — and the list's total with
`.count()`, over a grid of filters on every list: searches (Latin, kana, kanji, a single kanji too
short for a trigram, a misspelling that is corrected), regions, topics (many-to-many), decades,
undated records, corroboration. The relationship search (an FTS5 table on SQLite, trigram indexes
on PostgreSQL) is held to a plain Python filter over the same folded names and notes.
"""

import itertools
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.db.models import Count, F
from django.http import QueryDict

from partnerships.models import DataVersion, Relationship, Topic
from partnerships.public import facets as facets_module
from partnerships.public.views.lists import (
    AgreementListView,
    PartnerListView,
    ProgramListView,
    RelationshipListView,
    SeekingListView,
)
from partnerships.rules.search import query_words

pytestmark = pytest.mark.django_db

# Latin, kanji, kana, a single kanji (shorter than a trigram), a misspelling (searched as its
# correction), two words (one found in the notes), a name with a macron.
SEARCHES = ["", "san", "神戸", "こうべ", "市", "Seatle", "sister city", "ōsaka"]

# For each list, the filters crossed with every search: one value, several values of one filter
# (OR), several filters (AND), and the many-to-many topic filters that may repeat a record.
FILTERS = {
    "relationships": [
        {},
        {"kind": ["sister_state"]},
        {"state": ["WA"]},
        {"state": ["WA", "CA"], "prefecture": ["28"]},
        {"prefecture": ["28", "01"], "kind": ["sister_city"]},
        {"topic": ["trade-investment"]},
        {"topic": ["trade-investment", "people-to-people"], "state": ["CA"]},
        {"decade": ["1960"]},
        {"decade": ["1990", "none"]},
        {"decade": ["1980"], "undated": "true"},
        {"established_after": "1970", "established_before": "1999"},
        {"established_after": "1990", "undated": "true"},
        {"corroborated": "true"},
        {"corroborated": "false", "kind": ["sister_city"], "decade": ["1960", "1970"]},
        {"verification": ["primary", "disputed"]},
        {"partner": "honolulu-hi"},
    ],
    "partners": [
        {},
        {"country": ["JP"]},
        {"kind": ["us_city", "jp_municipality"]},
        {"state": ["WA"]},
        {"state": ["CA", "HI"], "kind": ["us_city"]},
        {"prefecture": ["28"], "has_relationships": "true"},
        {"has_relationships": "false"},
        {"represents": ["US-AK", "JP-40"]},
        {"closed": "true"},
        {"country": ["US"], "closed": "false", "has_relationships": "true"},
    ],
    "agreements": [
        {},
        {"kind": ["memorandum_of_cooperation"]},
        {"status": ["superseded", "active"]},
        {"topic": ["trade-investment"]},
        {"topic": ["climate-change", "clean-energy"], "status": ["unknown"]},
        {"state": ["WA"]},
        {"prefecture": ["28", "13"]},
        {"decade": ["2010"]},
        {"decade": ["none"]},
        {"decade": ["2020"], "undated": "true"},
    ],
    "programs": [
        {},
        {"status": ["unknown"]},
        {"topic": ["clean-energy"]},
        {"topic": ["climate-change", "entrepreneurship"], "status": ["active", "unknown"]},
        {"state": ["WA", "CA"]},
        {"prefecture": ["13"]},
    ],
    "seeking": [
        {},
        {"wants": ["us"]},
        {"wants": ["asia", "other"]},
        {"prefecture": ["08"]},
        {"prefecture": ["08", "47"], "wants": ["us"]},
    ],
}

VIEWS = {
    "relationships": RelationshipListView,
    "partners": PartnerListView,
    "agreements": AgreementListView,
    "programs": ProgramListView,
    "seeking": SeekingListView,
}

# Filters that join a to-many relation, so that a record can come more than once (the facets then
# count apart, not in one pass).
REPEATING = {"topic"}
# A facet counted on its link table, as the plain ORM names it from the record.
FROM_THE_RECORD = {"relationships": {"topic": "topics__slug"}}

# Every filter set with no search, a Latin word and kanji (the paths a search takes: none, the
# index, the one-pass CTE); every other search with no filter and each list's two richest sets.
EVERY_FILTER_SET = SEARCHES[:3]


def combinations(grid):
    yield from itertools.product(EVERY_FILTER_SET, grid)
    yield from itertools.product(SEARCHES[3:], [grid[0], *grid[-2:]])


GRID = [
    pytest.param(name, q, filters, id=f"{name}?{urlencode({'q': q, **filters}, doseq=True)}")
    for name, grid in FILTERS.items()
    for q, filters in combinations(grid)
]


@pytest.fixture(autouse=True)
def real_data(bundled_data):
    """The bundled data (loaded once for the session, see conftest.py). Its relationships carry no
    topics yet: some are given two here (rolled back after each test), so that the relationships'
    topic facet and filter count something, a record in two topics among them."""
    through = Relationship.topics.through
    trade, culture = Topic.objects.get(slug="trade-investment"), Topic.objects.get(slug="people-to-people")
    ids = list(Relationship.objects.order_by("pk").values_list("pk", flat=True))
    links = [through(relationship_id=pk, topic=trade) for pk in ids[::3]]
    links += [through(relationship_id=pk, topic=culture) for pk in ids[::4]]
    through.objects.bulk_create(links)


def filterset(name, q, filters):
    data = QueryDict(urlencode({**filters, **({"q": q} if q else {})}, doseq=True))
    view = VIEWS[name]
    result = view.filterset_class(data, queryset=view.queryset.all())
    assert result.is_valid(), result.errors
    return result


def as_counts(values):
    """{value: count} of a facet's values, without the chosen values that no record has (listed
    with 0 so they can be unticked)."""
    assert all(value["selected"] for value in values if value["count"] == 0)
    return {value["value"]: value["count"] for value in values if value["count"]}


def plainly_counted(name, q, filters):
    """({facet: {value: count}}, total), each asked of the ORM the obvious way."""
    whole = filterset(name, q, filters)
    model = whole.queryset.model
    counts = {}
    for facet_name, facet in whole.facets.items():
        # The records every other chosen filter matches, as django-filter itself selects them.
        others = filterset(name, q, {key: value for key, value in filters.items() if key != facet_name})
        expression = FROM_THE_RECORD.get(name, {}).get(facet_name, facet.expression)
        rows = (
            model.objects.filter(pk__in=others.qs.values("pk"))
            .values(value=F(expression) if isinstance(expression, str) else expression)
            .annotate(count=Count("pk", distinct=True))
        )
        labels = facet.labels or whole.labels(facet_name)
        counted = {}
        for row in rows:
            value = row["value"]
            value = facet.none if value is None and facet.none else value
            if value is None or value == "":
                continue
            value = str(value).lower() if isinstance(value, bool) else str(value)
            if not value.startswith(facet.prefix):
                continue
            value = value.removeprefix(facet.prefix)
            if value in labels:
                counted[value] = row["count"]
        counts[facet_name] = counted
    total = model.objects.filter(pk__in=whole.qs.values("pk")).count()
    return counts, total


def one_pass_expected(name, q, filters, forced):
    """Whether the facets are counted in one pass: on PostgreSQL, or on SQLite for a search (or
    when forced), when two facets or more count over the same records, none of them repeated."""
    shown = filterset(name, q, filters)
    shared = [
        facet_name
        for facet_name, facet in shown.facets.items()
        if facet_name not in filters and facet.through is None and not facet.distinct
    ]
    searched = connection.vendor == "postgresql" or bool(q) or forced
    return searched and len(shared) >= 2 and not REPEATING & set(filters)


@pytest.mark.parametrize("name,q,filters", GRID)
def test_facet_counts_and_the_total_are_the_plain_orms(monkeypatch, name, q, filters):
    """As a list shows them (`facet_counts`, the list's count); then counted in one pass
    (`counted_in_one_pass`: GROUPING SETS, or SQLite's materialised CTE, forced here even without a
    search), each facet it counts and the total."""
    expected, total = plainly_counted(name, q, filters)
    shown = filterset(name, q, filters)
    counts = shown.facet_counts()
    assert {facet: as_counts(values) for facet, values in counts.items()} == expected
    assert list(counts) == list(shown.facets)  # shown in the filters' order, however counted
    # The list's count: counted with the facets where they were counted in one pass, else by the page.
    assert shown.total in (None, total)
    assert shown.qs.count() == total

    count = facets_module.count_in_one_pass
    for forced in (False, True):
        if forced:
            monkeypatch.setattr(
                facets_module,
                "count_in_one_pass",
                lambda matching, expressions, searched: count(matching, expressions, True),
            )
        shown = filterset(name, q, filters)
        counted = shown.counted_in_one_pass()
        assert bool(counted) == one_pass_expected(name, q, filters, forced)
        assert {facet: as_counts(values) for facet, values in counted.items()} == {
            facet: expected[facet] for facet in counted
        }
        assert shown.total == (total if counted else None)


RELATIONSHIP_SEARCHES = [
    "san",
    "SAN JOSE",
    "神戸",
    "こうべ",
    "市",
    "港",
    "ōsaka",
    "Hyōgo",
    "sister city",
    "st. paul",
    "washington 兵庫",
    "ｺｳﾍﾞ",
    "ka",
    "Seatle",
    "friendship",
    "no such place",
]


@pytest.mark.parametrize("q", RELATIONSHIP_SEARCHES)
def test_the_relationship_search_finds_what_a_plain_filter_over_names_and_notes_finds(q):
    """Every folded word of the query in the relationship's folded names (`search_text`) or in its
    notes, whatever the case: the index on either database finds no more and no fewer."""
    words = query_words(q)
    expected = {
        pk
        for pk, names, notes in Relationship.objects.values_list("pk", "search_text", "notes")
        if all(word in names or word in notes.casefold() for word in words)
    }
    assert set(Relationship.objects.search(q).values_list("pk", flat=True)) == expected


def test_the_searches_compared_find_something_and_not_everything():
    """The comparison above is worth having: most of its queries find some relationships, none all."""
    found = [Relationship.objects.search(q).count() for q in RELATIONSHIP_SEARCHES]
    assert sum(1 for n in found if n) >= 10
    assert max(found) < Relationship.objects.count()


def test_the_current_data_version_is_the_row_as_stored():
    stored = DataVersion.objects.get(pk=1)
    assert DataVersion.current() == (stored.number, stored.changed)
    DataVersion.bump()
    bumped = DataVersion.objects.get(pk=1)
    assert bumped.number == stored.number + 1
    assert DataVersion.current() == (bumped.number, bumped.changed)
