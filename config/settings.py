"""Settings for the petition archive. Every environment value is read through `env()`."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config import embedded_db

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


DEBUG = env("DJANGO_DEBUG") == "1"


def _secret_key() -> str:
    if key := env("DJANGO_SECRET_KEY"):
        return key
    key_file = BASE_DIR / ".secret-key"  # written by `make install`, never committed
    if key_file.exists():
        return key_file.read_text().strip()
    if DEBUG:
        return "insecure-development-key"
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY (or run `make install` to create .secret-key)."
    )


SECRET_KEY = _secret_key()
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
    "simple_history",
    "petitions",
    "responses",
    "documents",
    "importer",
    "staff",
    "bench",
    "publish",
    "config",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
        conn_max_age=600,
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
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
# From this many rows skipped, a page's ids are found first (in the index), then its rows.
ARCHIVE_DEFERRED_PAGING_FROM = 500
# The CSV export reads petitions this many at a time (one query per related table per chunk).
ARCHIVE_EXPORT_CHUNK_SIZE = 500
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

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
