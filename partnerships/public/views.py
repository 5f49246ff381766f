from dataclasses import dataclass

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.db.models import Case, Count, F, Prefetch, Q, Value, When
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView, TemplateView
from django_filters.views import FilterView
from django_ratelimit.core import is_ratelimited

from partnerships.models import (
    Agreement,
    DataVersion,
    DateBasis,
    DatePrecision,
    Participation,
    Partner,
    PartnerSeeking,
    Program,
    Relationship,
    Source,
    Topic,
    Verification,
)
from partnerships.platform import caching
from partnerships.public import anniversaries, exports, figures, maps, renderers, statistics
from partnerships.public.changes import described, published_versions
from partnerships.public.exports import CITATION, COLUMNS, SEARCH_COLUMNS, Column, as_json_rows, rows_as_json
from partnerships.public.facets import active_filters, facet_groups, filters_only, toggle_page, toggle_url
from partnerships.public.filters import AgreementFilter, PartnerFilter, ProgramFilter, RelationshipFilter, SeekingFilter
from partnerships.public.forms import MAX_PAGE_SIZE, ListFormatForm, ReportForm, SearchForm
from partnerships.rules import languages, search


class FacetedFilterView(FilterView):
    """A FilterView with counts beside every filter and removable chips for the chosen values.

    Bad input never raises: an invalid filter shows its message with an empty result and
    status 400.
    """

    strict = True

    @classmethod
    def query_parameters(cls):
        """What the page reads from its query string (partnerships/platform/caching.py drops the rest)."""
        return caching.parameters(cls.filterset_class)

    def input_is_valid(self):
        return not self.filterset.is_bound or self.filterset.is_valid()

    def get_context_data(self, **kwargs):
        # The facets first: on PostgreSQL they count the matching records too, which the paginator then needs not.
        facet_counts = self.filterset.facet_counts() if self.input_is_valid() else {}
        context = super().get_context_data(**kwargs)
        context["facet_counts"] = facet_counts
        context["facet_groups"] = facet_groups(self.filterset, context["facet_counts"])
        context["active_filters"] = active_filters(self.filterset, self.request.GET)
        return context

    def render_to_response(self, context, **response_kwargs):
        if not self.input_is_valid():
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)


class NearestPageMixin:
    """A page number that is not a number or is past the end shows the nearest real page with a
    note (`page_notice`); that page is served, not kept in the page cache under the number asked."""

    def nearest_page(self, paginator):
        requested = self.request.GET.get(self.page_kwarg, "1")
        page = paginator.get_page(requested)
        self.page_notice = str(page.number) != requested.strip() and requested != "1"
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_notice"] = getattr(self, "page_notice", False)
        return context

    def kept_or_not(self, response):
        return caching.not_kept(response) if getattr(self, "page_notice", False) else response


