"""Pages for planning: the map, anniversaries in a year, statistics."""

from django.conf import settings
from django.db.models import Count
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partnerships.models import (
    Relationship,
)
from partnerships.platform import caching
from partnerships.public import anniversaries, exports, maps, renderers, statistics
from partnerships.public.exports import CITATION, COLUMNS, Column, rows_as_json
from partnerships.public.facets import filters_only
from partnerships.public.filters import RelationshipFilter
from partnerships.public.forms import ChartForm
from partnerships.public.views.lists import RELATIONSHIP_SIDES, FacetedFilterView
from partnerships.public.views.records import FirstOf


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
    charts = ChartForm.CHARTS

    @classmethod
    def query_parameters(cls):
        return caching.parameters(cls.filterset_class, ChartForm)

    def get(self, request, *args, **kwargs):
        form = ChartForm(request.GET)
        if renderers.output_format(form) == "csv":
            self.filterset = self.get_filterset(self.get_filterset_class())
            chart = form.cleaned_data.get("chart")
            if not chart or not self.input_is_valid():
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
