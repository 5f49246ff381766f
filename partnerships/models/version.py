"""The data version: one number that every published change raises.

Public pages are a function of the published records, the page's URL and language, and the
code: the version stands for the first. It keys each page's ETag and its copy in the shared
cache (partnerships/platform/caching.py), so that a publish on any server makes every server's copies
stale at once — the version is read from the database, which they all share.
"""

import contextlib
import contextvars
import functools

from django.db import models, router
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.rules.languages import page_language


class DataVersion(models.Model):
    number = models.PositiveBigIntegerField(_("version"), default=1)
    changed = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("data version")

    def __str__(self):
        return f"{self.number} ({self.changed:%Y-%m-%d %H:%M})"

    @classmethod
    def current(cls):
        """(number, when it last changed); (0, None) before anything was published. Read once per
        public request (see `reading`); a plain query, as every cached page asks it."""
        known = _read.get()
        if known is not None:
            return known
        row = cls.objects.using(router.db_for_read(cls)).filter(pk=1).values_list("number", "changed").first()
        if row is None:
            return (0, None)
        number, changed = row
        return (number, changed)

    @classmethod
    @contextlib.contextmanager
    def reading(cls, version):
        """While a public page is drawn, the version read for its ETag stands for the whole request
        (a GET publishes nothing): `current()` and `per_version` ask the database no more."""
        token = _read.set(version)
        try:
            yield
        finally:
            _read.reset(token)

    @classmethod
    def lock(cls):
        """Take the version's row lock first thing in a transaction that may publish. Every publish
        raises the version, locking its row until commit: a transaction that locked a record first
        and the version after could deadlock with one holding the version and waiting for that
        record (a partner's page and its relationship saved at once did: 2 deadlocks, each a 503, in
        about 60 trials on PostgreSQL).
        Taken first, writers queue here instead. A no-op on SQLite, which has one writer anyway."""
        list(cls.objects.select_for_update().filter(pk=1).values_list("pk", flat=True))

    @classmethod
    def bump(cls):
        """Raise the version, inside the caller's transaction (so it commits with the change)."""
        if not cls.objects.filter(pk=1).update(number=F("number") + 1, changed=timezone.now()):
            cls.objects.get_or_create(pk=1)


_read = contextvars.ContextVar("data_version_read", default=None)


def per_version(function):
    """Remember what `function(*args)` gives (in the reader's language) until the next publish: for
    facts drawn from the published records that every list asks again, such as the states and
    prefectures its filters offer. Keyed by the data version, so a publish on any server makes every
    server's copies stale; only the current version's are kept. Kept in the process, not in Django's
    cache under `version=`: asked several times a page, a lookup here takes about 12 µs, a cache
    get 37 µs from the local memory cache and a network round trip from the shared one."""
    kept = [(None, {})]  # (version, {key: value}), replaced whole when the version moves on
    _remembered.append(kept)

    @functools.wraps(function)
    def wrapper(*args):
        version = DataVersion.current()
        kept_version, values = kept[0]
        if kept_version != version:
            values = {}
            kept[0] = (version, values)
        key = (page_language(), *args)
        if key not in values:
            values[key] = function(*args)
        return values[key]

    return wrapper


_remembered = []


def forget_remembered():
    """Drop what every `per_version` function remembers (tests: a rolled-back test's data may be
    followed by another's under the same version)."""
    for kept in _remembered:
        kept[0] = (None, {})


def bump_on_change(sender, **kwargs):
    """Signal receiver: a record (or its many-to-many links) changed."""
    if kwargs.get("raw"):  # loaddata: the loader bumps once at the end
        return
    if "action" in kwargs and not kwargs["action"].startswith("post_"):
        return
    DataVersion.bump()
