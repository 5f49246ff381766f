"""A record's own page: a partner (with everything in a state or prefecture), a relationship, an
agreement, a program."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.generic import DetailView

from partnerships.models import (
    Agreement,
    DataVersion,
    Participation,
    Partner,
    Program,
    Relationship,
    RelationshipEvent,
    Source,
    Verification,
)
from partnerships.public import anniversaries, maps
from partnerships.public.views.lists import RELATIONSHIP_SIDES
from partnerships.rules import regions


@dataclass
class FirstOf:
    """The first records of a list that may be long, how many there are in all, and the list
    with all of them (`url`): record pages stay small whatever the data's size."""

    items: list
    total: int
    url: str

    @classmethod
    def of(cls, queryset, url, limit=None):
        limit = limit or settings.DETAIL_LIST_LIMIT
        items = list(queryset[: limit + 1])
        total = queryset.count() if len(items) > limit else len(items)
        return cls(items[:limit], total, url)

    @property
    def more(self):
        return self.total > len(self.items)

    @property
    def rest(self):
        """How many are not shown."""
        return self.total - len(self.items)


def relationships_url(**query):
    return f"{reverse('partnerships:relationship-list')}?{urlencode(query)}"


def partners_url(**query):
    return f"{reverse('partnerships:partner-list')}?{urlencode(query, doseq=True)}"


class PartnerDetailView(DetailView):
    """A place's brief: everything the directory knows of its ties with the other country (its
    own and its places' relationships, agreements, programs, the societies and government offices
    based there or working for it, the anniversaries coming), printable and downloadable. An
    organisation's page says where it is based and whom it works for."""

    queryset = Partner.objects.select_related("parent", "represents__parent").prefetch_related("sources")
    sources_shown = 10  # the sources its ties cite most; each relationship's page names all of its own

    def get_context_data(self, **kwargs):
        partner = self.object
        own = Q(us_partner=partner) | Q(jp_partner=partner)
        # The places inside, as a subquery on the relationships' own indexed columns (a join on
        # both sides' parents would scan every relationship).
        places_inside = Partner.objects.filter(parent=partner).values("pk")
        inside = Q(us_partner__in=places_inside) | Q(jp_partner__in=places_inside)
        relationships = Relationship.objects.select_related(*RELATIONSHIP_SIDES)
        relationships, relationships_inside = relationships.filter(own), relationships.filter(inside)
        # A state or prefecture is chosen in a link by its code (`?state=WA`), anything else by its slug.
        chosen = regions.in_link(partner.iso_code) if partner.kind in Partner.REGION_KINDS else None
        region = dict([chosen]) if chosen else {}
        ties_filter = region or {"partner": partner.slug}
        inside_url = relationships_url(**ties_filter)
        children = partner.children.with_relationship_count().order_by("name")
        children_url = f"{reverse('partnerships:partner-list')}?{urlencode({'q': partner.name})}"
        if region:
            children_url = f"{reverse('partnerships:partner-list')}?{urlencode(region)}"
        network = Partner.objects.filter(kind__in=Partner.NETWORK_KINDS).select_related("parent", "represents")
        network = network.order_by("closed", "kind", "name")
        if region:
            based_here = network.filter(parent=partner)
            working_for = network.filter(Q(represents=partner) | Q(represents__parent=partner))
            network_urls = {
                "based_here": partners_url(kind=Partner.NETWORK_KINDS, **region),
                "working_for": partners_url(represents=partner.iso_code),
            }
        elif partner.kind in Partner.PLACE_KINDS:
            based_here = (
                network.filter(parent=partner.parent_id, locality__iexact=partner.name) if partner.parent_id else []
            )
            working_for = network.filter(represents=partner)
            network_urls = {}
        else:
            based_here, working_for, network_urls = [], [], {}
        # Every tie in the place, its own and its places' (not only the own ones above): a state's
        # planner plans its cities' anniversaries too. All of them link to the anniversaries page
        # with the same filter.
        ties = Relationship.objects.select_related(*RELATIONSHIP_SIDES).filter(own | inside)
        coming = anniversaries.with_anniversaries(ties, anniversaries.coming_years())
        coming_url = f"{reverse('partnerships:anniversaries')}?{urlencode(ties_filter)}"
        # A place record's own sources say where its name, codes and coordinates come from (GeoNames,
        # pycountry): facts about the place, not the brief's. The brief's sources are its ties'.
        ties_sources = Source.objects.filter(relationships__in=ties).annotate(ties=Count("pk"))
        ties_sources = ties_sources.order_by("-ties", "title")
        number, changed = DataVersion.current()
        return super().get_context_data(
            based_here=list(based_here),
            working_for=list(working_for),
            network_urls=network_urls,
            place_record=partner.kind in Partner.PLACE_KINDS,
            ties_sources=FirstOf.of(ties_sources, "", limit=self.sources_shown),
            printed=timezone.localdate(),
            data_version={"number": number, "changed": changed},
            anniversaries_coming=FirstOf.of(coming.order_by("anniversary_year", "-anniversary", "pk"), coming_url),
            relationships=FirstOf.of(relationships, relationships_url(partner=partner.slug)),
            relationships_inside=FirstOf.of(relationships_inside, inside_url),
            children=FirstOf.of(children, children_url, limit=settings.DETAIL_LIST_LIMIT * 4),
            agreements=partner.agreements.prefetch_related("parties").order_by("-signed", "title"),
            participations=partner.participations.select_related("program"),
            seeking=partner.seeking.select_related("source"),
            map=maps.map_for(
                [relationships, relationships_inside],
                reverse("partnerships:relationship-list"),
                focus=partner,
                limit=settings.RECORD_MAP_LIMIT,
            ),
            **kwargs,
        )


class RelationshipDetailView(DetailView):
    queryset = Relationship.objects.select_related(*RELATIONSHIP_SIDES).prefetch_related(
        "sources",
        "topics",
        Prefetch("checks", queryset=Verification.objects.select_related("source")),
        Prefetch("events", queryset=RelationshipEvent.objects.select_related("source")),
    )

    def get_context_data(self, **kwargs):
        link = self.object
        others = Relationship.objects.select_related(*RELATIONSHIP_SIDES).exclude(pk=link.pk)
        us_others = others.filter(Q(us_partner=link.us_partner_id) | Q(jp_partner=link.us_partner_id))
        jp_others = others.filter(Q(us_partner=link.jp_partner_id) | Q(jp_partner=link.jp_partner_id))
        us_shown = FirstOf.of(us_others, relationships_url(partner=link.us_partner.slug))
        jp_shown = FirstOf.of(jp_others, relationships_url(partner=link.jp_partner.slug))
        return super().get_context_data(
            us_partner_others=us_shown,
            jp_partner_others=jp_shown,
            map=maps.map_data([link], us_shown.items, jp_shown.items),
            **kwargs,
        )


class AgreementDetailView(DetailView):
    queryset = Agreement.objects.select_related("renews").prefetch_related(
        "parties__parent", "topics", "sources", "renewals", "programs"
    )


class ProgramDetailView(DetailView):
    queryset = Program.objects.prefetch_related(
        "topics",
        "sources",
        # A program's agreements in the order they were signed, undated ones last.
        Prefetch("agreements", queryset=Agreement.objects.order_by(F("signed").asc(nulls_last=True), "title")),
        Prefetch("participations", queryset=Participation.objects.select_related("partner__parent")),
    )
