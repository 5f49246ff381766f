"""Hostile text through every HTML drawer: names, titles, labels, addresses and notes holding
markup come out as text, never as markup, from every public function of `partnerships/html/` and
every template tag and filter of `{% load partnerships %}`.

Each drawer and tag needs a case below; one added without a case fails
`test_every_drawer_has_a_case` (and `test_every_table_has_records`, for a new table)."""

import datetime
import importlib
import inspect
import pkgutil
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django import forms
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

import partnerships.html
from partnerships.html import cards, markup, messages, names, navigation, tables, widgets
from partnerships.models import Agreement, Partner, PartnerSeeking, Program, Relationship
from partnerships.templatetags.partnerships import register
from tests.builders import make_agreement, make_program, make_source, make_topic

pytestmark = pytest.mark.django_db

# A tag, an event handler breaking out of a quoted attribute, an entity, a quote, a closing cell.
HOSTILE = "<script>boom</script>\"onmouseover=boom x='y' &amp; </td>"
HOSTILE_JA = f"神戸{HOSTILE}"

# Public names in partnerships/html that draw nothing, and why.
NOT_DRAWERS = {
    "tables.Column": "describes a column; its cells are drawn by table_rows, over every table in TABLES",
    "tables.fields": "field names for .only(), no markup",
}


class Markup(HTMLParser):
    """What a piece of markup holds: its elements, their attributes, and its text."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.starts, self.ends, self.attributes, self.texts = [], [], [], []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.starts.append(tag)
        self.attributes.extend(attrs)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.ends.append(tag)

    def handle_data(self, data):
        self.texts.append(data)


def assert_inert(output, shows=True):
    """No element, attribute or closing tag came from the hostile text; where the drawer shows it
    (`shows`), it is there whole, as text or an attribute's value."""
    parsed = Markup(f"<div>{output}</div>")
    assert "script" not in parsed.starts, output
    assert not [name for name, _value in parsed.attributes if name.startswith("on") or name == "x"], output
    for tag in set(parsed.ends):
        assert parsed.ends.count(tag) <= parsed.starts.count(tag), f"an unopened </{tag}> in {output}"
    if shows:
        values = [value or "" for _name, value in parsed.attributes]
        assert any(HOSTILE in piece for piece in parsed.texts + values), (
            f"the hostile text is not shown whole: {output}"
        )


def inside_tag(attributes):
    """Attributes drawn into a tag (' aria-current="page"'), as an element to parse."""
    return f"<a{attributes}></a>"


@pytest.fixture
def hostile():
    """Records whose every text holds HOSTILE: saved ones for the cards (they read related
    records), unsaved ones for the tables."""
    topic = make_topic(name=HOSTILE, name_ja=HOSTILE_JA, slug="hostile-topic")
    source = make_source(title=HOSTILE, url=f"https://example.org/?q={HOSTILE}")
    state = Partner.objects.create(
        name=HOSTILE, name_ja=HOSTILE_JA, slug="hostile-state", kind=Partner.Kind.US_STATE, country="US"
    )
    prefecture = Partner.objects.create(
        name=HOSTILE, name_ja=HOSTILE_JA, slug="hostile-prefecture", kind=Partner.Kind.JP_PREFECTURE, country="JP"
    )
    us = Partner.objects.create(
        name=HOSTILE, name_ja=HOSTILE_JA, slug="hostile-us", kind=Partner.Kind.US_CITY, country="US", parent=state
    )
    jp = Partner.objects.create(
        name=HOSTILE,
        name_ja=HOSTILE_JA,
        name_kana=HOSTILE,
        slug="hostile-jp",
        kind=Partner.Kind.JP_MUNICIPALITY,
        country="JP",
        parent=prefecture,
    )
    make_agreement(parties=[us, jp], topics=[topic], title=HOSTILE, title_ja=HOSTILE_JA, slug="hostile-agreement")
    make_program(
        participants=[(jp, "lead")],
        topics=[topic],
        name=HOSTILE,
        name_ja=HOSTILE_JA,
        summary=HOSTILE,
        summary_ja=HOSTILE_JA,
        slug="hostile-program",
        start_year=1990,
        end_year=2000,
    )
    PartnerSeeking.objects.create(
        partner=jp,
        wants="|us|",
        countries=HOSTILE,
        places=HOSTILE,
        conditions=HOSTILE,
        description=HOSTILE,
        population=7834,
        area_km2=23.11,
        as_of=datetime.date(2025, 6, 1),
        source=source,
        checked=datetime.date(2026, 11, 29),
    )
    # Unsaved, with what no form would let in: a kind outside the choices, an address as a slug.
    us_unsaved = Partner(name=HOSTILE, name_ja=HOSTILE_JA, slug=HOSTILE, kind=HOSTILE, country="US", parent=state)
    jp_unsaved = Partner(
        name=HOSTILE, name_ja=HOSTILE_JA, name_kana=HOSTILE, slug=HOSTILE, kind=HOSTILE, country="JP", parent=None
    )
    jp_unsaved.relationship_count = HOSTILE
    us_unsaved.relationship_count = 3
    links = [
        Relationship(pk=1, us_partner=us_unsaved, jp_partner=jp_unsaved, kind=HOSTILE, source_count=2),
        Relationship(
            pk=2,
            us_partner=us_unsaved,
            jp_partner=jp_unsaved,
            kind=HOSTILE,
            source_count=1,
            established=datetime.date(1957, 10, 21),
            established_precision="day",
        ),
    ]
    request = RequestFactory().get("/en/relationships/", {"sort": HOSTILE, "q": HOSTILE, "page": "2"})
    request.resolver_match = SimpleNamespace(url_name=HOSTILE)
    return SimpleNamespace(
        us=us,
        partners=[us_unsaved, jp_unsaved],
        links=links,
        agreements=Agreement.objects.filter(slug="hostile-agreement").prefetch_related("parties", "topics"),
        programs=Program.objects.filter(slug="hostile-program").prefetch_related("topics", "participations__partner"),
        seeking=PartnerSeeking.objects.filter(partner=jp).select_related("partner__parent", "source"),
        request=request,
        facet_values=[
            {"value": HOSTILE, "selected": True, "label": f"{HOSTILE} ({HOSTILE_JA})", "count": HOSTILE},
            {"value": HOSTILE, "selected": False, "label": HOSTILE, "count": 2},
        ],
    )


