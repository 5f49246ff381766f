"""Reads for the public from a read replica (DATABASE_REPLICA_URL), everything else from the primary.

`ReplicaMiddleware` marks a request as a public read (GET or HEAD of a public page, not the
admin); while it runs, `ReplicaRouter` sends reads to the "replica" database. Writes, staff pages,
the report form and anything outside a request (commands, the loader) use the primary. Without
a replica configured nothing changes.
"""

from contextvars import ContextVar

from django.conf import settings

from partnerships.rules import languages

public_read = ContextVar("public_read", default=False)


def has_replica():
    return "replica" in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return "replica" if public_read.get() and has_replica() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        public = request.method in ("GET", "HEAD") and bool(languages.split(request.path_info)[0])
        token = public_read.set(public)
        try:
            return self.get_response(request)
        finally:
            public_read.reset(token)
