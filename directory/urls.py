from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from partnerships.platform import health

# A database fault anywhere in a request, middleware included, is a 503 with Retry-After.
handler500 = "partnerships.platform.resilience.server_error"


urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain")),
]
# Public pages under their language: /en/…, /ja/…; a URL without a prefix is served in the
# browser's language (partnerships/rules/languages.py), so links shared before the prefixes still work.
urlpatterns += i18n_patterns(path("", include("partnerships.urls")), prefix_default_language=True)