# The records each table is drawn over (tables.TABLES).
TABLE_RECORDS = {
    "relationships": lambda records: records.links,
    "related_relationships": lambda records: records.links,
    "partners": lambda records: records.partners,
}


def hostile_form():
    class HostileForm(forms.Form):
        q = forms.CharField(label=HOSTILE, widget=forms.TextInput(attrs={"placeholder": HOSTILE, "title": HOSTILE}))
        kind = forms.ChoiceField(
            choices=[(HOSTILE, HOSTILE), ("b", "b")], widget=forms.Select(attrs={"title": HOSTILE})
        )
        grouped = forms.ChoiceField(choices=[(HOSTILE, [(HOSTILE, HOSTILE)])])
        hidden = forms.CharField(widget=forms.HiddenInput)

    form = HostileForm(data={"q": HOSTILE, "kind": HOSTILE, "hidden": HOSTILE}, renderer=widgets.RENDERER)
    return mark_safe("".join(str(form[name]) for name in form.fields))


def hostile_headers(records):
    columns = [
        tables.Column("sorted", HOSTILE, None, sort="sorted"),
        tables.Column("plain", HOSTILE, None),
        tables.Column("hidden", HOSTILE, None, css=HOSTILE, hidden=True),
    ]
    return tables.table_headers(columns, records.request, {"sorted": "name"})


# html/: "module.name": [(draw(records) -> markup, shows the hostile text)]
DRAWERS = {
    "markup.escaped": [(lambda r: mark_safe(markup.escaped(HOSTILE)), True)],  # markup, as a str
    "names.marked": [(lambda r: names.marked(HOSTILE, "ja"), True), (lambda r: names.marked(HOSTILE, HOSTILE), True)],
    "names.bilingual_html": [
        (lambda r: names.bilingual_html(HOSTILE, HOSTILE_JA, url=HOSTILE), True),
        (lambda r: names.bilingual_html(HOSTILE, HOSTILE_JA, both=False, page="ja"), False),
    ],
    "names.marked_label": [(lambda r: names.marked_label(f"{HOSTILE} ({HOSTILE_JA})"), True)],
    "names.other_language": [(lambda r: names.other_language(HOSTILE, HOSTILE_JA), False)],
    "names.local_paragraph": [(lambda r: names.local_paragraph(HOSTILE, HOSTILE_JA, css=HOSTILE), True)],
    "navigation.current_page": [(lambda r: inside_tag(navigation.current_page(r.request, [HOSTILE])), False)],
    "messages.with_changes": [(lambda r: messages.with_changes(HOSTILE, [(HOSTILE, HOSTILE, HOSTILE)], HOSTILE), True)],
    "messages.links": [(lambda r: messages.links([(HOSTILE, HOSTILE)], separator=HOSTILE), True)],
    "messages.link": [(lambda r: messages.link(HOSTILE), True), (lambda r: messages.link(HOSTILE, HOSTILE), True)],
    "widgets.FilterFormRenderer": [(lambda r: hostile_form(), True)],
    "tables.corroboration": [
        (lambda r: tables.corroboration(r.links[0]), False),
        (lambda r: tables.corroboration(r.links[1]), False),
    ],
    "tables.table_headers": [(hostile_headers, True)],
    "tables.table_rows": [
        (lambda r, name=name: tables.table_rows(tables.TABLES[name], TABLE_RECORDS[name](r)), True)
        for name in TABLE_RECORDS
    ],
    "tables.sort_header": [(lambda r: tables.sort_header(r.request, HOSTILE, HOSTILE), True)],
    "tables.facet_values": [(lambda r: tables.facet_values(HOSTILE, r.facet_values), True)],
    "cards.agreement_cards": [(lambda r: cards.agreement_cards(r.agreements), True)],
    "cards.program_cards": [(lambda r: cards.program_cards(r.programs), True)],
    "cards.seeking_cards": [(lambda r: cards.seeking_cards(r.seeking), True)],
}

