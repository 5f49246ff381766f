from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.template.response import TemplateResponse


class NoIndexStaffPagesMiddleware:
    """Asks search engines not to index the admin, on top of robots.txt (which only asks
    them not to crawl it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class DatabaseUnavailableMiddleware:
    """When the database cannot be reached (down, hanging past its timeouts), readers get a
    503 page that says so and when to try again (`Retry-After`), not a generic server error.
    Static files and /healthz never touch the database, so they keep answering."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        response = TemplateResponse(request, "503.html", status=503)
        response["Retry-After"] = str(settings.RETRY_AFTER)
        response["Cache-Control"] = "no-store"
        return response.render()


class PermissionsPolicyMiddleware:
    """Turns off browser features no page uses (settings.PERMISSIONS_POLICY)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
