"""The site's own pages: home, about and data, search across lists, the change log, a reader's
report of an error."""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, ListView, TemplateView
from django_ratelimit.core import is_ratelimited

from partnerships.models import (
    Agreement,
    DateBasis,
    DatePrecision,
    Partner,
    Program,
    Relationship,
    Source,
    Topic,
    Verification,
)
from partnerships.models.records import record_at, record_names
from partnerships.platform import caching
from partnerships.public import exports, figures, renderers
from partnerships.public.changes import described, published_versions, with_releases
from partnerships.public.exports import CITATION, SEARCH_COLUMNS, as_json_rows
from partnerships.public.forms import MAX_PAGE_SIZE, ReportForm, SearchForm
from partnerships.public.views.lists import (
    AgreementListView,
    NearestPageMixin,
    PartnerListView,
    ProgramListView,
    RelationshipListView,
)
from partnerships.rules import evidence, search


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
        page = context["page_obj"]
        # The page's rows and, after the first page, the one before them: the loads of the bundled
        # data that fall between the two pages' changes are shown on this one.
        before = 1 if page.number > 1 else 0
        rows = list(self.object_list[max(page.start_index() - 1 - before, 0) : page.end_index()])
        older_than = rows.pop(0)[0] if before else None
        newer_than = rows[-1][0] if page.has_next() else None
        context["changes"] = with_releases(described(rows), newer_than, older_than)
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
            corroborating_sources=evidence.CORROBORATING_SOURCES,
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
        context = super().get_context_data(sent=self.request.GET.get("sent") == "1", **kwargs)
        form = context["form"]
        about = form.page_reported()
        reported = record_at(about) if about else None
        return {**context, "about": about, "reported": record_names(reported) if reported else None}
