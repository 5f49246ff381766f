from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from partnerships.filters import AgreementFilter, PartnerFilter, ProgramFilter, RelationshipFilter
from partnerships.models import Agreement, Participation, Partner, Program, Relationship, Source, Topic


class DirectoryListView(FilterView):
    """A filtered, sorted, paginated list.

    Bad input never raises: an invalid filter shows its message with an empty result
    (status 400), and a page number that is not a number or is past the end shows the
    nearest real page with a note.
    """

    paginate_by = settings.PAGE_SIZE
    strict = True

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        requested = self.request.GET.get(self.page_kwarg, "1")
        page = paginator.get_page(requested)
        self.page_notice = str(page.number) != requested.strip() and requested != "1"
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_notice"] = getattr(self, "page_notice", False)
        context["has_filters"] = any(key not in ("page", "sort") for key in self.request.GET)
        return context

    def render_to_response(self, context, **response_kwargs):
        if self.filterset.is_bound and not self.filterset.is_valid():
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)


class PartnerListView(DirectoryListView):
    filterset_class = PartnerFilter
    queryset = Partner.objects.select_related("parent").with_relationship_count()
    template_name = "partnerships/partner_list.html"


class RelationshipListView(DirectoryListView):
    filterset_class = RelationshipFilter
    queryset = Relationship.objects.select_related("us_partner__parent", "jp_partner__parent").with_source_count()
    template_name = "partnerships/relationship_list.html"


class AgreementListView(DirectoryListView):
    filterset_class = AgreementFilter
    queryset = Agreement.objects.prefetch_related("parties", "topics")
    template_name = "partnerships/agreement_list.html"


class ProgramListView(DirectoryListView):
    filterset_class = ProgramFilter
    queryset = Program.objects.prefetch_related(
        "topics", Prefetch("participations", queryset=Participation.objects.select_related("partner"))
    )
    template_name = "partnerships/program_list.html"


RELATIONSHIP_SIDES = ("us_partner__parent", "jp_partner__parent")


class PartnerDetailView(DetailView):
    queryset = Partner.objects.select_related("parent").prefetch_related("sources")

    def get_context_data(self, **kwargs):
        partner = self.object
        own = Q(us_partner=partner) | Q(jp_partner=partner)
        inside = Q(us_partner__parent=partner) | Q(jp_partner__parent=partner)
        relationships = Relationship.objects.select_related(*RELATIONSHIP_SIDES).with_source_count()
        return super().get_context_data(
            relationships=relationships.filter(own),
            relationships_inside=relationships.filter(inside),
            children=partner.children.with_relationship_count().order_by("name"),
            agreements=partner.agreements.prefetch_related("parties").order_by("-signed", "title"),
            participations=partner.participations.select_related("program"),
            **kwargs,
        )


class RelationshipDetailView(DetailView):
    queryset = Relationship.objects.select_related(*RELATIONSHIP_SIDES).prefetch_related("sources", "topics")

    def get_context_data(self, **kwargs):
        link = self.object
        others = Relationship.objects.select_related(*RELATIONSHIP_SIDES).exclude(pk=link.pk)
        return super().get_context_data(
            us_partner_others=others.filter(Q(us_partner=link.us_partner_id) | Q(jp_partner=link.us_partner_id)),
            jp_partner_others=others.filter(Q(us_partner=link.jp_partner_id) | Q(jp_partner=link.jp_partner_id)),
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
        "agreements",
        Prefetch("participations", queryset=Participation.objects.select_related("partner__parent")),
    )


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


class AboutView(TemplateView):
    template_name = "partnerships/about.html"

    def get_context_data(self, **kwargs):
        by_kind = Relationship.objects.values_list("kind").annotate(n=Count("id")).order_by("kind")
        return super().get_context_data(
            datasets=Source.objects.filter(kind=Source.Kind.DATASET),
            publications=Source.objects.filter(kind=Source.Kind.PUBLICATION),
            web_page_count=Source.objects.filter(kind=Source.Kind.WEB_PAGE).count(),
            relationship_kinds=[(Relationship.Kind(kind).label, n) for kind, n in by_kind],
            relationship_total=Relationship.objects.count(),
            corroborated_count=Relationship.objects.corroborated().count(),
            dated_count=Relationship.objects.filter(established__isnull=False).count(),
            states=Relationship.objects.count_by_region("us_partner"),
            prefectures=Relationship.objects.count_by_region("jp_partner"),
            **kwargs,
        )