# {% load partnerships %}: "tag:name" or "filter:name": [(template, shows the hostile text)], drawn
# with the context below.
TAGS = {
    "tag:other_language": [("{% other_language h h_ja %}", False)],
    "tag:local_paragraph": [("{% local_paragraph h h_ja %}", True)],
    "tag:corroboration": [("{% corroboration link %}", False)],
    "tag:facet_values": [("{% facet_values h facet_values %}", True)],
    "tag:agreement_cards": [("{% agreement_cards agreements %}", True)],
    "tag:program_cards": [("{% program_cards programs %}", True)],
    "tag:seeking_cards": [("{% seeking_cards seeking %}", True)],
    "tag:precise_date": [("{% precise_date day 'day' %}", False)],
    "tag:list_separator": [("{% list_separator %}", False)],
    "tag:partner_name": [("{% partner_name partner %}", True), ("{% partner_name partner link=False %}", True)],
    "tag:bilingual": [("{% bilingual h h_ja h %}", True)],
    "tag:local_text": [("{% local_text h h_ja %}", True)],
    "tag:count_list": [("{% count_list pairs %}", True)],
    "tag:table_headers": [('{% table_headers "relationships" %}', False)],
    "tag:table_rows": [
        ('{% table_rows "relationships" links %}', True),
        ('{% table_rows "partners" partners %}', True),
    ],
    "tag:language_url": [('<a href="{% language_url "ja" %}">{% language_url "en" %}</a>', True)],
    "tag:current_page": [("<a{% current_page h %}></a>", False)],
    "filter:marked_label": [("{{ label|marked_label }}", True)],
    "filter:year": [("{{ h|year }}", True)],
    "filter:text_lang": [("{{ h|text_lang }}", False)],
    "filter:name_text": [("{{ partner|name_text }}", True)],
    "filter:short_name": [("{{ partner|short_name }}", True)],
    "filter:join_values": [("{{ chips|join_values }}", True)],
}


def html_drawers():
    """ "module.name" for every public function and class defined in partnerships/html/."""
    found = []
    for module_info in pkgutil.iter_modules(partnerships.html.__path__):
        module = importlib.import_module(f"partnerships.html.{module_info.name}")
        for name, value in vars(module).items():
            if name.startswith("_") or not (inspect.isfunction(value) or inspect.isclass(value)):
                continue
            if value.__module__ == module.__name__:
                found.append(f"{module_info.name}.{name}")
    return sorted(found)


def template_tags():
    return sorted([f"tag:{name}" for name in register.tags] + [f"filter:{name}" for name in register.filters])


def test_every_drawer_has_a_case():
    drawers = set(html_drawers()) - set(NOT_DRAWERS)
    assert not drawers - set(DRAWERS), "a drawer in partnerships/html without a case in DRAWERS"
    assert not set(DRAWERS) - drawers, "a case in DRAWERS for a drawer that is gone"
    assert set(template_tags()) == set(TAGS), "a template tag or filter without a case in TAGS (or a stale one)"


def test_every_table_has_records():
    assert set(TABLE_RECORDS) == set(tables.TABLES)


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("drawer", sorted(DRAWERS))
def test_drawers_show_hostile_text_only_as_text(drawer, language, hostile):
    with translation.override(language):
        for draw, shows in DRAWERS[drawer]:
            # Plain text (not marked safe) is escaped where it is put, as a template does.
            assert_inert(conditional_escape(draw(hostile)), shows=shows)


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("tag", sorted(TAGS))
def test_template_tags_show_hostile_text_only_as_text(tag, language, hostile):
    request = RequestFactory().get(f"/{language}/relationships/", QUERY_STRING=f"q={HOSTILE}&sort={HOSTILE}")
    request.resolver_match = SimpleNamespace(url_name=HOSTILE)
    context = {
        "h": HOSTILE,
        "h_ja": HOSTILE_JA,
        "link": hostile.links[0],
        "links": hostile.links,
        "partners": hostile.partners,
        "partner": hostile.us,
        "agreements": hostile.agreements,
        "programs": hostile.programs,
        "seeking": hostile.seeking,
        "facet_values": hostile.facet_values,
        "day": datetime.date(1957, 10, 21),
        "pairs": [(HOSTILE, 3)],
        "label": f"{HOSTILE} ({HOSTILE_JA})",
        "chips": [{"value": HOSTILE}],
        "request": request,
        "filter": SimpleNamespace(filters={"sort": SimpleNamespace(param_map={"us": "us_name"})}),
    }
    with translation.override(language):
        for source, shows in TAGS[tag]:
            assert_inert(Template("{% load partnerships %}" + source).render(Context(context)), shows=shows)


def test_the_check_catches_markup_let_through():
    """The assertion itself fails on each way the hostile text could break out."""
    for leaked in (HOSTILE, f'<a title="{HOSTILE}">', "<td>x</td></td>", "Kobe &amp; Seattle"):
        with pytest.raises(AssertionError):
            assert_inert(leaked)
