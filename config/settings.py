"""Settings for the petition archive. Every environment value is read through `env()`."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config import embedded_db

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


DEBUG = env("DJANGO_DEBUG") == "1"
# Production mode (README, Production): HTTPS only, secure cookies, HSTS, and nothing defaulted
# that a public server must choose (the secret key, the host names).
PRODUCTION = env("ARCHIVE_PRODUCTION") == "1"
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG=1 cannot be used with ARCHIVE_PRODUCTION=1.")


def _secret_key() -> str:
    if key := env("DJANGO_SECRET_KEY"):
        return key
    key_file = BASE_DIR / ".secret-key"  # written by `make install`, never committed
    if key_file.exists():
        if PRODUCTION and key_file.stat().st_mode & 0o077:
            raise ImproperlyConfigured(f"{key_file} is readable by others: chmod 600 it.")
        return key_file.read_text().strip()
    if DEBUG and not PRODUCTION:
        return "insecure-development-key"
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY (or run `make install` to create .secret-key)."
    )


SECRET_KEY = _secret_key()
if PRODUCTION and not env("DJANGO_ALLOWED_HOSTS"):
    raise ImproperlyConfigured(
        "ARCHIVE_PRODUCTION=1 needs DJANGO_ALLOWED_HOSTS (the site's host names)."
    )
ALLOWED_HOSTS = env("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in env("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "axes",
    "csp",
    "django_ratelimit",
    "simple_history",
    "petitions",
    "responses",
    "documents",
    "importer",
    "browse",
    "staff",
    "bench",
    "publish",
    "config",
]

MIDDLEWARE = [
    # First: a bad Host or an oversized body is refused before anything reads the request.
    "config.hardening.RequestGuard",
    # A database that cannot be reached: one retry for GET/HEAD, then a 503 with Retry-After.
    "config.hardening.DatabaseOutage",
    "django.middleware.security.SecurityMiddleware",
    "config.content_policy.ContentSecurityPolicy",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the page cache: a stored search page counts too, and a 429 is never stored.
    "config.limits.RateLimits",
    # Public pages: 304s and cached pages before sessions, auth and messages run (README, Caching).
    "config.http_cache.PublicPageCache",
    "config.http_cache.PublicGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.languages.PathLocaleMiddleware",  # the path's language, never Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "config.languages.other_language",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL")
        or embedded_db.database_url(BASE_DIR / ".pgdata", env("ARCHIVE_DB_NAME", "archive")),
        # Each thread keeps its connection for the worker's life (make run recycles workers):
        # a new backend plans its first statements slowly while it loads the catalogue.
        conn_max_age=None,
        conn_health_checks=True,
    )
}
# PostgreSQL binds the parameters, and a statement run PREPARE_AFTER times on a connection is
# prepared: parsed once (README, Settings). Each run is still planned for its own values: a plan
# made once for any search word walked a million petitions for a common one. JIT compilation
# is off: at a million petitions the statement asking a list's reads again was estimated costly
# enough to compile, and spent 122 ms of its 127 compiling. 0 binds in the driver, prepares
# nothing and sets nothing (for a pooler that cannot keep prepared statements or take startup
# options: set jit = off on the database there, README, Settings).
if (PREPARE_AFTER := int(env("ARCHIVE_DB_PREPARE_AFTER", "5"))) > 0:
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True,
        prepare_threshold=PREPARE_AFTER,
        options="-c plan_cache_mode=force_custom_plan -c jit=off",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache for pages, counts and facets: Redis when REDIS_URL is set, shared by every app server
# (an outage is a miss, never an error page); otherwise this process's memory.
if REDIS_URL := env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "config.cache_backend.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "archive",
            "TIMEOUT": 3600,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "TIMEOUT": 3600,
            # Pages, counts and the lists' row fragments (about 1 KiB each, browse.fragments).
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
# Public pages (config/http_cache.py): kept whole in the cache, keyed on the archive's version.
ARCHIVE_PAGE_CACHE = env("ARCHIVE_PAGE_CACHE", "1") == "1"
ARCHIVE_PAGE_CACHE_SECONDS = 3600
ARCHIVE_PAGE_CACHE_MAX_BYTES = 2 * 1024 * 1024
# A list is kept under what it read (`browse.reads`) unless its statements took more than this
# share of its render: asking them again after an import would then cost about a render. Most
# imports leave most lists as they were, and the server's pass asks before visitors do, so
# only a list that is almost all statements is left out (the share is of wall time, and grows
# under load: 0.3 on a quiet machine was 0.6 for the same list under 16 connections).
ARCHIVE_READS_MAX_SHARE = float(env("ARCHIVE_READS_MAX_SHARE", "0.8"))
# After an import, a thread of each server process asks again the reads of the last
# ARCHIVE_REVALIDATE_PAGES lists it kept under them, and keeps those unchanged under the new
# version before visitors ask (config/revalidation.py). It reads the version every
# ARCHIVE_REVALIDATE_EVERY seconds; 0 turns it off.
ARCHIVE_REVALIDATE_EVERY = float(env("ARCHIVE_REVALIDATE_EVERY", "0.5"))
ARCHIVE_REVALIDATE_PAGES = int(env("ARCHIVE_REVALIDATE_PAGES", "200"))
# The same pass renders again, after the lists, up to ARCHIVE_REVALIDATE_RENDERS of the pages it
# remembers that took at least ARCHIVE_REVALIDATE_RENDER_OVER seconds to render and are not kept
# under their reads (a broad search, the statistics): their first visitor after an import would
# otherwise wait for that render. 0 renders none.
ARCHIVE_REVALIDATE_RENDERS = int(env("ARCHIVE_REVALIDATE_RENDERS", "20"))
ARCHIVE_REVALIDATE_RENDER_OVER = float(env("ARCHIVE_REVALIDATE_RENDER_OVER", "0.1"))
# Seconds a request waits for a page another request is rendering before rendering it too.
ARCHIVE_PAGE_RENDER_WAIT = float(env("ARCHIVE_PAGE_RENDER_WAIT", "10"))
ARCHIVE_PUBLIC_CACHE_CONTROL = env(
    "ARCHIVE_PUBLIC_CACHE_CONTROL", "public, max-age=60, s-maxage=300, stale-while-revalidate=600"
)
# Paths never cached nor compressed (staff pages).
ARCHIVE_PRIVATE_PATHS = ["/admin/", "/_bench/"]  # staff pages; the benchmark's hello world
# A JSON page that had to build a petition's JSON starts storing every missing one in a thread
# (browse/stored_json.py); 0 leaves that to `build_downloads`.
ARCHIVE_STORED_JSON_FILL = env("ARCHIVE_STORED_JSON_FILL", "1") == "1"
# Seconds a process reuses the archive's version across requests (0: one query per request, a
# database round trip that costs more than serving a stored page). A write shows within this.
ARCHIVE_VERSION_MEMO_SECONDS = float(env("ARCHIVE_VERSION_MEMO_SECONDS", "1"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Both official languages: English unprefixed (the public contract), French under /fr/. An
# unprefixed URL stays English whatever Accept-Language says; every page links to its twin.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Named date formats (LONG_DATE, DATE_TIME, SHORT_DATE…) that both languages define.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "America/Toronto"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"

# A search matching more petitions than this is counted as "more than", shown newest first and
# faceted over its newest matches: ranking and counting every match of a common word is slow.
ARCHIVE_SEARCH_CAP = int(env("ARCHIVE_SEARCH_CAP", "10000"))
# `1` mounts /_bench/hello/ (a hello-world page for `bench_http`); never set in production.
ARCHIVE_BENCH_HELLO = env("ARCHIVE_BENCH_HELLO", "") == "1"
# From this many rows skipped, a page's ids are found first (in the index), then its rows.
ARCHIVE_DEFERRED_PAGING_FROM = 500
# The whole archive as ready files (publish/downloads.py), and the address their links start with.
ARCHIVE_DOWNLOADS_DIR = env("ARCHIVE_DOWNLOADS_DIR", str(BASE_DIR / "downloads"))
ARCHIVE_SITE_URL = env("ARCHIVE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Petitions per sitemap file: the protocol allows 50,000, but each URL costs a reverse() and a
# template loop, and 2,000 keep a file well under a second.
ARCHIVE_SITEMAP_LIMIT = 2_000

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest page file (or pasted text) the admin's import page accepts, in bytes.
ARCHIVE_IMPORT_MAX_BYTES = int(env("ARCHIVE_IMPORT_MAX_BYTES", str(2 * 1024 * 1024)))
# The most pages one import takes at a time.
ARCHIVE_IMPORT_MAX_FILES = 10
# The largest request body a public page takes (413 beyond, before reading it); the admin keeps
# DATA_UPLOAD_MAX_MEMORY_SIZE and the import limits above.
ARCHIVE_PUBLIC_MAX_BODY = int(env("ARCHIVE_PUBLIC_MAX_BODY", str(64 * 1024)))

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"
# Every page runs only the site's own scripts and styles (config/content_policy.py: the admin
# may use inline style attributes).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone",
        "payment", "usb",
    )
}  # fmt: skip
# Behind a TLS proxy: "HTTP_X_FORWARDED_PROTO,https" (the header the proxy sets, and its value).
if proxy_ssl_header := env("ARCHIVE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = tuple(part.strip() for part in proxy_ssl_header.split(",", 1))
if PRODUCTION:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env("ARCHIVE_HSTS_PRELOAD", "1") == "1"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Abuse limits (README, Limits). The visitor's address: REMOTE_ADDR, or X-Forwarded-For when the
# request comes from one of these proxies (config/client_ip.py).
ARCHIVE_TRUSTED_PROXIES = [
    a.strip() for a in env("ARCHIVE_TRUSTED_PROXIES", "").split(",") if a.strip()
]
# Sign-in (django-axes): locked for a cool-off after this many wrong passwords in a row for one
# username from one address. Attempts are kept in the database, shared by every app server.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("ARCHIVE_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("ARCHIVE_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "config.limits.locked_out"
# Searches, exports and JSON pages per visitor (config/limits.py), counted in the default cache;
# a cache outage lifts the limits rather than refusing visitors.
RATELIMIT_ENABLE = env("ARCHIVE_RATELIMIT", "1") == "1"
RATELIMIT_USE_CACHE = "default"
RATELIMIT_FAIL_OPEN = True
ARCHIVE_RATE_SEARCH = env("ARCHIVE_RATE_SEARCH", "60/m")
ARCHIVE_RATE_EXPORT = env("ARCHIVE_RATE_EXPORT", "10/m")
ARCHIVE_RATE_JSON = env("ARCHIVE_RATE_JSON", "120/m")
# Django's RedisCache increments atomically (django-ratelimit knows only django-redis). Without
# REDIS_URL each process counts alone (a limit is then per worker): the archive still runs, and
# README "Production" says to set REDIS_URL wherever more than one process serves.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001", "django_ratelimit.E003"]
if PRODUCTION and not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")  # preload declined on purpose

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_host": {"()": "config.hardening.OneLineDisallowedHost"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.security.DisallowedHost": {"filters": ["one_line_host"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
