"""The lists: relationships, partners, agreements, programs and places seeking a partner, each
filtered, counted beside every filter, sorted, paged, and delivered as a page or a file."""

from django.conf import settings
from django.db.models import Case, Prefetch, Value, When
from django.utils.translation import gettext
from django_filters.views import FilterView

from partnerships.html import tables
from partnerships.models import (
    Agreement,
    Participation,
    Partner,
    PartnerSeeking,
    Program,
    Relationship,
)
from partnerships.platform import caching
from partnerships.public import renderers
from partnerships.public.exports import CITATION, COLUMNS, as_json_rows
from partnerships.public.facets import active_filters, facet_groups, toggle_url, with_page
from partnerships.public.filters import AgreementFilter, PartnerFilter, ProgramFilter, RelationshipFilter, SeekingFilter
from partnerships.public.forms import ListFormatForm
from partnerships.rules import languages
from partnerships.rules.languages import page_language

# What a relationship row shows besides itself: each side and its state or prefecture.
RELATIONSHIP_SIDES = ("us_partner__parent", "jp_partner__parent")


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

    def sorted(self):
        """Whether the reader chose an order (the sort select), valid or not."""
        return bool(self.request.GET.get(self.filterset.ordering_name))

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
    # The standard order of a Japanese page, where it differs: by reading (五十音順), as a Japanese
    # reader files names. Files and JSON keep one order in every language (the same bytes).
    japanese_order = ()

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
        if self.japanese_order and self.output == "html" and page_language() == "ja" and not self.sorted():
            queryset = queryset.order_by(*self.japanese_order)
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
            return self.request.build_absolute_uri(path + with_page(self.request.GET, number))

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
    japanese_order = ("untied", "reading", "slug")
    template_name = "partnerships/partner_list.html"


class RelationshipListView(DirectoryListView):
    export_name = "relationships"
    filterset_class = RelationshipFilter
    # What the table's columns read (tables.RELATIONSHIPS) and no more: the long columns (notes,
    # search_text) stay in the database.
    queryset = Relationship.objects.select_related("us_partner__parent", "jp_partner__parent").only(
        "us_name", "jp_name", *tables.fields(tables.RELATIONSHIPS)
    )
    japanese_order = ("us_reading", "jp_reading", "id")
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
