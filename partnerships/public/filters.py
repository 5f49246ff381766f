"""Every list's filters and facets. Input from the query string is validated here, never in views.

States are chosen by postal code (`?state=WA`), prefectures by their two-digit ISO 3166-2
number (`?prefecture=28` is Hyogo), so links stay short and language-neutral. Several
values of one filter combine with OR (`?state=WA&state=OR`), different filters with AND.
"""

import django_filters
from django import forms
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils.functional import cached_property, lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partnerships.html import widgets
from partnerships.models import (
    Agreement,
    Country,
    Partner,
    PartnerSeeking,
    Program,
    Relationship,
    Status,
    Topic,
    Verification,
    corroborating,
    decade_of,
    in_regions,
    per_version,
    region_of,
)
from partnerships.public.facets import Facet, FacetedFilterSet
from partnerships.rules import regions as region_rules
from partnerships.rules import search
from partnerships.rules.languages import page_language
from partnerships.rules.names import bilingual_text, local_name

YEAR_MIN, YEAR_MAX = 1800, 2200
# Labels are worked out when shown, in the reader's language ("1950s", "1950年代").
decade_label = lazy(lambda year: gettext("%(decade)ss") % {"decade": year}, str)
UNDATED = "none"  # the decade facet's value for records whose source states no date
DECADES = [(str(year), decade_label(year)) for year in range(1850, 2030, 10)] + [(UNDATED, _("date not stated"))]
YES_NO = {"true": _("Yes"), "false": _("No")}


@per_version
def region_choices(country):
    """(code, label) for every state/territory or prefecture, from the database; labelled in the
    reader's language with the other alongside ("Hyogo (兵庫県)" / "兵庫県 (Hyogo)", "ワシントン州
    (Washington)"), but a US state just "Washington" for an English reader."""
    regions = Partner.objects.filter(kind__in=Partner.REGION_KINDS, country=country).exclude(iso_code="")
    order = "iso_code" if country == Country.JP else "name"
    both = country == Country.JP or page_language() == "ja"
    return [
        (region_rules.in_link(partner.iso_code)[1], bilingual_text(partner.name, partner.name_ja, both=both))
        for partner in regions.order_by(order).only("iso_code", "name", "name_ja")
    ]


def state_choices():
    return region_choices(Country.US)


def any_region_choices():
    """Every state and prefecture by its full ISO code (`US-OH`, `JP-28`), for filters on either side."""
    return [(region_rules.iso_code("state", code), label) for code, label in state_choices()] + [
        (region_rules.iso_code("prefecture", code), label) for code, label in prefecture_choices()
    ]


def prefecture_choices():
    return region_choices(Country.JP)


@per_version
def topic_choices():
    topics = Topic.objects.values_list("slug", "name", "name_ja")
    return [(slug, local_name(name, name_ja)) for slug, name, name_ja in topics]


def region_codes(filter_name, values):
    """`?state=WA` → ["US-WA"], `?prefecture=28` → ["JP-28"]."""
    return [region_rules.iso_code(filter_name, value) for value in values]


# django-filter's own "%s (descending)" is fixed in English when the filters are defined.
descending_label = lazy(lambda label: gettext("%(label)s (descending)") % {"label": label}, str)


class OrderingFilter(django_filters.OrderingFilter):
    """Sorting that puts records without a value (an undated relationship) last, whichever way."""

    def get_ordering_value(self, param):
        name = super().get_ordering_value(param)
        field = F(name.removeprefix("-"))
        return field.desc(nulls_last=True) if name.startswith("-") else field.asc(nulls_last=True)


def ordering_filter(fields, field_labels, **kwargs):
    """An OrderingFilter whose labels, both directions, are translated when shown."""
    params = dict(fields)
    descending = {f"-{params[field]}": descending_label(label) for field, label in field_labels.items()}
    return OrderingFilter(fields=fields, field_labels=field_labels | descending, **kwargs)


def multiple(label, choices, **kwargs):
    return django_filters.MultipleChoiceFilter(
        label=label, choices=choices, widget=forms.CheckboxSelectMultiple, **kwargs
    )


def year_filter(field_name, lookup, label):
    return django_filters.NumberFilter(
        field_name=field_name,
        lookup_expr=lookup,
        method=f"filter_year_{lookup}",
        label=label,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": _("year")}),
    )


