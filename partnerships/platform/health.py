"""Health checks for a load balancer or orchestrator.

/healthz: the process answers (liveness); it touches nothing else, so it stays up while the
database is down. /readyz: the process can serve data (readiness), with each dependency's state:
the database (and the replica, when there is one) answers a query, the shared cache a round trip.
Without the database nothing can be served: 503. Without the shared cache pages are still served
(partnerships/platform/resilience.py), so the answer is 200 and says "degraded": a load balancer must not
take every server out because Redis failed.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from partnerships.sql import database


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    checks = {alias: database_state(alias) for alias in settings.DATABASES}
    checks["database"] = checks.pop("default")
    checks["cache"] = cache_state()
    ready = checks["database"] == "ok"
    status = "unavailable" if not ready else "ok" if all(v == "ok" for v in checks.values()) else "degraded"
    response = JsonResponse({"status": status, "checks": checks}, status=200 if ready else 503)
    if not ready:
        response["Retry-After"] = str(settings.RETRY_AFTER)
    return response


def database_state(alias):
    try:
        database.answers(alias)
        return "ok"
    except DatabaseError as error:
        return f"unavailable: {error.__class__.__name__}"


def cache_state():
    """The shared cache itself (not the process-memory fallback that stands in for it)."""
    try:
        if hasattr(cache, "ping"):
            cache.ping()
            return "ok"
        cache.set("readyz", "1", 5)
        return "ok" if cache.get("readyz") == "1" else "unavailable"
    except Exception as error:  # noqa: BLE001 - any cache backend's failure means "unavailable"
        return f"unavailable: {error.__class__.__name__}"
