"""Japanese and English throughout: the interface, names, dates and the language switch.

The walk over every public page renders it for a Japanese browser and looks for any English
interface text left: every msgid of locale/ja/LC_MESSAGES/django.po is an English phrase the
interface can show, so none of them may appear on a Japanese page outside an element that
says it is English (`lang="en"`) once the records' own data is set aside.
"""

import ast
import datetime
import gettext
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test.html import parse_html
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains

from partnerships.models import Agreement, Partner, Program, Relationship, Source, Topic
from partnerships.public.filters import RelationshipFilter
from partnerships.rules import languages
from partnerships.rules.dates import precise_date, year
from tests.builders import (
    make_account,
    make_agreement,
    make_jp_city,
    make_prefecture,
    make_program,
    make_relationship,
    make_state,
    make_topic,
    make_us_city,
)
from tests.markup import element, elements, text

LOCALE = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"

# msgids that are the same in Japanese (names, formats) or too generic to search for as English.
SAME_IN_BOTH = {"CSV", "JSON", "Excel", "URL", "HTML"}


@pytest.fixture(autouse=True)
def back_to_the_default_language():
    """LocaleMiddleware leaves the last request's language active in the thread; later tests
    that build messages outside a request expect the default language."""
    yield
    translation.deactivate()


# --- The catalogue ------------------------------------------------------------------------


