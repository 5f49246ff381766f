"""Settings for the US–Japan Partnerships Directory.

Everything that differs between a laptop and production comes from the environment:

- DJANGO_DEBUG: "1" for local development (`make run` sets it). Off by default.
- SECRET_KEY: required when debug is off; start-up stops without it.
- DATABASE_URL: e.g. postgres://postgres@127.0.0.1:5432/partnerships. Unset or empty, the
  embedded SQLite file `db.sqlite3` in the project is used.
- ALLOWED_HOSTS: comma-separated host names, required when debug is off.
- CSRF_TRUSTED_ORIGINS: comma-separated origins (https://directory.example.org).
- SECURE_SSL_REDIRECT, SECURE_HSTS_SECONDS: HTTPS hardening, on by default in production.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-local-development-key-only-used-when-DJANGO_DEBUG-is-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set. Set it to the site's host names, comma-separated.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "directory.apps.DirectoryAdminConfig",  # Django's admin on the directory's site (the reviewer's desk)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Trigram lookups for the forgiving search on PostgreSQL; inert on SQLite.
    "django.contrib.postgres",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "partnerships",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "partnerships.platform.middleware.PermissionsPolicyMiddleware",
    # A body over REQUEST_BODY_LIMIT (IMPORT_BODY_LIMIT for the import) is refused, 413, unread.
    "partnerships.platform.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the URL (/ja/…, /en/…; Accept-Language for a URL without one): partnerships/rules/languages.py.
    "partnerships.platform.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Public reads from the replica when there is one: partnerships/platform/routers.py.
    "partnerships.platform.routers.ReplicaMiddleware",
    # ETag, Cache-Control, 304 and the shared cache of public pages: partnerships/platform/caching.py.
    "partnerships.platform.caching.PublicPageCacheMiddleware",
    # What no text may hold, removed from every page, JSON and feed below the cache: partnerships/rules/text.py.
    "partnerships.platform.middleware.CleanOutputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A staff session older than SESSION_MAX_HOURS since its sign-in is signed out.
    "partnerships.platform.middleware.SessionAgeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "partnerships.platform.middleware.NoIndexStaffPagesMiddleware",
    "partnerships.platform.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "directory.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "directory.wsgi.application"

DATABASES = {
    # An empty DATABASE_URL (a blank line in an env file) is no database URL: the embedded SQLite file.
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# A database that hangs must not hang the site: give up connecting after DB_CONNECT_TIMEOUT
# seconds and on any statement after DB_STATEMENT_TIMEOUT seconds (PostgreSQL); SQLite waits at
# most DB_CONNECT_TIMEOUT seconds for a lock. The request then gets a 503 (partnerships.platform.middleware).
DB_CONNECT_TIMEOUT = int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
DB_STATEMENT_TIMEOUT = int(os.environ.get("DB_STATEMENT_TIMEOUT", "8"))
# A PostgreSQL server that stops answering on an open connection (hung, or a network that drops
# packets) is given up after DB_ANSWER_TIMEOUT seconds of silence, longer than any statement a live
# server would let run; then the database is taken as down for DB_RETRY_SECONDS and pages answer 503
# at once (partnerships/platform/resilience.py). 0 turns the bound off.
DB_ANSWER_TIMEOUT = float(os.environ.get("DB_ANSWER_TIMEOUT", DB_STATEMENT_TIMEOUT + 1 if DB_STATEMENT_TIMEOUT else 0))
# Both bounds are for pages. A management command (manage.py sets DJANGO_COMMAND for every command
# but runserver) may rightly run longer than any page: a load, a restore, a migration, a large build.
MANAGEMENT_COMMAND = env_flag("DJANGO_COMMAND")
if MANAGEMENT_COMMAND:
    DB_STATEMENT_TIMEOUT = DB_ANSWER_TIMEOUT = 0
DB_RETRY_SECONDS = float(os.environ.get("DB_RETRY_SECONDS", "5"))
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"connect_timeout": DB_CONNECT_TIMEOUT, "options": f"-c statement_timeout={DB_STATEMENT_TIMEOUT * 1000}"}
    )
elif DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", DB_CONNECT_TIMEOUT)
# A read replica for public pages (partnerships/platform/routers.py): DATABASE_REPLICA_URL, same options.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(
            os.environ["DATABASE_REPLICA_URL"],
            conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        ),
        "OPTIONS": DATABASES["default"].get("OPTIONS", {}),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["partnerships.platform.routers.ReplicaRouter"]
# Seconds a client is asked to wait (Retry-After) when the database cannot be reached.
RETRY_AFTER = int(os.environ.get("RETRY_AFTER", "30"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The directory's bundled data (see fixtures/ and `manage.py load_directory`).
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

AUTHENTICATION_BACKENDS = [
    # Counts failed sign-ins and locks an account out for a cool-off period.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# A change's whole reason is kept in its history (the forms accept 500 characters).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
# Locked out: a user name after AXES_FAILURE_LIMIT failures from anywhere, and an address after as
# many failures across user names (password spraying).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Behind a reverse proxy, the client's address is the one the TRUSTED_PROXY_COUNT proxies nearest
# to the server add to X-Forwarded-For; with none, the connection's own address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None
AXES_IPWARE_PROXY_ORDER = "right-most"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if TRUSTED_PROXY_COUNT else ["REMOTE_ADDR"]
AXES_RESET_ON_SUCCESS = True

# The cache every app server shares when REDIS_URL is set (redis://127.0.0.1:6379/0): rate limits,
# and (see docs/deployment.md) rendered pages keyed by the data version. Without it, each process
# keeps its own in memory, which is right for one server and for tests.
# Redis is given REDIS_TIMEOUT seconds an operation; when it fails, each process keeps what it would
# have shared in its own memory for REDIS_RETRY_SECONDS, then tries again (partnerships/platform/resilience.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "0.25"))
REDIS_RETRY_SECONDS = float(os.environ.get("REDIS_RETRY_SECONDS", "5"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "partnerships.platform.resilience.SharedCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "directory"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# How long a browser or a CDN may keep a public page without asking again (seconds); servers'
# own copies are dropped as soon as anything is published (partnerships/platform/caching.py).
PUBLIC_MAX_AGE = int(os.environ.get("PUBLIC_MAX_AGE", "60"))
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "86400"))
PAGE_CACHE = os.environ.get("PAGE_CACHE", "1") != "0"  # 0: render every page (ETags and 304s stay)
# Bounds on what anonymous visitors can make the servers hold (partnerships/platform/caching.py): a page
# larger than PAGE_CACHE_MAX_BYTES is served but not kept.
PAGE_CACHE_MAX_BYTES = int(os.environ.get("PAGE_CACHE_MAX_BYTES", str(1024 * 1024)))
# The deployed code's version (a commit), part of every page's ETag; a digest of the code if unset.
RELEASE = os.environ.get("RELEASE", "")

# The public "report an error" form: at most this many reports a minute from one address.
REPORTS_PER_MINUTE = int(os.environ.get("REPORTS_PER_MINUTE", "10"))
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ja", "日本語")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["directory.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Production hardening; harmless locally because it is only on when debug is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# Only staff have sessions: signed out after SESSION_IDLE_MINUTES without a request.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
# However active, a staff session ends SESSION_MAX_HOURS after its sign-in (SessionAgeLimitMiddleware).
SESSION_MAX_HOURS = float(os.environ.get("SESSION_MAX_HOURS", "12"))
# After signing in, where a `next=` the login refuses (another site's address) leads instead.
LOGIN_REDIRECT_URL = "admin:index"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"
# Every page's scripts, styles, images and requests come from this site only; no inline script or
# style anywhere (the map's data is a JSON block, which no browser runs).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Browser features the directory never uses, turned off for every page.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_warning": {"()": "partnerships.platform.logs.OneLineWarning"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # A request for a host the site does not serve: one WARNING line, no traceback.
    "loggers": {"django.security.DisallowedHost": {"filters": ["one_line_warning"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# The largest request body accepted, in bytes (partnerships.platform.middleware.RequestBodyLimitMiddleware):
# REQUEST_BODY_LIMIT for every request (a report, a staff form), IMPORT_BODY_LIMIT for the
# spreadsheet import (its files may be 5 MB: partnerships/staff/imports.py). Django's own
# DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB of form fields, files not counted) stays as a second bound.
REQUEST_BODY_LIMIT = int(os.environ.get("REQUEST_BODY_LIMIT", str(1024 * 1024)))
IMPORT_BODY_LIMIT = int(os.environ.get("IMPORT_BODY_LIMIT", str(16 * 1024 * 1024)))

# How many records a list page shows (and how many changes a page of /changes/).
PAGE_SIZE = 50
# Bounds that keep every page small whatever the data's size (see docs/benchmarks.md):
# past MAP_DETAIL_LIMIT relationships /map/ draws one line per state–prefecture pair (a record's
# page past RECORD_MAP_LIMIT);
# a record's page lists its first DETAIL_LIST_LIMIT links and links to the full list;
# an Excel file is written for at most XLSX_TIME_BUDGET seconds, then says to use CSV.
MAP_DETAIL_LIMIT = int(os.environ.get("MAP_DETAIL_LIMIT", "1500"))
RECORD_MAP_LIMIT = int(os.environ.get("RECORD_MAP_LIMIT", "300"))
DETAIL_LIST_LIMIT = int(os.environ.get("DETAIL_LIST_LIMIT", "50"))
XLSX_TIME_BUDGET = float(os.environ.get("XLSX_TIME_BUDGET", "15"))
