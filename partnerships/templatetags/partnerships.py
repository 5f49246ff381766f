"""The template tags: names and dates in the reader's language, and the lists' rows.

Each tag hands on to the room that defines it: text from `partnerships.rules` (names, dates),
markup from `partnerships.html` (names marked with their language, rows, cards, facet values,
headings). Nothing here writes HTML.
"""

from django import template

from partnerships.html import cards, navigation, tables
from partnerships.html import names as html_names
from partnerships.rules import dates, languages
from partnerships.rules.names import bilingual_text, counted, language_of, list_separator, local_name

register = template.Library()

# Markup (partnerships.html): `{% partner_name partner %}`, `{% agreement_cards object_list %}`, …
register.simple_tag(html_names.other_language)
register.simple_tag(html_names.local_paragraph)
register.filter(html_names.marked_label)
for drawer in (
    tables.corroboration,
    tables.facet_values,
    cards.agreement_cards,
    cards.program_cards,
    cards.seeking_cards,
):
    register.simple_tag(drawer)

# Text (partnerships.rules): `{% precise_date value precision %}`, `{{ program.start_year|year }}`, …
register.simple_tag(dates.precise_date)
register.filter(dates.year)
register.simple_tag(list_separator)
register.simple_tag(name="count_list")(counted)  # `{% count_list relationship_kinds %}` for [(label, n), ...]
register.filter("text_lang", language_of)


@register.simple_tag
def partner_name(partner, link=True, both=True):
    """`{% partner_name partner %}`: "<a>Kobe</a> (神戸市)"; `link=False` without the link,
    `both=False` in the reader's language only."""
    if not partner:
        return ""
    url = partner.get_absolute_url() if link else ""
    return html_names.bilingual_html(partner.name, partner.name_ja, url=url, both=both)


@register.simple_tag
def bilingual(name, name_ja, url="", both=True):
    """`{% bilingual topic.name topic.name_ja %}`: any English/Japanese pair, as partner_name."""
    return html_names.bilingual_html(name, name_ja, url=url, both=both)


@register.filter
def name_text(partner):
    """`{{ partner|name_text }}`: both names as plain text, for <title> and the like."""
    return bilingual_text(partner.name, partner.name_ja) if partner else ""


@register.filter
def short_name(partner):
    """`{{ partner|short_name }}`: the name in the reader's language only, as plain text."""
    return local_name(partner.name, partner.name_ja) if partner else ""


@register.simple_tag
def local_text(name, name_ja):
    """`{% local_text agreement.title agreement.title_ja %}`: plain text in the reader's language, for <title>."""
    return local_name(name, name_ja)


@register.filter
def join_values(chips):
    """`{{ active_filters|join_values }}`: the chosen filter values, for a page's <title>."""
    return list_separator().join(str(chip["value"]) for chip in chips)


@register.simple_tag(takes_context=True)
def table_headers(context, table):
    """`{% table_headers "relationships" %}`: the headings of a table (`tables.TABLES`); a column the
    list's FilterSet can sort by (its `sort` filter) is a link that sorts by it."""
    sort = getattr(context.get("filter"), "filters", {}).get("sort")
    offered = sort.param_map if sort is not None else {}
    return tables.table_headers(tables.TABLES[table], context.get("request"), offered)


@register.simple_tag
def table_rows(table, records):
    """`{% table_rows "relationships" object_list %}`: the rows of a table (`tables.TABLES`)."""
    return tables.table_rows(tables.TABLES[table], records)


@register.simple_tag(takes_context=True)
def language_url(context, code):
    """`{% language_url "ja" %}`: this very page (filters and all) in another language."""
    request = context.get("request")
    if request is None:
        return ""
    query = request.META.get("QUERY_STRING", "")
    return languages.in_language(request.path_info, code) + (f"?{query}" if query else "")


@register.simple_tag(takes_context=True)
def current_page(context, *names):
    """`{% current_page "partner-list" "partner-detail" %}`: marks the section the page is in."""
    return navigation.current_page(context.get("request"), names)
