import datetime

import pytest

from partnerships.models import Agreement, Partner, Program, Relationship
from partnerships.public.filters import (
    AgreementFilter,
    FilterForm,
    PartnerFilter,
    ProgramFilter,
    RelationshipFilter,
    SeekingFilter,
)
from tests.builders import (
    make_agreement,
    make_jp_city,
    make_prefecture,
    make_program,
    make_relationship,
    make_source,
    make_state,
    make_topic,
    make_us_city,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    washington = make_state()
    oregon = make_state(name="Oregon", code="OR", name_ja="オレゴン州")
    hyogo = make_prefecture()
    toyama = make_prefecture(name="Toyama", number="16", name_ja="富山県", name_kana="とやまけん")
    seattle = make_us_city(state=washington)
    portland = make_us_city(name="Portland", state=oregon)
    kobe = make_jp_city(prefecture=hyogo, aliases="Kōbe")
    sapporo = make_jp_city(name="Sapporo", name_ja="札幌市", prefecture=toyama, name_kana="さっぽろし")
    return locals()


def relationships(data):
    return list(RelationshipFilter(data, queryset=Relationship.objects.all()).qs)


def test_q_matches_english_japanese_kana_and_aliases(places):
    seattle_kobe = make_relationship(places["seattle"], places["kobe"])
    portland_sapporo = make_relationship(places["portland"], places["sapporo"])
    assert relationships({"q": "kobe"}) == [seattle_kobe]
    assert relationships({"q": "神戸"}) == [seattle_kobe]
    assert relationships({"q": "札"}) == [portland_sapporo]
    assert relationships({"q": "さっぽろ"}) == [portland_sapporo]
    assert relationships({"q": "Kōbe"}) == [seattle_kobe]


def test_q_requires_every_word(places):
    seattle_kobe = make_relationship(places["seattle"], places["kobe"])
    make_relationship(places["portland"], places["kobe"])
    assert relationships({"q": "seattle kobe"}) == [seattle_kobe]
    assert relationships({"q": "seattle sapporo"}) == []


def test_state_filter_covers_the_state_and_its_cities(places):
    city_link = make_relationship(places["seattle"], places["kobe"])
    state_link = make_relationship(places["washington"], places["hyogo"], kind=Relationship.Kind.SISTER_STATE)
    make_relationship(places["portland"], places["sapporo"])
    assert set(relationships({"state": ["WA"]})) == {city_link, state_link}


def test_several_states_combine_with_or(places):
    make_relationship(places["seattle"], places["kobe"])
    make_relationship(places["portland"], places["sapporo"])
    assert len(relationships({"state": ["WA", "OR"]})) == 2


def test_prefecture_filter_uses_the_iso_number(places):
    link = make_relationship(places["portland"], places["sapporo"])
    make_relationship(places["seattle"], places["kobe"])
    assert relationships({"prefecture": ["16"]}) == [link]


def test_unknown_state_is_an_error_not_an_empty_match(places):
    filterset = RelationshipFilter({"state": ["ZZ"]}, queryset=Relationship.objects.all())
    assert not filterset.is_valid()
    assert "state" in filterset.errors


def test_established_range(places):
    old = make_relationship(
        places["seattle"], places["kobe"], established=datetime.date(1957, 10, 1), established_precision="month"
    )
    make_relationship(
        places["portland"], places["sapporo"], established=datetime.date(1990, 1, 1), established_precision="year"
    )
    assert relationships({"established_after": "1950", "established_before": "1960"}) == [old]


def test_a_year_that_is_not_a_number_is_an_error(places):
    filterset = RelationshipFilter({"established_after": "nineteen"}, queryset=Relationship.objects.all())
    assert not filterset.is_valid()


def test_corroborated_filter(places):
    first, second = make_source(), make_source()
    corroborated = make_relationship(places["seattle"], places["kobe"], sources=[first, second])
    single = make_relationship(places["portland"], places["sapporo"], sources=[first])
    assert relationships({"corroborated": "true"}) == [corroborated]
    assert relationships({"corroborated": "false"}) == [single]


def test_topic_filter_does_not_repeat_rows(places):
    energy, climate = make_topic(), make_topic(name="Climate")
    link = make_relationship(places["seattle"], places["kobe"])
    link.topics.set([energy, climate])
    assert relationships({"topic": ["clean-energy", "climate"]}) == [link]


def test_sort_by_established(places):
    late = make_relationship(
        places["seattle"], places["kobe"], established=datetime.date(1990, 1, 1), established_precision="year"
    )
    early = make_relationship(
        places["portland"], places["sapporo"], established=datetime.date(1960, 1, 1), established_precision="year"
    )
    assert relationships({"sort": "established"}) == [early, late]
    assert relationships({"sort": "-established"}) == [late, early]


def test_partner_filter_by_kind_and_country(places):
    found = PartnerFilter({"kind": ["us_city"], "country": ["US"]}, queryset=Partner.objects.all()).qs
    assert set(found) == {places["seattle"], places["portland"]}


def test_partner_filter_finds_a_prefecture_and_its_municipalities(places):
    found = PartnerFilter({"prefecture": ["28"]}, queryset=Partner.objects.all()).qs
    assert set(found) == {places["hyogo"], places["kobe"]}


def test_partner_filter_by_having_relationships(places):
    make_relationship(places["seattle"], places["kobe"])
    with_links = PartnerFilter({"has_relationships": "true"}, queryset=Partner.objects.all()).qs
    assert set(with_links) == {places["seattle"], places["kobe"]}
    without = PartnerFilter({"has_relationships": "false"}, queryset=Partner.objects.all()).qs
    assert places["seattle"] not in without and places["portland"] in without


def test_partner_sort_by_reading(places):
    found = PartnerFilter(
        {"kind": ["jp_prefecture"], "sort": "reading"}, queryset=Partner.objects.with_relationship_count()
    ).qs
    assert [p.name for p in found] == ["Toyama", "Hyogo"]  # と (to) comes before ひ (hi) in kana order


def test_agreement_filter_by_party_state_and_topic(places):
    energy = make_topic()
    washington_hyogo = make_agreement(parties=[places["washington"], places["hyogo"]], topics=[energy])
    make_agreement(parties=[places["oregon"]])
    assert list(AgreementFilter({"state": ["WA"]}, queryset=Agreement.objects.all()).qs) == [washington_hyogo]
    assert list(AgreementFilter({"topic": ["clean-energy"]}, queryset=Agreement.objects.all()).qs) == [washington_hyogo]


def test_program_filter_by_participant_prefecture(places):
    program = make_program(participants=[(places["kobe"], "lead")])
    make_program(participants=[(places["seattle"], "host")])
    assert list(ProgramFilter({"prefecture": ["28"]}, queryset=Program.objects.all()).qs) == [program]


@pytest.mark.parametrize(
    "filterset_class", [PartnerFilter, RelationshipFilter, AgreementFilter, ProgramFilter, SeekingFilter]
)
def test_every_lists_filter_form_is_the_one_form_drawn_in_python(filterset_class):
    """Each list's form is django-filter's, on the one `FilterForm` (Meta.form) that draws inputs in
    Python: a new list that forgot it would draw its filters through Django's templates."""
    from partnerships.html.widgets import RENDERER

    form = filterset_class(data={}, queryset=filterset_class._meta.model.objects.all()).form
    assert isinstance(form, FilterForm)
    assert form.renderer is RENDERER


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("filterset_class", [PartnerFilter, RelationshipFilter, AgreementFilter, ProgramFilter])
def test_the_filter_forms_draw_every_field_as_djangos_own_widgets_would(places, filterset_class, language):
    """partnerships/html/widgets.py writes inputs and selects in Python: the same HTML as Django's
    templates, for every field of every list, with chosen values and characters to escape."""
    from django.forms.renderers import DjangoTemplates
    from django.utils import translation

    from partnerships.html.widgets import FilterFormRenderer

    data = {"q": "Kobe <\"&'>", "sort": "-established", "state": ["WA"], "year_from": "1950", "undated": "true"}
    with translation.override(language):
        form = filterset_class(data=data, queryset=filterset_class._meta.model.objects.all()).form
        assert isinstance(form.renderer, FilterFormRenderer)
        djangos = DjangoTemplates()
        for field in form:
            attrs = field.build_widget_attrs({"id": field.auto_id})
            ours = field.field.widget.render(field.html_name, field.value(), attrs=attrs, renderer=form.renderer)
            theirs = field.field.widget.render(field.html_name, field.value(), attrs=attrs, renderer=djangos)
            assert ours == theirs, field.name
