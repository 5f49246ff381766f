from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from partnerships import health

admin.site.site_header = _("US–Japan Partnerships Directory")
admin.site.site_title = _("Directory admin")
admin.site.index_title = _("Records")

urlpatterns = [
    path("admin/", admin.site.urls),
    # The language switch in the header posts to set_language (i18n/setlang/).
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain")),
    path("", include("partnerships.urls")),
]
