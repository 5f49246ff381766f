from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from partnerships.models import Agreement, Participation, Partner, Program, Relationship, Source, Topic


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "publisher", "licence", "date"]
    list_filter = ["kind", "licence"]
    search_fields = ["title", "publisher", "url", "slug"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "name_ja", "slug"]
    search_fields = ["name", "name_ja", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class USRelationshipInline(admin.TabularInline):
    model = Relationship
    fk_name = "us_partner"
    fields = ["jp_partner", "kind", "established", "established_precision", "status"]
    autocomplete_fields = ["jp_partner"]
    extra = 0
    verbose_name = _("relationship with a Japanese partner")
    verbose_name_plural = _("relationships with Japanese partners")


class JPRelationshipInline(admin.TabularInline):
    model = Relationship
    fk_name = "jp_partner"
    fields = ["us_partner", "kind", "established", "established_precision", "status"]
    autocomplete_fields = ["us_partner"]
    extra = 0
    verbose_name = _("relationship with a US partner")
    verbose_name_plural = _("relationships with US partners")


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "name_ja", "kind", "country", "parent", "iso_code", "local_gov_code"]
    list_filter = ["country", "kind"]
    search_fields = ["name", "name_ja", "name_kana", "aliases", "slug", "iso_code", "local_gov_code", "fips_code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent", "sources"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "name_ja", "name_kana", "slug", "kind", "country", "parent"]}),
        (_("Codes and location"), {"fields": ["iso_code", "local_gov_code", "fips_code", "latitude", "longitude"]}),
        (_("About"), {"fields": ["website", "description", "description_ja", "aliases", "sources"]}),
    ]

    def get_inlines(self, request, obj):
        if obj is None:
            return []
        return [USRelationshipInline] if obj.country == "US" else [JPRelationshipInline]


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "established", "status"]
    list_filter = ["kind", "status", "established_precision"]
    search_fields = ["us_partner__name", "jp_partner__name", "jp_partner__name_ja", "notes"]
    list_select_related = ["us_partner", "jp_partner"]
    autocomplete_fields = ["us_partner", "jp_partner", "sources", "topics"]
    date_hierarchy = "established"


class ParticipationInline(admin.TabularInline):
    model = Participation
    autocomplete_fields = ["partner"]
    extra = 1


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "signed", "status"]
    list_filter = ["kind", "status", "topics"]
    search_fields = ["title", "title_ja", "summary", "parties__name"]
    autocomplete_fields = ["parties", "topics", "sources", "renews"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "start_year", "end_year", "status"]
    list_filter = ["status", "topics"]
    search_fields = ["name", "name_ja", "summary", "description"]
    autocomplete_fields = ["topics", "sources", "agreements"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ParticipationInline]
