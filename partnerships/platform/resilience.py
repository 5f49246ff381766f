"""When the database or the shared cache fails, readers get a clear answer in bounded time,
never a cascade.

The database, one part per way it fails:

- **Refused or cut**: any database error that reaches Django's error handling, from a view or
  from a middleware (the data version the page cache reads, a staff session being saved), is
  answered with the 503 page and `Retry-After` (`unavailable`, `server_error`).
- **Hung** (the server or the network stops answering on a connection that is already open):
  libpq would wait for ever, and a connect timeout covers only new connections. psycopg2 lets a
  program do the waiting itself (`set_wait_callback`); `wait` waits at most `DB_ANSWER_TIMEOUT`
  seconds of silence, then shuts the connection's socket so that nothing waits on it again, and
  raises `OperationalError`. A live server answers within its own `statement_timeout`, which
  is shorter, so only a server that has stopped answering meets this bound.
- **Every request paying the bound**: after a wait has given up, the database is taken as down
  for `DB_RETRY_SECONDS`: waits give up at once until then, so pages answer 503 immediately
  instead of each spending the bound, and one request tries again afterwards.

The shared cache (Redis) is a help, not a need: `SharedCache` gives up on it after
`REDIS_TIMEOUT` seconds, takes it as down for `REDIS_RETRY_SECONDS`, and meanwhile keeps what it
is given in this process's memory. Pages are then rendered (or kept per process), and the report
form's rate limit counts per process instead of across servers: still a limit, never an error.

Static files and /healthz touch neither the database nor the cache, so they keep answering.
"""

import logging
import select
import socket
import sys
import threading
import time

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger(__name__)


def unavailable():
    """The 503 page: rendered without the request, so that nothing it shows needs the database."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(settings.RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def is_database_fault(error):
    """A database that cannot be reached or stopped answering (not a bug in a query)."""
    return isinstance(error, OperationalError | InterfaceError)


def server_error(request):
    """handler500: a database fault anywhere in the request (middleware included) is a 503 with
    Retry-After; anything else is Django's own 500."""
    if is_database_fault(sys.exception()):
        return unavailable()
    return defaults.server_error(request)


class Outage:
    """Whether the database is taken as down, shared by the threads of one process."""

    def __init__(self):
        self._lock = threading.Lock()
        self._until = 0.0

    def start(self, seconds):
        with self._lock:
            self._until = time.monotonic() + seconds

    def end(self):
        with self._lock:
            self._until = 0.0

    @property
    def ongoing(self):
        return time.monotonic() < self._until


outage = Outage()  # the database's
cache_outage = Outage()  # the shared cache's


def _cut(conn):
    """Shut the connection's socket, so that every later use fails at once instead of waiting."""
    try:
        with socket.socket(fileno=conn.fileno()) as sock:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            finally:
                sock.detach()  # libpq owns the descriptor and closes it itself
    except OSError:
        pass


def wait(conn, limit=None):
    """psycopg2's wait callback: psycopg2.extras.wait_select with a bound on silence."""
    import psycopg2
    from psycopg2 import extensions

    limit = settings.DB_ANSWER_TIMEOUT if limit is None else limit
    while True:
        if outage.ongoing:
            _cut(conn)
            raise psycopg2.OperationalError("the database is not answering (waiting before trying again)")
        state = conn.poll()
        if state == extensions.POLL_OK:
            return
        if state == extensions.POLL_READ:
            events = select.POLLIN
        elif state == extensions.POLL_WRITE:
            events = select.POLLOUT
        else:
            raise psycopg2.OperationalError(f"unexpected state from poll(): {state}")
        poller = select.poll()
        poller.register(conn.fileno(), events | select.POLLERR | select.POLLHUP)
        # Wake up now and then to notice an outage another thread has found.
        deadline = time.monotonic() + limit
        while not poller.poll(min(0.5, max(deadline - time.monotonic(), 0)) * 1000):
            if time.monotonic() >= deadline or outage.ongoing:
                break
        else:
            continue
        if not outage.ongoing:
            logger.warning("The database did not answer within %s s; taken as down for %s s", limit,
                           settings.DB_RETRY_SECONDS)  # fmt: skip
            outage.start(settings.DB_RETRY_SECONDS)
        _cut(conn)
        raise psycopg2.OperationalError(f"the database did not answer within {limit} s")


def bound_database_waits():
    """Install `wait` for every PostgreSQL connection of this process (when a bound is set)."""
    engines = {database["ENGINE"] for database in settings.DATABASES.values()}
    if settings.DB_ANSWER_TIMEOUT and "django.db.backends.postgresql" in engines:
        from psycopg2 import extensions

        extensions.set_wait_callback(wait)


class SharedCache(RedisCache):
    """Django's Redis cache that falls back to this process's memory while Redis fails."""

    def __init__(self, server, params):
        options = {
            "socket_connect_timeout": settings.REDIS_TIMEOUT,
            "socket_timeout": settings.REDIS_TIMEOUT,
            "retry_on_timeout": False,
        }
        super().__init__(server, {**params, "OPTIONS": options | params.get("OPTIONS", {})})
        self.fallback = LocMemCache(f"fallback-{server}", params)

    def shared(self, name, *args, **kwargs):
        """Call `name` on Redis, or on the fallback while Redis is down."""
        from redis.exceptions import ConnectionError, TimeoutError

        if not cache_outage.ongoing:
            try:
                return getattr(super(), name)(*args, **kwargs)
            except (ConnectionError, TimeoutError) as error:
                logger.warning("The shared cache failed (%s); using process memory for %s s", error,
                               settings.REDIS_RETRY_SECONDS)  # fmt: skip
                cache_outage.start(settings.REDIS_RETRY_SECONDS)
        return getattr(self.fallback, name)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self.shared("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self.shared("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self.shared("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self.shared("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self.shared("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self.shared("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self.shared("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self.shared("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self.shared("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self.shared("delete_many", *args, **kwargs)

    def clear(self):
        return self.shared("clear")

    def ping(self):
        """Whether Redis itself answers now (for /readyz), whatever the fallback does."""
        return self._cache.get_client().ping()