class DirectoryListView(NearestPageMixin, FacetedFilterView):
    """A filtered, sorted, paginated list, as HTML, JSON (`?format=json`), CSV or Excel."""

    paginate_by = settings.PAGE_SIZE

    export_name = ""  # "relationships": the start of an export's file name

    @classmethod
    def query_parameters(cls):
        return caching.parameters(cls.filterset_class, ListFormatForm, cls.page_kwarg)

    def get(self, request, *args, **kwargs):
        self.format_form = ListFormatForm(request.GET)
        self.output = renderers.output_format(self.format_form)
        if self.output in renderers.FILES:
            # The whole filtered, sorted result as a file, not a page of it.
            self.filterset = self.get_filterset(self.get_filterset_class())
            if not self.input_is_valid():
                return renderers.render_errors(self.output, self.errors())
            return renderers.render(self.output, self.result(), request)
        return super().get(request, *args, **kwargs)

    def errors(self):
        return {**self.filterset.errors, **self.format_form.errors}

    def result(self, context=None):
        queryset = self.filterset.qs
        columns = COLUMNS[queryset.model]
        return renderers.Result(
            name=self.export_name,
            querysets=[queryset],
            columns=COLUMNS,
            header=[column.name for column in columns],
            labels=self.filter_labels(),
            document=(lambda: self.json_document(context)) if context else None,
            bom=self.format_form.cleaned_data.get("bom", False),
        )

    def filter_labels(self):
        """The chosen filter values, for a file name: ["WA", "1950"]."""
        labels = []
        for value in self.filterset.chosen().values():
            labels.extend(value if isinstance(value, list) else [value])
        return labels

    def get_paginate_by(self, queryset):
        return self.format_form.cleaned_data.get("page_size") or self.paginate_by

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        if self.input_is_valid() and self.filterset.total is not None:
            paginator.count = self.filterset.total  # counted with the facets
        return self.nearest_page(paginator)

    def input_is_valid(self):
        return super().input_is_valid() and self.format_form.is_valid()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["format_errors"] = self.format_form.errors
        if self.input_is_valid() and hasattr(self.filterset, "undated_set_aside"):
            # Date filters say what they leave out, and how to see it.
            context["undated_set_aside"] = self.filterset.undated_set_aside(context["facet_counts"])
            context["undated_url"] = toggle_url(self.request.GET, "undated", "true")
        return context

    def render_to_response(self, context, **response_kwargs):
        if self.output == "json":
            if not self.input_is_valid():
                return renderers.render_errors("json", self.errors())
            if context.get("page_notice"):
                # A program asking for a page past the end is told so, not given another page's rows.
                last = context["paginator"].num_pages
                message = gettext("There is no such page: pages run from 1 to %(last)s.") % {"last": last}
                return renderers.render_errors("json", {self.page_kwarg: [message]}, status=404)
            response = renderers.render("json", self.result(context), self.request)
        else:
            response = super().render_to_response(context, **response_kwargs)
        return self.kept_or_not(response)

    def json_document(self, context):
        page = context["page_obj"]

        def page_url(number):
            # Without the language prefix, as the rows' own links: the document is the same in every language.
            path = languages.neutral(self.request.path)
            return self.request.build_absolute_uri(path + toggle_page(self.request.GET, number))

        return {
            "count": page.paginator.count,
            "next": page_url(page.next_page_number()) if page.has_next() else None,
            "previous": page_url(page.previous_page_number()) if page.has_previous() else None,
            "results": as_json_rows(page.object_list, self.request),
            # Values (the codes a query string uses) and counts, most first and ties by value: the same
            # bytes in every language (a page orders ties by their label in its language).
            "facets": {
                name: [
                    {"value": item["value"], "count": item["count"]}
                    for item in sorted(values, key=lambda item: (-item["count"], str(item["value"])))
                ]
                for name, values in context["facet_counts"].items()
            },
            "citation": CITATION,
            # When the data last changed, not when the page was drawn: the same data, the same bytes (ETag).
            "as_of": caching.last_published().isoformat(timespec="seconds"),
        }


class PartnerListView(DirectoryListView):
    export_name = "partners"
    filterset_class = PartnerFilter
    # Every municipality of Japan is a partner record; those with ties come first, so that browsing
    # reads as before and "has_relationships=false" finds the rest.
    queryset = (
        Partner.objects.select_related("parent")
        .with_relationship_count()
        .alias(untied=Case(When(relationship_count=0, then=Value(1)), default=Value(0)))
        .order_by("untied", "name", "slug")
    )
    template_name = "partnerships/partner_list.html"


class RelationshipListView(DirectoryListView):
    export_name = "relationships"
    filterset_class = RelationshipFilter
    # What a row shows (relationship_rows) and no more: the long columns (notes, search_text) stay in the database.
    queryset = Relationship.objects.select_related("us_partner__parent", "jp_partner__parent").only(
        "kind", "established", "established_precision", "source_count", "us_name", "jp_name",
        *(f"{side}__{path}{field}" for side in ("us_partner", "jp_partner") for path in ("", "parent__")
          for field in ("slug", "name", "name_ja", "kind", "parent")),
    )  # fmt: skip
    template_name = "partnerships/relationship_list.html"


class AgreementListView(DirectoryListView):
    export_name = "agreements"
    filterset_class = AgreementFilter
    queryset = Agreement.objects.prefetch_related("parties", "topics")
    template_name = "partnerships/agreement_list.html"


class ProgramListView(DirectoryListView):
    export_name = "programs"
    filterset_class = ProgramFilter
    queryset = Program.objects.prefetch_related(
        "topics", Prefetch("participations", queryset=Participation.objects.select_related("partner"))
    )
    template_name = "partnerships/program_list.html"


