"""Every list's filters. Input from the query string is validated here, never in views.

States are chosen by postal code (`?state=WA`), prefectures by their two-digit ISO 3166-2
number (`?prefecture=28` is Hyogo), so links stay short and language-neutral.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnerships.models import Agreement, Country, Partner, Program, Relationship, Status, Topic

YEAR_MIN, YEAR_MAX = 1800, 2200


def region_choices(country):
    """(code, label) for every state/territory or prefecture, from the database."""
    prefix = f"{country}-"
    regions = Partner.objects.filter(kind__in=Partner.REGION_KINDS, country=country).exclude(iso_code="")
    order = "iso_code" if country == Country.JP else "name"
    return [
        (partner.iso_code.removeprefix(prefix), partner.name)
        for partner in regions.order_by(order).only("iso_code", "name")
    ]


def state_choices():
    return region_choices(Country.US)


def prefecture_choices():
    return region_choices(Country.JP)


def region_q(filter_name, values, field=""):
    """Partners that are one of the chosen states/prefectures, or sit inside one."""
    prefix = "US-" if filter_name == "state" else "JP-"
    codes = [prefix + value for value in values]
    return Q(**{f"{field}iso_code__in": codes}) | Q(**{f"{field}parent__iso_code__in": codes})


def topic_choices():
    return list(Topic.objects.values_list("slug", "name"))


class SearchFilterSet(django_filters.FilterSet):
    """Adds the free-text `q` filter that every list shares; models provide `.search(q)`."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name in English or Japanese")}),
    )

    def filter_q(self, queryset, name, value):
        return queryset.search(value)


def year_filter(field_name, lookup, label):
    return django_filters.NumberFilter(
        field_name=f"{field_name}__year",
        lookup_expr=lookup,
        label=label,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": _("year")}),
    )


class PartnerFilter(SearchFilterSet):
    country = django_filters.ChoiceFilter(label=_("Country"), choices=Country.choices, empty_label=_("Any country"))
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind"), choices=Partner.Kind.choices, widget=forms.CheckboxSelectMultiple
    )
    state = django_filters.MultipleChoiceFilter(label=_("US state"), choices=state_choices, method="filter_region")
    prefecture = django_filters.MultipleChoiceFilter(
        label=_("Prefecture"), choices=prefecture_choices, method="filter_region"
    )
    has_relationships = django_filters.BooleanFilter(
        label=_("Has sister relationships"),
        method="filter_has_relationships",
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))]),
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=[("name", "name"), ("name_kana", "reading"), ("relationship_count", "relationships")],
        field_labels={"name": _("Name"), "name_kana": _("Reading (kana)"), "relationship_count": _("Relationships")},
    )

    class Meta:
        model = Partner
        fields = []

    def filter_region(self, queryset, name, values):
        return queryset.filter(region_q(name, values))

    def filter_has_relationships(self, queryset, name, value):
        linked = Partner.objects.filter(Q(us_relationships__isnull=False) | Q(jp_relationships__isnull=False))
        condition = Q(pk__in=linked.values("pk"))
        return queryset.filter(condition if value else ~condition)


class RelationshipFilter(SearchFilterSet):
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind"), choices=Relationship.Kind.choices, widget=forms.CheckboxSelectMultiple
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Status.choices, widget=forms.CheckboxSelectMultiple
    )
    state = django_filters.MultipleChoiceFilter(label=_("US state"), choices=state_choices, method="filter_state")
    prefecture = django_filters.MultipleChoiceFilter(
        label=_("Prefecture"), choices=prefecture_choices, method="filter_prefecture"
    )
    topic = django_filters.MultipleChoiceFilter(label=_("Topic"), choices=topic_choices, field_name="topics__slug")
    established_after = year_filter("established", "gte", _("Established from"))
    established_before = year_filter("established", "lte", _("Established until"))
    corroborated = django_filters.BooleanFilter(
        label=_("Corroborated by two or more sources"),
        method="filter_corroborated",
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No, one source"))]),
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=[
            ("us_partner__name", "us"),
            ("jp_partner__name", "japan"),
            ("jp_partner__name_kana", "reading"),
            ("established", "established"),
        ],
        field_labels={
            "us_partner__name": _("US partner"),
            "jp_partner__name": _("Japanese partner"),
            "jp_partner__name_kana": _("Japanese partner (reading)"),
            "established": _("Date established"),
        },
    )

    class Meta:
        model = Relationship
        fields = []

    def filter_state(self, queryset, name, values):
        return queryset.filter(region_q(name, values, field="us_partner__"))

    def filter_prefecture(self, queryset, name, values):
        return queryset.filter(region_q(name, values, field="jp_partner__"))

    def filter_corroborated(self, queryset, name, value):
        return queryset.corroborated() if value else queryset.single_source()


class AgreementFilter(SearchFilterSet):
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind"), choices=Agreement.Kind.choices, widget=forms.CheckboxSelectMultiple
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Agreement.Status.choices, widget=forms.CheckboxSelectMultiple
    )
    topic = django_filters.MultipleChoiceFilter(label=_("Topic"), choices=topic_choices, field_name="topics__slug")
    state = django_filters.MultipleChoiceFilter(
        label=_("US state"), choices=state_choices, method="filter_party_region"
    )
    prefecture = django_filters.MultipleChoiceFilter(
        label=_("Prefecture"), choices=prefecture_choices, method="filter_party_region"
    )
    signed_after = year_filter("signed", "gte", _("Signed from"))
    signed_before = year_filter("signed", "lte", _("Signed until"))
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=[("title", "title"), ("signed", "signed")],
        field_labels={"title": _("Title"), "signed": _("Date signed")},
    )

    class Meta:
        model = Agreement
        fields = []

    def filter_party_region(self, queryset, name, values):
        parties = Partner.objects.filter(region_q(name, values))
        return queryset.filter(pk__in=Agreement.objects.filter(parties__in=parties).values("pk"))


class ProgramFilter(SearchFilterSet):
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Program.Status.choices, widget=forms.CheckboxSelectMultiple
    )
    topic = django_filters.MultipleChoiceFilter(label=_("Topic"), choices=topic_choices, field_name="topics__slug")
    state = django_filters.MultipleChoiceFilter(
        label=_("US state"), choices=state_choices, method="filter_participant_region"
    )
    prefecture = django_filters.MultipleChoiceFilter(
        label=_("Prefecture"), choices=prefecture_choices, method="filter_participant_region"
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=[("name", "name"), ("start_year", "start")],
        field_labels={"name": _("Name"), "start_year": _("Start year")},
    )

    class Meta:
        model = Program
        fields = []

    def filter_participant_region(self, queryset, name, values):
        partners = Partner.objects.filter(region_q(name, values))
        return queryset.filter(pk__in=Program.objects.filter(participants__in=partners).values("pk"))
