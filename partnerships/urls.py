from django.urls import path

from partnerships.public.feeds import AnniversaryCalendar, ChangesFeed
from partnerships.public.views import lists, pages, planning, records

app_name = "partnerships"

urlpatterns = [
    path("", pages.HomeView.as_view(), name="home"),
    path("about/", pages.AboutView.as_view(), name="about"),
    path("search/", pages.SearchView.as_view(), name="search"),
    path("report/", pages.ReportView.as_view(), name="report"),
    path("changes/", pages.ChangesView.as_view(), name="changes"),
    path("changes/feed/", ChangesFeed(), name="changes-feed"),
    path("partners/", lists.PartnerListView.as_view(), name="partner-list"),
    path("partners/<slug:slug>/", records.PartnerDetailView.as_view(), name="partner-detail"),
    path("relationships/", lists.RelationshipListView.as_view(), name="relationship-list"),
    path("relationships/<int:pk>/", records.RelationshipDetailView.as_view(), name="relationship-detail"),
    path("agreements/", lists.AgreementListView.as_view(), name="agreement-list"),
    path("agreements/<slug:slug>/", records.AgreementDetailView.as_view(), name="agreement-detail"),
    path("programs/", lists.ProgramListView.as_view(), name="program-list"),
    path("programs/<slug:slug>/", records.ProgramDetailView.as_view(), name="program-detail"),
    path("map/", planning.MapView.as_view(), name="map"),
    path("anniversaries/", planning.AnniversaryView.as_view(), name="anniversaries"),
    path("seeking/", lists.SeekingListView.as_view(), name="seeking"),
    path("statistics/", planning.StatisticsView.as_view(), name="statistics"),
    path("anniversaries.ics", AnniversaryCalendar(), name="anniversaries-ics"),
]