def yes_no_filter(label, method):
    """`true` or `false`; anything else is a bad request, never "no filter"."""
    return django_filters.ChoiceFilter(label=label, method=method, choices=list(YES_NO.items()), empty_label=_("Any"))


def when_yes(condition):
    """A facet expression: "true" where `condition` holds, else "false" (the yes/no filters' values)."""
    return Case(When(condition, then=Value("true")), default=Value("false"))


class FilterForm(forms.Form):
    """The form of every list's filters (django-filter adds the fields): inputs and selects drawn in
    Python (partnerships/html/widgets.py)."""

    default_renderer = widgets.RENDERER


class DirectoryFilterSet(FacetedFilterSet, django_filters.FilterSet):
    """The free-text `q` filter that every list shares (models provide `.search(q)`), and facets."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name in English or Japanese")}),
    )

    class Meta:
        form = FilterForm

    def filter_q(self, queryset, name, value):
        return queryset.search(self.correction.searched if self.correction else value)

    @cached_property
    def correction(self):
        """A `search.Correction` when no record of this list matches `q`: its closest names, the
        first searched instead ("Seatle" lists Seattle's). None when `q` matches or nothing is close."""
        q = self.form.cleaned_data.get("q") if self.is_bound and self.form.is_valid() else ""
        if not q or not search.forgivable(q) or self.queryset.search(q).exists():
            return None
        suggestions = Partner.objects.closest(q)
        return search.Correction(q, suggestions) if suggestions else None

    def filter_state(self, queryset, name, values):
        return queryset.filter(in_regions(region_codes(name, values)))

    filter_prefecture = filter_state


class DatedFilterSet(DirectoryFilterSet):
    """A list whose records have a date that a source may not state. Date filters say how many
    undated records they set aside (`undated_set_aside`), and `?undated=true` keeps them."""

    date_field = ""  # "established"
    date_filters = ()  # the filters on that date
    decade_field = ""  # a column holding `decade_of(date_field)`, where the model keeps one

    undated = django_filters.ChoiceFilter(
        label=_("Also without a stated date"), choices=list(YES_NO.items()), method="keep_all", widget=forms.HiddenInput
    )

    def keep_all(self, queryset, name, value):
        return queryset  # read by the date filters

    def keeps_undated(self):
        return self.chosen().get("undated") == "true"

    def with_undated(self, condition):
        return condition | Q(**{f"{self.date_field}__isnull": True}) if self.keeps_undated() else condition

    def filter_year_gte(self, queryset, name, value):
        return queryset.filter(self.with_undated(Q(**{f"{name}__year__gte": value})))

    def filter_year_lte(self, queryset, name, value):
        return queryset.filter(self.with_undated(Q(**{f"{name}__year__lte": value})))

    def filter_decade(self, queryset, name, values):
        """Records of these decades (`decade_of`, or the column that keeps it); `UNDATED`: without a date."""
        field = self.decade_field or "date_decade"
        if not self.decade_field:
            queryset = queryset.alias(date_decade=decade_of(self.date_field))
        decades = [int(value) for value in values if value != UNDATED]
        condition = Q(**{f"{field}__in": decades})
        if UNDATED in values:
            condition |= Q(**{f"{self.date_field}__isnull": True})
        return queryset.filter(self.with_undated(condition))

    def undated_set_aside(self, facet_counts=None):
        """How many records without a stated date the chosen date filters leave out (0 when no
        date filter is chosen, or undated records are kept)."""
        chosen = self.chosen()
        dates = [name for name in self.date_filters if name in chosen]
        if not dates or self.keeps_undated() or dates == ["decade"] and UNDATED in chosen["decade"]:
            return 0
        if dates == ["decade"] and "decade" in (facet_counts or {}):
            # The decade facet counts the same records (all other filters) and the undated among them.
            return next((value["count"] for value in facet_counts["decade"] if value["value"] == UNDATED), 0)
        matching = self._matching_all_but(*self.date_filters)
        return matching.filter(**{f"{self.date_field}__isnull": True}).count()


class PartnerFilter(DirectoryFilterSet):
    country = multiple(_("Country"), Country.choices)
    kind = multiple(_("Kind"), Partner.Kind.choices)
    state = multiple(_("US state"), state_choices, method="filter_state")
    prefecture = multiple(_("Prefecture"), prefecture_choices, method="filter_prefecture")
    has_relationships = yes_no_filter(_("Has sister relationships"), "filter_has_relationships")
    represents = multiple(_("Works for"), any_region_choices, method="filter_represents")
    closed = yes_no_filter(_("Closed"), "filter_closed")
    sort = ordering_filter(
        label=_("Sort by"),
        empty_label=_("Standard: with relationships first, by name"),
        fields=[("name", "name"), ("name_kana", "reading"), ("relationship_count", "relationships")],
        field_labels={"name": _("Name"), "name_kana": _("Reading (kana)"), "relationship_count": _("Relationships")},
    )

    facets = {
        "country": Facet("country"),
        "kind": Facet("kind"),
        "state": Facet(region_of(), prefix=region_rules.prefix("state")),
        "prefecture": Facet(region_of(), prefix=region_rules.prefix("prefecture"), ordered=True),
        "has_relationships": Facet(
            when_yes(
                Q(Exists(Relationship.objects.filter(us_partner=OuterRef("pk"))))
                | Q(Exists(Relationship.objects.filter(jp_partner=OuterRef("pk"))))
            ),
            labels=YES_NO,
        ),
        # An office's state or prefecture (or the one its city is in); none for everything else.
        "represents": Facet(region_of("represents__")),
    }

    class Meta(DirectoryFilterSet.Meta):
        model = Partner
        fields = []

    def filter_represents(self, queryset, name, values):
        return queryset.filter(in_regions(values, path="represents__"))

    def filter_closed(self, queryset, name, value):
        return queryset.filter(closed=value == "true")

    def filter_has_relationships(self, queryset, name, value):
        linked = Partner.objects.filter(Q(us_relationships__isnull=False) | Q(jp_relationships__isnull=False))
        condition = Q(pk__in=linked.values("pk"))
        return queryset.filter(condition if value == "true" else ~condition)


class RelationshipFilter(DatedFilterSet):
    date_field = "established"
    decade_field = "decade"
    date_filters = ("decade", "established_after", "established_before")

    kind = multiple(_("Kind"), Relationship.Kind.choices)
    status = multiple(_("Status"), Status.choices)
    state = multiple(_("US state"), state_choices, method="filter_state")
    prefecture = multiple(_("Prefecture"), prefecture_choices, method="filter_prefecture")
    topic = multiple(_("Topic"), topic_choices, field_name="topics__slug")
    decade = multiple(_("Decade established"), DECADES, method="filter_decade")
    established_after = year_filter("established", "gte", _("Established from"))
    established_before = year_filter("established", "lte", _("Established until"))
    corroborated = yes_no_filter(corroborating(_("Corroborated by %(count)s or more sources")), "filter_corroborated")
    verification = multiple(_("Verification"), Verification.State.choices)
    # `?partner=kobe-hyogo`: a partner's own relationships (the "all in the list" link of its page).
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner"),
        queryset=Partner.objects.all(),
        to_field_name="slug",
        method="filter_partner",
        widget=forms.HiddenInput,
    )
    sort = ordering_filter(
        label=_("Sort by"),
        empty_label=_("Standard: US partner, A to Z"),
        fields=[
            ("us_name", "us"),
            ("jp_name", "japan"),
            ("jp_partner__name_kana", "reading"),
            ("established", "established"),
        ],
        field_labels={
            "us_name": _("US partner"),
            "jp_name": _("Japanese partner"),
            "jp_partner__name_kana": _("Japanese partner (reading)"),
            "established": _("Date established"),
        },
    )

    facets = {
        "kind": Facet("kind"),
        "status": Facet("status"),
        "state": Facet("us_region", prefix=region_rules.prefix("state")),
        "prefecture": Facet("jp_region", prefix=region_rules.prefix("prefecture"), ordered=True),
        "topic": Facet("topic__slug", through=Relationship.topics.through),
        "decade": Facet("decade", none=UNDATED),
        "corroborated": Facet(when_yes(Relationship.corroborated_expression()), labels=YES_NO),
        "verification": Facet("verification"),
    }

    class Meta(DirectoryFilterSet.Meta):
        model = Relationship
        fields = []

    def filter_state(self, queryset, name, values):
        return queryset.filter(us_region__in=region_codes(name, values))

    def filter_prefecture(self, queryset, name, values):
        return queryset.filter(jp_region__in=region_codes(name, values))

    def filter_partner(self, queryset, name, partner):
        return queryset.filter(Q(us_partner=partner) | Q(jp_partner=partner))

    def filter_corroborated(self, queryset, name, value):
        return queryset.corroborated(value == "true")