def parse_po(path=PO):
    """[{"msgctxt", "msgid", "msgid_plural", "msgstr": [..], "flags": set(), "obsolete"}], header first."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry = {"msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": [], "flags": set(), "obsolete": False}
        current = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
                continue
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
                continue
            if line.startswith("#"):
                continue
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line)
            if match:
                key, value = match.groups()
                current = "msgstr" if key.startswith("msgstr") else key
                text = ast.literal_eval(value)
                if current == "msgstr":
                    entry["msgstr"].append(text)
                else:
                    entry[current] = text
            elif line.startswith('"') and current:
                text = ast.literal_eval(line)
                if current == "msgstr":
                    entry["msgstr"][-1] += text
                else:
                    entry[current] += text
        if entry["msgid"] is not None:
            entries.append(entry)
    return entries


def messages():
    return [entry for entry in parse_po()[1:] if not entry["obsolete"]]


def test_the_japanese_catalogue_is_complete():
    entries = parse_po()
    header = entries[0]["msgstr"][0]
    assert "Plural-Forms: nplurals=1; plural=0;" in header
    assert "Language: ja" in header
    untranslated = [e["msgid"] for e in messages() if not all(e["msgstr"]) or not e["msgstr"]]
    fuzzy = [e["msgid"] for e in messages() if "fuzzy" in e["flags"]]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"
    assert all(len(e["msgstr"]) == 1 for e in messages()), "Japanese has one plural form"


def placeholders(text):
    return sorted(re.findall(r"%\(\w+\)[sd]|%[sd]|\{\w*\}", text))


def test_translations_keep_their_placeholders():
    for entry in messages():
        for msgstr in entry["msgstr"]:
            assert placeholders(msgstr) == placeholders(entry["msgid"]), entry["msgid"]


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext's msgfmt is not installed")
def test_msgfmt_finds_no_untranslated_or_fuzzy_message(tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(PO)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_the_committed_mo_file_matches_the_po_file():
    """django.mo is committed so that a fresh clone serves Japanese without gettext installed;
    it must say what the .po says (run `make messages` after editing the .po)."""
    with MO.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    expected = {}
    for entry in messages():
        # A .mo keys a message with a context as "context\x04msgid" (gettext's pgettext convention).
        msgid = entry["msgid"] if entry["msgctxt"] is None else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if entry["msgid_plural"] is not None:
            expected[(msgid, 0)] = entry["msgstr"][0]
        else:
            expected[msgid] = entry["msgstr"][0]
    compiled = {key: value for key, value in catalog.items() if key != ""}
    assert compiled == expected, "locale/ja/LC_MESSAGES/django.mo is out of date: run `make messages`"


# --- Rendered pages -----------------------------------------------------------------------


class InterfaceText(HTMLParser):
    """The text a reader meets (text, and placeholder/aria-label/title/alt/description attributes),
    leaving out whatever sits inside an element in `skip_lang`, scripts, styles and <code>
    (column names such as `us_name` are the same in every language)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    ATTRIBUTES = {"placeholder", "aria-label", "title", "alt"}

    def __init__(self, skip_lang, skip_tags=()):
        super().__init__(convert_charrefs=True)
        self.skip_lang = skip_lang
        self.skip_tags = {"script", "style", "code", *skip_tags}
        self.stack = []  # (tag, skipped)
        self.parts = []
        self.html_lang = None

    @property
    def skipping(self):
        return any(skipped for _tag, skipped in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
            return
        skipped = attrs.get("lang") == self.skip_lang or tag in self.skip_tags
        if not (self.skipping or skipped):
            self.parts += [value for name, value in attrs.items() if name in self.ATTRIBUTES and value]
            if tag == "meta" and attrs.get("name") == "description":
                self.parts.append(attrs.get("content", ""))
        if tag not in self.VOID:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.parts.append(data)

    def text(self):
        return " ".join(" ".join(self.parts).split())


def interface_text(html, skip_lang="en", skip_tags=()):
    parser = InterfaceText(skip_lang, skip_tags)
    parser.feed(html)
    return parser.text(), parser.html_lang


def english_fragments():
    """The English pieces of every msgid: text between placeholders and markup, with a letter in
    it, four characters or more, and not also in the translation (as "CSV" or "Excel" are)."""
    fragments = set()
    for entry in messages():
        translations = " ".join(entry["msgstr"])
        for msgid in filter(None, (entry["msgid"], entry["msgid_plural"])):
            for piece in re.split(r"%\(\w+\)[sd]|%[sd]|<[^>]+>|“|”", msgid):
                piece = " ".join(piece.split()).strip(" .,:;()")
                english = len(piece) >= 4 and re.search(r"[A-Za-z]{2}", piece) and piece not in SAME_IN_BOTH
                if english and piece not in translations:
                    fragments.add(piece)
    return sorted(fragments, key=len, reverse=True)


def untranslated_in(text):
    found = []
    for fragment in english_fragments():
        if re.search(rf"(?<![A-Za-z]){re.escape(fragment)}(?![A-Za-z])", text):
            found.append(fragment)
    return found


def record_data():
    """Every English string the test records hold, which pages show as data, not as interface."""
    strings = set()
    for partner in Partner.objects.all():
        strings |= {partner.name, str(partner), partner.slug}
    for source in Source.objects.all():
        strings |= {source.title, source.publisher, source.url}
    strings |= {agreement.title for agreement in Agreement.objects.all()}
    strings |= {program.name for program in Program.objects.all()}
    strings |= {topic.name for topic in Topic.objects.all()}
    return sorted(filter(None, strings), key=len, reverse=True)


def without_record_data(text):
    for string in record_data():
        text = text.replace(string, " ")
    return text


@pytest.fixture
def records(db):
    washington = make_state()
    hyogo = make_prefecture()
    seattle = make_us_city(state=washington)
    kobe = make_jp_city(prefecture=hyogo, name_kana="こうべし")
    link = make_relationship(
        us_partner=seattle, jp_partner=kobe, established=datetime.date(1957, 10, 1), established_precision="month"
    )
    state_link = make_relationship(
        us_partner=washington,
        jp_partner=hyogo,
        kind=Relationship.Kind.SISTER_STATE,
        established=datetime.date(1963, 1, 1),
        established_precision="year",
    )
    state_link.sources.add(link.sources.get())
    topic = make_topic()
    link.topics.add(topic)
    agreement = make_agreement(
        parties=[washington, hyogo],
        topics=[topic],
        title="Memorandum of Cooperation between Washington and Hyogo",
        title_ja="ワシントン州と兵庫県の協力覚書",
        signed=datetime.date(2010, 6, 17),
        signed_precision="day",
        summary="Cooperation on clean energy.",
    )
    program = make_program(
        participants=[(seattle, "host"), (kobe, "member")],
        topics=[topic],
        name="Seattle–Kobe exchange",
        name_ja="シアトル・神戸交流事業",
        start_year=1990,
        summary="Exchanges of students.",
    )
    program.agreements.add(agreement)
    return {
        "link": link,
        "state_link": state_link,
        "agreement": agreement,
        "program": program,
        "kobe": kobe,
        "seattle": seattle,
        "hyogo": hyogo,
        "washington": washington,
    }


def public_pages(records):
    pages = {
        "home": reverse("partnerships:home"),
        "partner list": reverse("partnerships:partner-list"),
        "partner list, filtered and sorted": reverse("partnerships:partner-list") + "?prefecture=28&sort=reading",
        "partner detail (city)": records["kobe"].get_absolute_url(),
        "partner detail (prefecture)": records["hyogo"].get_absolute_url(),
        "partner detail (US state)": records["washington"].get_absolute_url(),
        "relationship list": reverse("partnerships:relationship-list"),
        "relationship list, filtered": reverse("partnerships:relationship-list") + "?state=WA&decade=1950&sort=-us",
        "relationship detail": records["link"].get_absolute_url(),
        "agreement list": reverse("partnerships:agreement-list"),
        "agreement detail": records["agreement"].get_absolute_url(),
        "program list": reverse("partnerships:program-list"),
        "program detail": records["program"].get_absolute_url(),
        "about": reverse("partnerships:about"),
        "search": reverse("partnerships:search") + "?q=Kobe",
        "search, nothing found": reverse("partnerships:search") + "?q=Zzyzx",
        "404": "/no-such-page/",
        "list with a bad filter": reverse("partnerships:relationship-list") + "?established_after=abc",
    }
    for name in ("map", "changes", "report", "anniversaries", "seeking", "statistics"):
        pages[name] = reverse(f"partnerships:{name}")
    return pages


@pytest.mark.django_db
def test_every_public_page_is_in_japanese_for_a_japanese_browser(client, records):
    problems = {}
    for name, url in public_pages(records).items():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="ja,en-US;q=0.8,en;q=0.5")
        assert response.status_code in (200, 400, 404), (name, response.status_code)
        assert response["Content-Language"] == "ja", name
        text, html_lang = interface_text(response.content.decode())
        assert html_lang == "ja", name
        left = untranslated_in(without_record_data(text))
        if left:
            problems[name] = left
    assert not problems, f"English interface text on Japanese pages: {problems}"


