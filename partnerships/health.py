"""Health checks for a load balancer or orchestrator.

/healthz: the process answers (liveness); it touches nothing else, so it stays up while the
database is down. /readyz: the process can serve data (readiness): the database answers a query
and the cache a round trip; 503 with what failed otherwise.
"""

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except DatabaseError as error:
        checks["database"] = f"unavailable: {error.__class__.__name__}"
    try:
        cache.set("readyz", "1", 5)
        checks["cache"] = "ok" if cache.get("readyz") == "1" else "unavailable"
    except Exception as error:  # noqa: BLE001 - any cache backend's failure means "not ready"
        checks["cache"] = f"unavailable: {error.__class__.__name__}"
    ready = all(value == "ok" for value in checks.values())
    response = JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )
    if not ready:
        response["Retry-After"] = "30"
    return response