class MembershipFilterSet(DirectoryFilterSet):
    """Agreements and programs are in a state or prefecture through their parties or participants."""

    members = ""  # the many-to-many field to partners

    def filter_state(self, queryset, name, values):
        model = queryset.model
        inside = model.objects.filter(in_regions(region_codes(name, values), f"{self.members}__"))
        return queryset.filter(pk__in=inside.values("pk"))

    filter_prefecture = filter_state


class AgreementFilter(MembershipFilterSet, DatedFilterSet):
    members = "parties"
    date_field = "signed"
    date_filters = ("decade",)
    kind = multiple(_("Kind"), Agreement.Kind.choices)
    status = multiple(_("Status"), Agreement.Status.choices)
    topic = multiple(_("Topic"), topic_choices, field_name="topics__slug")
    state = multiple(_("US state"), state_choices, method="filter_state")
    prefecture = multiple(_("Prefecture"), prefecture_choices, method="filter_prefecture")
    decade = multiple(_("Decade signed"), DECADES, method="filter_decade")
    sort = ordering_filter(
        label=_("Sort by"),
        empty_label=_("Standard: title, A to Z"),
        fields=[("title", "title"), ("signed", "signed")],
        field_labels={"title": _("Title"), "signed": _("Date signed")},
    )

    facets = {
        "kind": Facet("kind"),
        "status": Facet("status"),
        # Across many-to-many fields: an agreement has several topics and parties.
        "topic": Facet("topics__slug", distinct=True),
        "state": Facet(region_of("parties__"), prefix=region_rules.prefix("state"), distinct=True),
        "prefecture": Facet(
            region_of("parties__"), prefix=region_rules.prefix("prefecture"), distinct=True, ordered=True
        ),
        "decade": Facet(decade_of("signed"), none=UNDATED),
    }

    class Meta(DirectoryFilterSet.Meta):
        model = Agreement
        fields = []


