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
