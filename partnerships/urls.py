from django.urls import path

from partnerships.public import views
from partnerships.public.feeds import AnniversaryCalendar, ChangesFeed

app_name = "partnerships"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("report/", views.ReportView.as_view(), name="report"),
    path("changes/", views.ChangesView.as_view(), name="changes"),
    path("changes/feed/", ChangesFeed(), name="changes-feed"),
    path("partners/", views.PartnerListView.as_view(), name="partner-list"),
    path("partners/<slug:slug>/", views.PartnerDetailView.as_view(), name="partner-detail"),
    path("relationships/", views.RelationshipListView.as_view(), name="relationship-list"),
    path("relationships/<int:pk>/", views.RelationshipDetailView.as_view(), name="relationship-detail"),
    path("agreements/", views.AgreementListView.as_view(), name="agreement-list"),
    path("agreements/<slug:slug>/", views.AgreementDetailView.as_view(), name="agreement-detail"),
    path("programs/", views.ProgramListView.as_view(), name="program-list"),
    path("programs/<slug:slug>/", views.ProgramDetailView.as_view(), name="program-detail"),
    path("map/", views.MapView.as_view(), name="map"),
    path("anniversaries/", views.AnniversaryView.as_view(), name="anniversaries"),
    path("seeking/", views.SeekingListView.as_view(), name="seeking"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("anniversaries.ics", AnniversaryCalendar(), name="anniversaries-ics"),
]