class ProgramFilter(MembershipFilterSet):
    members = "participants"
    status = multiple(_("Status"), Program.Status.choices)
    topic = multiple(_("Topic"), topic_choices, field_name="topics__slug")
    state = multiple(_("US state"), state_choices, method="filter_state")
    prefecture = multiple(_("Prefecture"), prefecture_choices, method="filter_prefecture")
    sort = ordering_filter(
        label=_("Sort by"),
        empty_label=_("Standard: name, A to Z"),
        fields=[("name", "name"), ("start_year", "start")],
        field_labels={"name": _("Name"), "start_year": _("Start year")},
    )

    facets = {
        "status": Facet("status"),
        "topic": Facet("topics__slug", distinct=True),
        "state": Facet(region_of("participants__"), prefix=region_rules.prefix("state"), distinct=True),
        "prefecture": Facet(
            region_of("participants__"), prefix=region_rules.prefix("prefecture"), distinct=True, ordered=True
        ),
    }

    class Meta(DirectoryFilterSet.Meta):
        model = Program
        fields = []


class SeekingFilter(DirectoryFilterSet):
    """Places seeking a partner: what they seek (the United States, North America…) and where they are."""

    wants = multiple(_("Seeking partners in"), PartnerSeeking.Wants.choices, method="filter_wants")
    prefecture = multiple(_("Prefecture"), prefecture_choices, method="filter_prefecture")
    sort = ordering_filter(
        label=_("Sort by"),
        empty_label=_("Standard: prefecture, north to south"),
        fields=[("partner__name", "name"), ("population", "population")],
        field_labels={"partner__name": _("Name"), "population": _("Population")},
    )

    facets = {"prefecture": Facet(region_of("partner__"), prefix=region_rules.prefix("prefecture"), ordered=True)}

    class Meta(DirectoryFilterSet.Meta):
        model = PartnerSeeking
        fields = []

    def filter_wants(self, queryset, name, values):
        return queryset.wanting(*values)

    def filter_prefecture(self, queryset, name, values):
        return queryset.filter(in_regions(region_codes(name, values), "partner__"))