class SeekingListView(DirectoryListView):
    """Japanese places seeking a partner abroad, from CLAIR's list: "which towns are looking for an
    American partner?" is `?wants=us`."""

    export_name = "seeking"
    filterset_class = SeekingFilter
    queryset = PartnerSeeking.objects.select_related("partner__parent", "source")
    template_name = "partnerships/seeking_list.html"


RELATIONSHIP_SIDES = ("us_partner__parent", "jp_partner__parent")


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
        region = partner.iso_code.split("-")
        if partner.kind in Partner.REGION_KINDS and len(region) == 2:
            ties_filter = {"state" if region[0] == "US" else "prefecture": region[1]}
        else:
            ties_filter = {"partner": partner.slug}
        inside_url = relationships_url(**ties_filter)
        children = partner.children.with_relationship_count().order_by("name")
        children_url = f"{reverse('partnerships:partner-list')}?{urlencode({'q': partner.name})}"
        if partner.kind in Partner.REGION_KINDS and len(region) == 2:
            key = "state" if region[0] == "US" else "prefecture"
            children_url = f"{reverse('partnerships:partner-list')}?{urlencode({key: region[1]})}"
        network = Partner.objects.filter(kind__in=Partner.NETWORK_KINDS).select_related("parent", "represents")
        network = network.order_by("closed", "kind", "name")
        if partner.kind in Partner.REGION_KINDS and len(region) == 2:
            based_here = network.filter(parent=partner)
            working_for = network.filter(Q(represents=partner) | Q(represents__parent=partner))
            network_urls = {
                "based_here": partners_url(
                    kind=Partner.NETWORK_KINDS, **{"state" if region[0] == "US" else "prefecture": region[1]}
                ),
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
        "sources", "topics", Prefetch("checks", queryset=Verification.objects.select_related("source"))
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


class SearchView(TemplateView):
    """One query across partners, relationships, agreements and programs, grouped, each group
    with its count and a link to the full filtered list."""

    template_name = "partnerships/search.html"
    results_per_group = 5

    @classmethod
    def query_parameters(cls):
        return caching.parameters(SearchForm)

    groups = [
        ("partners", _("Partners"), "partnerships:partner-list", PartnerListView.queryset),
        ("relationships", _("Relationships"), "partnerships:relationship-list", RelationshipListView.queryset),
        ("agreements", _("Agreements"), "partnerships:agreement-list", AgreementListView.queryset),
        ("programs", _("Programs"), "partnerships:program-list", ProgramListView.queryset),
    ]

    def get(self, request, *args, **kwargs):
        form = SearchForm(request.GET)
        output = renderers.output_format(form)
        q = form.cleaned_data.get("q", "") if form.is_valid() else ""
        if form.errors and output != "html":
            return renderers.render_errors(output, form.errors)
        groups = self.matching(q)
        correction = None
        if q and not any(group["count"] for group in groups) and search.forgivable(q):
            # Nothing matches: search the closest name instead, and offer the others.
            suggestions = Partner.objects.closest(q)
            if suggestions:
                correction = search.Correction(q, suggestions)
                groups = self.matching(correction.searched)
        if output != "html":
            result = renderers.Result(
                name="search",
                querysets=[group["matches"] for group in groups],
                columns=SEARCH_COLUMNS,
                header=[column.name for column in SEARCH_COLUMNS[Partner]],
                labels=[q],
                document=lambda: self.json_document(q, groups, correction),
                bom=form.cleaned_data.get("bom", False),
            )
            return renderers.render(output, result, request)
        total = sum(group["count"] for group in groups)
        context = self.get_context_data(form=form, q=q, groups=groups, total=total, correction=correction)
        return self.render_to_response(context, status=400 if form.errors else 200)

    def matching(self, q):
        groups = []
        for key, label, list_url, queryset in self.groups if q else []:
            matches = queryset.search(q)
            groups.append(
                {
                    "key": key,
                    "label": label,
                    "count": matches.count(),
                    "url": f"{reverse(list_url)}?{urlencode({'q': q})}",
                    "results": list(matches[: self.results_per_group]),
                    "matches": matches,
                }
            )
        return groups

    def json_document(self, q, groups, correction=None):
        return {
            "q": q,
            "searched": correction.searched if correction else q,
            "suggestions": correction.names if correction else [],
            "count": sum(group["count"] for group in groups),
            "groups": {
                group["key"]: {
                    "count": group["count"],
                    "url": self.request.build_absolute_uri(group["url"]),
                    "results": as_json_rows(group["matches"][: self.results_per_group], self.request),
                }
                for group in groups
            },
            "citation": CITATION,
        }


class ChangesView(NearestPageMixin, ListView):
    """The directory's published changes, newest first, PAGE_SIZE a page (a fixed number of
    queries a page: partnerships/public/changes.py); the newest as an Atom feed."""

    template_name = "partnerships/changes.html"
    paginate_by = settings.PAGE_SIZE
    context_object_name = "versions"

    @classmethod
    def query_parameters(cls):
        return caching.parameters(cls.page_kwarg)

    def get_queryset(self):
        return published_versions()

    def paginate_queryset(self, queryset, page_size):
        return self.nearest_page(self.get_paginator(queryset, page_size))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["changes"] = described(context["page_obj"].object_list)
        return context

    def render_to_response(self, context, **response_kwargs):
        return self.kept_or_not(super().render_to_response(context, **response_kwargs))


class HomeView(TemplateView):
    template_name = "partnerships/home.html"

    def get_context_data(self, **kwargs):
        kinds = dict(Relationship.objects.values_list("kind").annotate(n=Count("id")).order_by())
        return super().get_context_data(
            relationship_counts=kinds,
            relationship_total=sum(kinds.values()),
            partner_count=Partner.objects.count(),
            agreement_count=Agreement.objects.count(),
            program_count=Program.objects.count(),
            topics=Topic.objects.annotate(
                agreement_count=Count("agreements", distinct=True),
                program_count=Count("programs", distinct=True),
            ),
            programs=Program.objects.order_by("name")[:6],
            **kwargs,
        )


def counted(queryset, field, choices):
    """[(label, n)] for every value of `field`, in the choices' order, leaving out those with none."""
    counts = dict(queryset.values_list(field).annotate(n=Count("id")).order_by())
    return [(label, counts[value]) for value, label in choices.choices if counts.get(value)]


def with_public_figures(rows):
    """`count_by_region` rows with the public count for that state or prefecture, where one is known."""
    return [row | {"public": figures.BY_REGION.get(row["region_code"])} for row in rows]


class AboutView(TemplateView):
    template_name = "partnerships/about.html"

    def get_context_data(self, **kwargs):
        by_kind = Relationship.objects.values_list("kind").annotate(n=Count("id")).order_by("kind")
        return super().get_context_data(
            data_dictionary=[
                (_("Relationships"), exports.RELATIONSHIP_COLUMNS),
                (_("Partners"), exports.PARTNER_COLUMNS),
                (_("Agreements"), exports.AGREEMENT_COLUMNS),
                (_("Programs"), exports.PROGRAM_COLUMNS),
                (_("Search"), exports.SEARCH_COLUMNS[Partner]),
            ],
            xlsx_max_rows=exports.XLSX_MAX_ROWS,
            xlsx_seconds=int(settings.XLSX_TIME_BUDGET),
            json_max_page_size=MAX_PAGE_SIZE,
            datasets=Source.objects.filter(kind=Source.Kind.DATASET),
            publications=Source.objects.filter(kind=Source.Kind.PUBLICATION),
            web_page_count=Source.objects.filter(kind=Source.Kind.WEB_PAGE).count(),
            relationship_kinds=[(Relationship.Kind(kind).label, n) for kind, n in by_kind],
            relationship_total=Relationship.objects.count(),
            corroborated_count=Relationship.objects.corroborated().count(),
            dated_count=Relationship.objects.filter(established__isnull=False).count(),
            verification_counts=counted(Relationship.objects, "verification", Verification.State),
            precision_counts=counted(
                Relationship.objects.exclude(established=None), "established_precision", DatePrecision
            ),
            basis_counts=counted(Relationship.objects.exclude(established=None), "established_basis", DateBasis),
            network_counts=[
                (label, Partner.objects.filter(kind=kind, country=country).count())
                for kind, country, label in (
                    (Partner.Kind.SOCIETY, "US", _("Japan-America Societies in the US")),
                    (Partner.Kind.SOCIETY, "JP", _("America-Japan Societies in Japan")),
                    (Partner.Kind.GOVERNMENT_OFFICE, "JP", _("US state offices in Japan")),
                    (Partner.Kind.GOVERNMENT_OFFICE, "US", _("Japanese prefectural, city and CLAIR offices in the US")),
                )
            ],
            states=with_public_figures(Relationship.objects.count_by_region("us_partner")),
            prefectures=with_public_figures(Relationship.objects.count_by_region("jp_partner")),
            **kwargs,
        )


class MapView(FacetedFilterView):
    """The relationships on a map of the Pacific, filtered exactly like the relationships list
    (`/map/?state=WA` is Washington's links), with the same filter form and, for readers
    without JavaScript, the list of pairs. A fixed number of queries: the filters' choices,
    the facet counts and one query for every relationship drawn."""

    filterset_class = RelationshipFilter
    queryset = Relationship.objects.select_related(*RELATIONSHIP_SIDES).order_by("us_name", "jp_name", "pk")
    template_name = "partnerships/map.html"
    pairs_shown = 200  # state–prefecture lines listed under a map of many relationships

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = filters_only(self.request.GET)
        list_url = reverse("partnerships:relationship-list")
        context["list_url"] = list_url + (f"?{query.urlencode()}" if query else "")
        if not self.input_is_valid():
            context.update(object_list=[], links=[], map={})
            return context
        queryset = context["object_list"]
        links = list(queryset[: settings.MAP_DETAIL_LIMIT + 1])
        if len(links) <= settings.MAP_DETAIL_LIMIT:
            context.update(object_list=links, links=links, map=maps.map_data(links), total=len(links))
            return context
        # Too many to draw one by one: a line per state–prefecture pair, and a table of them.
        drawn = maps.region_pairs(queryset, list_url)
        regions = {int(pk): row for pk, row in drawn["partners"].items()}
        pairs = [link | {"us_region": regions[link["us"]], "jp_region": regions[link["jp"]]} for link in drawn["links"]]
        context.update(
            object_list=pairs,
            links=[],
            pairs=FirstOf(pairs[: self.pairs_shown], len(pairs), context["list_url"]),
            map=drawn,
            total=queryset.count(),
        )
        return context


class AnniversaryView(FacetedFilterView):
    """Ties that reach 5, 10, 15 … years in a year (`?year=2027`; this year and next by default),
    grouped by anniversary, filtered like the relationships list, downloadable like every list,
    and as a calendar (/anniversaries.ics) with the same filters."""

    filterset_class = RelationshipFilter
    template_name = "partnerships/anniversaries.html"

    @classmethod
    def query_parameters(cls):
        return caching.parameters(cls.filterset_class, anniversaries.YearForm)

    def get(self, request, *args, **kwargs):
        self.year_form = anniversaries.YearForm(request.GET)
        self.years = self.year_form.years()
        self.output = renderers.output_format(self.year_form)
        if self.output != "html":
            self.filterset = self.get_filterset(self.get_filterset_class())
            if not self.input_is_valid():
                return renderers.render_errors(self.output, {**self.filterset.errors, **self.year_form.errors})
            return renderers.render(self.output, self.result(), request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        base = Relationship.objects.select_related(*RELATIONSHIP_SIDES)
        return anniversaries.with_anniversaries(base, self.years).order_by("anniversary_year", "-anniversary", "pk")

    def input_is_valid(self):
        return super().input_is_valid() and self.year_form.is_valid()

    def result(self):
        queryset = self.filterset.qs
        columns = [
            Column("anniversary_year", "anniversary_year", _("the year of the anniversary")),
            Column("anniversary", "anniversary", _("years since the date established")),
            *COLUMNS[Relationship],
        ]
        return renderers.Result(
            name="anniversaries",
            querysets=[queryset],
            columns={Relationship: columns},
            header=[column.name for column in columns],
            labels=[*self.years, *self.filterset.chosen().values()],
            document=lambda: {
                "years": self.years,
                "count": queryset.count(),
                "results": rows_as_json(queryset, self.request, columns),
                "citation": CITATION,
            },
            bom=self.year_form.cleaned_data.get("bom", False),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        links = list(context["object_list"]) if self.input_is_valid() else []
        first, last = self.years[0], self.years[-1]
        query = filters_only(self.request.GET)

        def in_year(year):
            moved = query.copy()
            moved["year"] = str(year)
            return f"?{moved.urlencode()}"

        calendar = reverse("partnerships:anniversaries-ics")
        context.update(
            object_list=links,
            years=self.years,
            groups=anniversaries.grouped(links),
            year_form=self.year_form,
            earlier_url=in_year(first - 1),
            later_url=in_year(last + 1),
            calendar_url=f"{calendar}?{query.urlencode()}" if query else calendar,
            format_errors=self.year_form.errors,
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        if not self.input_is_valid():
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)


class StatisticsView(FacetedFilterView):
    """The network at a glance: ties per decade by kind, the most-linked states and prefectures,
    and both countries shaded by their ties, following the relationships list's filters. Each
    picture has its numbers in a table beside it, and `?format=csv&chart=…` downloads them."""

    filterset_class = RelationshipFilter
    queryset = Relationship.objects.all()
    template_name = "partnerships/statistics.html"
    charts = ("decades", "states", "prefectures")

    @classmethod
    def query_parameters(cls):
        return caching.parameters(cls.filterset_class, "format", "chart")

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            self.filterset = self.get_filterset(self.get_filterset_class())
            chart = request.GET.get("chart", "")
            if chart not in self.charts or not self.input_is_valid():
                message = gettext("Choose a chart (chart=decades, states or prefectures) and valid filters.")
                return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
            return self.chart_csv(chart, self.filterset.qs)
        return super().get(request, *args, **kwargs)

    def chart_csv(self, chart, queryset):
        if chart == "decades":
            header = ["decade", "kind", "relationships"]
            rows = [[bar.label or "date not stated", css, count] for bar in statistics.decades(queryset)
                    for _x, _width, _label, count, css in bar.segments]  # fmt: skip
        else:
            side = "us_partner" if chart == "states" else "jp_partner"
            header = ["region_code", "region", "region_ja", "relationships"]
            rows = [[row["region_code"], row["region_name"], row["region_name_ja"], row["count"]]
                    for row in queryset.count_by_region(side)]  # fmt: skip
        filename = exports.export_filename(f"statistics-{chart}", [], "csv")
        return exports.stream_csv(iter(rows), header, filename, count=len(rows))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queryset = context["object_list"] if self.input_is_valid() else Relationship.objects.none()
        query = self.request.GET.copy()
        query.pop("page", None)

        def csv_url(chart):
            with_chart = query.copy()
            with_chart.update({"format": "csv", "chart": chart})
            return f"?{with_chart.urlencode()}"

        decades = statistics.decades(queryset)
        by_state = list(queryset.count_by_region("us_partner"))
        by_prefecture = list(queryset.count_by_region("jp_partner"))
        states, prefectures = statistics.most_linked(by_state), statistics.most_linked(by_prefecture)
        context.update(
            total=queryset.count(),
            decades=decades,
            states=states,
            prefectures=prefectures,
            decades_height=statistics.height(decades),
            states_height=statistics.height(states),
            prefectures_height=statistics.height(prefectures),
            us_map=statistics.choropleth(by_state, "US"),
            jp_map=statistics.choropleth(by_prefecture, "JP"),
            kinds=[
                (Relationship.Kind(kind).label, n)
                for kind, n in queryset.order_by().values_list("kind").annotate(n=Count("pk"))
            ],  # fmt: skip
            csv_urls={chart: csv_url(chart) for chart in self.charts},
            object_list=[True] if self.input_is_valid() else [],
        )
        return context


class ReportView(FormView):
    """/report/: a reader reports an error or a missing tie. The report waits in the reviewers'
    queue (`Report`) and is never published as it is. Abuse is held off by the CSRF token, length
    limits, a honeypot field and REPORTS_PER_MINUTE reports a minute from one address (counted in
    the shared cache, so across every server when REDIS_URL is set)."""

    template_name = "partnerships/report.html"
    form_class = ReportForm

    def get_initial(self):
        return {"about": self.request.GET.get("about", "")[:300]}

    def post(self, request, *args, **kwargs):
        limited = is_ratelimited(
            request,
            group="report",
            key=lambda group, request: get_client_ip_address(request) or "unknown",
            rate=f"{settings.REPORTS_PER_MINUTE}/m",
            method="POST",
            increment=True,
        )
        if limited:
            form = self.get_form()
            form.errors.clear()
            context = self.get_context_data(form=form, limited=True)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if not form.is_spam():
            form.save()
        return redirect(f"{reverse('partnerships:report')}?sent=1")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        return super().get_context_data(sent=self.request.GET.get("sent") == "1", **kwargs)