@pytest.mark.django_db
def test_staff_pages_and_history_are_in_japanese_for_a_japanese_browser(client, records):
    """The admin's own words come from Django's Japanese catalogue; the project's and
    django-simple-history's (which ships none) from locale/ja."""
    from partnerships.staff.roles import REVIEWERS

    link = records["link"]
    link.established = datetime.date(1957, 10, 2)
    link._change_reason = "Corrected from the city's page"
    link.save()
    client.force_login(make_account(REVIEWERS, "suzuki"))
    pages = {
        "index": reverse("admin:index"),
        "relationships": reverse("admin:partnerships_relationship_changelist"),
        "relationship": reverse("admin:partnerships_relationship_change", args=[link.pk]),
        "relationship history": reverse("admin:partnerships_relationship_history", args=[link.pk]),
        "partner history": reverse("admin:partnerships_partner_history", args=[records["kobe"].pk]),
        "agreements": reverse("admin:partnerships_agreement_changelist"),
        "proposals": reverse("admin:partnerships_changerequest_changelist"),
        "change log": reverse("partnerships:changes"),
    }
    problems = {}
    for name, url in pages.items():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="ja")
        assert response.status_code == 200, name
        text, _lang = interface_text(response.content.decode())
        left = untranslated_in(without_record_data(text.replace("Corrected from the city's page", "")))
        if left:
            problems[name] = left
    assert not problems, f"English interface text on Japanese staff pages: {problems}"
    history = client.get(pages["relationship history"], HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "変更の理由" in history and ">None<" not in history


@pytest.mark.django_db
def test_every_public_page_is_in_english_for_an_english_browser(client, records):
    for name, url in public_pages(records).items():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        html = response.content.decode()
        assert elements(html, "html", lang="en"), name
        # Japanese in an English page is marked as such: no kana or kanji outside lang="ja"
        # (but in <title> and the search box's example, which cannot mark part of their text).
        text, _lang = interface_text(html, skip_lang="ja", skip_tags=["title"])
        text = text.replace("e.g. Seattle, Kobe, 神戸", "")
        assert not re.findall(r"\S*[\u3040-\u30ff\u4e00-\u9fff]\S*", text), (name, text)


@pytest.mark.django_db
def test_english_names_in_japanese_pages_are_marked(client, records):
    response = client.get(records["link"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ja")
    kobe = languages.neutral(records["kobe"].get_absolute_url())
    assertContains(
        response, '<h1><span lang="en">Seattle</span> – 神戸市 (<span lang="en">Kobe</span>)</h1>', html=True
    )
    assertContains(
        response, f'<p class="pair-name"><a href="/ja{kobe}">神戸市</a> (<span lang="en">Kobe</span>)</p>', html=True
    )


# --- Names in the reader's language first -------------------------------------------------


@pytest.mark.django_db
def test_names_come_in_the_readers_language_first(client, records):
    url = reverse("partnerships:relationship-list")
    japanese = client.get(url, HTTP_ACCEPT_LANGUAGE="ja")
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    kobe = languages.neutral(records["kobe"].get_absolute_url())
    hyogo_ja, hyogo_en = '兵庫県 (<span lang="en">Hyogo</span>)', 'Hyogo (<span class="ja" lang="ja">兵庫県</span>)'
    assertContains(
        japanese,
        f'<td class="partner" data-label="日本側パートナー"><a href="/ja{kobe}">神戸市</a>'
        f' (<span lang="en">Kobe</span>)<br><span class="muted">{hyogo_ja}</span></td>',
        html=True,
    )
    assertContains(
        english,
        f'<td class="partner" data-label="Japanese partner"><a href="/en{kobe}">Kobe</a>'
        f' (<span class="ja" lang="ja">神戸市</span>)<br><span class="muted">{hyogo_en}</span></td>',
        html=True,
    )
    # A US city without a Japanese name is named once: nothing follows the link in its cell.
    seattle = languages.neutral(records["seattle"].get_absolute_url())
    assertContains(
        japanese,
        f'<td class="partner" data-label="米国側パートナー"><a href="/ja{seattle}"><span lang="en">Seattle</span></a>'
        '<br><span class="muted">ワシントン州</span></td>',
        html=True,
    )
    assertContains(
        english,
        f'<td class="partner" data-label="US partner"><a href="/en{seattle}">Seattle</a>'
        '<br><span class="muted">Washington</span></td>',
        html=True,
    )


@pytest.mark.django_db
def test_detail_titles_and_headings_put_the_readers_language_first(client, records):
    url = records["kobe"].get_absolute_url()
    japanese = client.get(url, HTTP_ACCEPT_LANGUAGE="ja")
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert text(element(japanese, "title")).startswith("神戸市 (Kobe) · ")
    assert text(element(english, "title")).startswith("Kobe (神戸市) · ")
    assertContains(japanese, '<h1>神戸市 (<span lang="en">Kobe</span>)</h1>', html=True)
    agreement = client.get(records["agreement"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ja")
    assertContains(agreement, "<h1>ワシントン州と兵庫県の協力覚書</h1>", html=True)
    assertContains(
        agreement, '<span lang="en">Memorandum of Cooperation between Washington and Hyogo</span>', html=True
    )


@pytest.mark.django_db
def test_facet_labels_for_prefectures_and_states_follow_the_language(client, records):
    url = reverse("partnerships:relationship-list")
    japanese = client.get(url, HTTP_ACCEPT_LANGUAGE="ja")
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    label = '<label for="f-{}">{} <span class="count">{}</span></label>'.format
    assertContains(japanese, label("prefecture-28", '兵庫県 (<span lang="en">Hyogo</span>)', 2), html=True)
    assertContains(japanese, label("state-WA", 'ワシントン州 (<span lang="en">Washington</span>)', 2), html=True)
    assertContains(english, label("prefecture-28", 'Hyogo (<span class="ja" lang="ja">兵庫県</span>)', 2), html=True)
    assertContains(english, label("state-WA", "Washington", 2), html=True)
    assertContains(japanese, label("topic-clean-energy", "クリーンエネルギー", 1), html=True)


@pytest.mark.django_db
def test_sort_options_are_translated_both_ways(client, records):
    japanese = client.get(reverse("partnerships:partner-list"), HTTP_ACCEPT_LANGUAGE="ja")
    assertContains(japanese, '<option value="reading">読み（五十音順）</option>', html=True)
    assertContains(japanese, '<option value="-reading">読み（五十音順）（降順）</option>', html=True)
    english = client.get(reverse("partnerships:partner-list"), HTTP_ACCEPT_LANGUAGE="en")
    assertContains(english, '<option value="-name">Name (descending)</option>', html=True)


# --- Dates and numbers ----------------------------------------------------------------------

DATES = [
    (datetime.date(1955, 1, 1), "year", "1955", "1955年"),
    (datetime.date(1957, 10, 1), "month", "October 1957", "1957年10月"),
    (datetime.date(2010, 6, 17), "day", "17 June 2010", "2010年6月17日"),
]


@pytest.mark.parametrize(("date", "precision", "english", "japanese"), DATES)
def test_dates_follow_the_language_and_their_precision(date, precision, english, japanese):
    with translation.override("en"):
        assert precise_date(date, precision) == english
    with translation.override("ja"):
        assert precise_date(date, precision) == japanese


def test_years_and_missing_dates_follow_the_language():
    with translation.override("ja"):
        assert year(1990) == "1990年"
        assert precise_date(None, "") == "記載なし"
    with translation.override("en"):
        assert year(1990) == "1990"
        assert precise_date(None, "") == "not stated"


@pytest.mark.django_db
def test_decade_labels_follow_the_language():
    with translation.override("ja"):
        labels = dict(RelationshipFilter().filters["decade"].field.choices)
        assert str(labels["1950"]) == "1950年代"
    with translation.override("en"):
        labels = dict(RelationshipFilter().filters["decade"].field.choices)
        assert str(labels["1950"]) == "1950s"


@pytest.mark.django_db
def test_pages_show_japanese_dates_and_counts(client, records):
    html = client.get(reverse("partnerships:relationship-list"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "1957年10月" in html and "1963年" in html
    assert "姉妹・友好提携 2件" in html
    program = client.get(records["program"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "1990年から" in program
    agreement = client.get(records["agreement"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "2010年6月17日" in agreement


# --- Choosing the language ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_browser_language_is_the_default(client, records):
    assert elements(client.get("/", HTTP_ACCEPT_LANGUAGE="ja-JP,ja;q=0.9"), "html", lang="ja")
    assert elements(client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"), "html", lang="en")
    assert elements(client.get("/", HTTP_ACCEPT_LANGUAGE="fr"), "html", lang="en")


@pytest.mark.django_db
def test_the_language_switch_keeps_the_page_and_its_filters(client, records):
    path = reverse("partnerships:relationship-list") + "?state=WA&prefecture=28&sort=established"
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    switch = element(response, "nav", class_="lang-switch")
    query = "?state=WA&amp;prefecture=28&amp;sort=established"
    assert parse_html(f'<a href="/ja/relationships/{query}" lang="ja" hreflang="ja">日本語</a>') in switch
    english = f'<a href="/en/relationships/{query}" lang="en" hreflang="en" aria-current="true">English</a>'
    assert parse_html(english) in switch
    # The switch is a plain link: no form, no cookie; the page says it follows the browser.
    assert not elements(switch, "form") and not response.cookies
    assert response["Vary"] == "Accept-Language"

    # The chosen language is in the URL, whatever the browser asks for, and needs no Vary.
    chosen = client.get("/ja/relationships/?state=WA&prefecture=28&sort=established", headers={"accept-language": "en"})
    assert elements(chosen, "html", lang="ja") and "Accept-Language" not in chosen.get("Vary", "")
    japanese = f'<a href="/ja/relationships/{query}" lang="ja" hreflang="ja" aria-current="true">日本語</a>'
    assert parse_html(japanese) in element(chosen, "nav", class_="lang-switch")


@pytest.mark.django_db
def test_the_language_switch_is_on_error_pages_too(client, records):
    response = client.get("/no-such-page/?q=x", HTTP_ACCEPT_LANGUAGE="ja")
    assertContains(response, "お探しのページは見つかりませんでした", status_code=404)
    english = '<a href="/en/no-such-page/?q=x" lang="en" hreflang="en">English</a>'
    assert parse_html(english) in element(response, "nav", class_="lang-switch")


@pytest.mark.django_db
def test_data_dictionary_descriptions_are_translated(client, records):
    response = client.get(reverse("partnerships:about"), HTTP_ACCEPT_LANGUAGE="ja")
    assertContains(response, "<tr><td><code>us_name</code></td><td>米国側パートナー: 英語名</td></tr>", html=True)
    assertContains(response, "<tr><td><code>name_ja</code></td><td>日本語名</td></tr>", html=True)
