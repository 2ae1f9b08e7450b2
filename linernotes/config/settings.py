"""Django settings for Liner Notes, driven by the environment (see docs/configuration.md)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF

from linernotes.config.environment import (
    env_bool,
    env_choice,
    env_int,
    env_link_groups,
    env_list,
    env_str,
    secret_key,
)
from linernotes.config.logs import logging_config
from linernotes.config.media_storage import KINDS, media_storage

# Lets classes such as ModelAdmin take type parameters at run time, as the type stubs describe.
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("LINERNOTES_VAR_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = env_bool("LINERNOTES_DEBUG", False)
SECRET_KEY = secret_key(VAR_DIR)
# Old keys, newest first, still accepted for signatures (unsubscribe links in sent emails,
# sessions) after SECRET_KEY is rotated; docs/configuration.md#rotating-the-secret-key.
SECRET_KEY_FALLBACKS = env_list("LINERNOTES_SECRET_KEY_FALLBACKS", [])

LINERNOTES_SITE_URL = env_str("LINERNOTES_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
LINERNOTES_SITE_NAME = env_str("LINERNOTES_SITE_NAME", "Liner Notes Engineering")
LINERNOTES_SITE_TAGLINE = env_str(
    "LINERNOTES_SITE_TAGLINE", "Stories from the people who build the platform."
)
LINERNOTES_INTRO_HEADING = env_str("LINERNOTES_INTRO_HEADING", "Engineering")
LINERNOTES_INTRO_TEXT = env_str(
    "LINERNOTES_INTRO_TEXT",
    "How we design, build and run our software, written by the engineers who do it.",
)
LINERNOTES_PAGE_SIZE = env_int("LINERNOTES_PAGE_SIZE", 24)
LINERNOTES_EXCERPT_LENGTH = env_int("LINERNOTES_EXCERPT_LENGTH", 160, minimum=20)
LINERNOTES_DATE_FORMAT = env_str("LINERNOTES_DATE_FORMAT", "F j, Y")
LINERNOTES_WORDS_PER_MINUTE = env_int("LINERNOTES_WORDS_PER_MINUTE", 230)
# Uploads on this host's disk (MEDIA_ROOT), or in an S3-compatible bucket every host shares
# (config/media_storage.py); a bucket's files reach readers through the web server, not the app.
LINERNOTES_MEDIA_STORAGE = env_choice("LINERNOTES_MEDIA_STORAGE", "filesystem", KINDS)
LINERNOTES_SERVE_MEDIA = env_bool(
    "LINERNOTES_SERVE_MEDIA", LINERNOTES_MEDIA_STORAGE == "filesystem"
)
LINERNOTES_MAX_BODY_BYTES = env_int("LINERNOTES_MAX_BODY_BYTES", 1_048_576)
LINERNOTES_MAX_IMAGE_PIXELS = env_int("LINERNOTES_MAX_IMAGE_PIXELS", 40_000_000)
# Largest file the media library accepts, in bytes (content/uploads.py).
LINERNOTES_MAX_UPLOAD_BYTES = env_int("LINERNOTES_MAX_UPLOAD_BYTES", 10_485_760)
# Largest export file (or .zip of a Markdown site) the admin's import page accepts, in bytes;
# a .zip may unpack to four times this (importers/admin_uploads.py). The CLI has no limit.
LINERNOTES_MAX_IMPORT_BYTES = env_int("LINERNOTES_MAX_IMPORT_BYTES", 209_715_200)
# A folder in the export's layout that holds the site's content as files (importers/
# content_sync.py); set, the admin writes each saved post and page back to it. Empty: off.
LINERNOTES_CONTENT_DIR = env_str("LINERNOTES_CONTENT_DIR", "")
# How long a share link of a post's preview works (content/previews.py).
LINERNOTES_PREVIEW_LINK_DAYS = env_int("LINERNOTES_PREVIEW_LINK_DAYS", 7)
# On only while `linernotes build` renders pages into static files: templates then leave out
# or replace what only a running server can answer (query strings, the search API, forms).
LINERNOTES_STATIC_EXPORT = False
# Where a static copy's newsletter form posts (a live instance's /newsletter/, or a provider's
# signup address); empty leaves the signup form out of a static copy.
LINERNOTES_STATIC_SIGNUP_URL = env_str("LINERNOTES_STATIC_SIGNUP_URL", "")
# A form must reach the body's validator, which explains the limit, rather than be refused
# with a bare 400: a body at the limit takes up to three times its size once form-encoded
# (%E2%80%94), and Django's default allowance (2.5 MB) is left for the other fields.
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * LINERNOTES_MAX_BODY_BYTES + 2_621_440

# Behind a reverse proxy: the header naming the client (X-Forwarded-For). The newsletter's
# older name for it is still read.
LINERNOTES_CLIENT_IP_HEADER = env_str(
    "LINERNOTES_CLIENT_IP_HEADER", env_str("LINERNOTES_NEWSLETTER_CLIENT_IP_HEADER", "")
)

_site_host = urlsplit(LINERNOTES_SITE_URL).hostname or "127.0.0.1"
ALLOWED_HOSTS = env_list(
    "LINERNOTES_ALLOWED_HOSTS", sorted({_site_host, "127.0.0.1", "localhost", "[::1]"})
)
# Other origins whose forms may post here: a static copy of the site on another address,
# whose newsletter form signs readers up with this instance.
CSRF_TRUSTED_ORIGINS = [
    LINERNOTES_SITE_URL,
    *env_list("LINERNOTES_TRUSTED_ORIGINS", []),
]

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
    "django_tasks",
    "django_tasks_db",
    "anymail",
    "axes",
    "linernotes.content",
    "linernotes.accounts",
    "linernotes.search",
    "linernotes.seo",
    "linernotes.newsletter",
    "linernotes.site",
    "linernotes.importers",
    "linernotes.export",
    "linernotes.demo",
    # Backups, restores and the health check; it may use every app, and no app uses it.
    "linernotes.operations",
]

MIDDLEWARE = [
    # First, so its timing covers everything below, cached pages included.
    "linernotes.config.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what the public-page compression below left alone (admin pages, errors).
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # A cached public page is answered here, without the session, CSRF and auth work below.
    "linernotes.site.page_cache.PageCacheMiddleware",
    "linernotes.site.compression.PublicCompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "linernotes.config.csrf.UnforgeableMethodsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After authentication, so it can tell who is signing in; refuses locked-out attempts.
    "axes.middleware.AxesMiddleware",
    "linernotes.search.middleware.SeedSearchAddressMiddleware",
    # Last, so it sees the final response: answers 404s that a redirect rule covers.
    "linernotes.seo.middleware.RedirectFallbackMiddleware",
]

ROOT_URLCONF = "linernotes.config.urls"
WSGI_APPLICATION = "linernotes.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "linernotes.site.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'linernotes.sqlite3'}"),
        conn_max_age=env_int("LINERNOTES_DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The site and the worker write to one file. WAL lets readers go on while one writes;
    # IMMEDIATE takes the write lock when a transaction starts, so one that reads and then
    # writes waits for the other writer (up to the timeout) instead of failing "locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("LINERNOTES_SQLITE_TIMEOUT", 20, minimum=1),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_redis_url = env_str("REDIS_URL", "")
# A Redis that stops answering fails a request within seconds instead of holding the worker
# until gunicorn kills it (and /healthz says so rather than timing out itself).
_redis_timeout = env_int("LINERNOTES_REDIS_TIMEOUT", 2)
_redis = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": _redis_url,
    "OPTIONS": {"socket_connect_timeout": _redis_timeout, "socket_timeout": _redis_timeout},
}
CACHES = {
    "default": _redis
    if _redis_url
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Rendered public pages (docs/configuration.md#caching): shared through Redis when it is
    # configured, otherwise each process keeps its own most recent ones.
    "pages": {**_redis, "KEY_PREFIX": "pages"}
    if _redis_url
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": env_int("LINERNOTES_PAGE_CACHE_ENTRIES", 2000)},
    },
}
LINERNOTES_PAGE_CACHE_SECONDS = env_int("LINERNOTES_PAGE_CACHE_SECONDS", 600, minimum=0)
LINERNOTES_CACHE_CONTROL_MAX_AGE = env_int("LINERNOTES_CACHE_CONTROL_MAX_AGE", 5, minimum=0)

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username and address is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Where a sign-in lands when its ?next= is missing or points off the site.
LOGIN_REDIRECT_URL = "admin:index"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env_str("LINERNOTES_LANGUAGE", "en-us")
TIME_ZONE = env_str("LINERNOTES_TIME_ZONE", "UTC")
# English needs no translation machinery, and looking up the active language is a measurable
# part of rendering a page (every date and number asks for it). Any other language turns it on.
USE_I18N = not LANGUAGE_CODE.lower().startswith("en")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("LINERNOTES_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": media_storage(
        LINERNOTES_MEDIA_STORAGE,
        site_url=LINERNOTES_SITE_URL,
        media_url=MEDIA_URL,
        # django-storages' own names; credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)
        # are read by boto3 itself and never become settings.
        bucket=env_str("AWS_STORAGE_BUCKET_NAME", ""),
        endpoint_url=env_str("AWS_S3_ENDPOINT_URL", ""),
        region=env_str("AWS_S3_REGION_NAME", ""),
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Security (docs/configuration.md#security) ---
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
_https_site = LINERNOTES_SITE_URL.startswith("https://")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _https_site
if _https_site:
    # The proxy in front (docs/deploy.md) says which requests reached it over TLS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("LINERNOTES_SSL_REDIRECT", False)
# Load balancers poll the health check over plain HTTP on the private network
# (docs/operations.md#the-health-check); a redirect would read as "unhealthy".
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("LINERNOTES_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("LINERNOTES_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("LINERNOTES_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = env_list("LINERNOTES_SILENCED_CHECKS", [])

# Every script and style is a static file of the site's own, so neither needs 'unsafe-inline'.
# Post bodies may show images from anywhere on https (and inlined raster images), and frames
# only of the two video players the sanitiser keeps (the editor's preview frame is the site's).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # Origins an operator's head snippet loads from (analytics): see the site's chrome.
        "script-src": [SELF, *env_list("LINERNOTES_CSP_SCRIPT_SRC", [])],
        "style-src": [SELF],
        "img-src": [SELF, "https:", "data:"],
        "font-src": [SELF],
        "connect-src": [SELF, *env_list("LINERNOTES_CSP_CONNECT_SRC", [])],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-src": [SELF, "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "frame-ancestors": [NONE],
        **({"upgrade-insecure-requests": True} if _https_site else {}),
    }
}
# Nothing on the site uses these browser features; no page (or script in one) may ask for them.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        *("accelerometer", "autoplay", "browsing-topics", "camera", "display-capture"),
        *("geolocation", "gyroscope", "magnetometer", "microphone", "midi", "payment"),
        *("usb", "screen-wake-lock", "xr-spatial-tracking"),
    )
}

# Sign-in throttling (django-axes): repeated failures for one username from one address lock
# that pair out for a while; `linernotes logins unlock` lifts a lockout early.
AXES_FAILURE_LIMIT = env_int("LINERNOTES_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LINERNOTES_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "linernotes.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "linernotes.config.client_ip.client_address"
# Attempts are logged through the LOGGING configuration, not printed on every start.
AXES_VERBOSE = False

# One line per event on standard error (docs/configuration.md#logs): text for people, or
# JSON objects for a log collector. Requests get a line each (config/request_log.py).
LINERNOTES_LOG_FORMAT = env_choice("LINERNOTES_LOG_FORMAT", "text", ["text", "json"])
LINERNOTES_LOG_REQUESTS = env_bool("LINERNOTES_LOG_REQUESTS", True)
LOGGING = logging_config(
    kind=LINERNOTES_LOG_FORMAT,
    level=env_str("LINERNOTES_LOG_LEVEL", "WARNING"),
    requests=LINERNOTES_LOG_REQUESTS,
)

# --- Search (docs/configuration.md#search) ---
LINERNOTES_SEARCH_BACKEND = env_str("LINERNOTES_SEARCH_BACKEND", "auto")

# --- Feeds, sitemaps, robots and metadata (docs/configuration.md#feeds-and-seo) ---
LINERNOTES_FEED_FULL_CONTENT = env_bool("LINERNOTES_FEED_FULL_CONTENT", True)
LINERNOTES_FEED_ITEMS = env_int("LINERNOTES_FEED_ITEMS", 20)
LINERNOTES_ROBOTS_DISALLOW = env_list("LINERNOTES_ROBOTS_DISALLOW", ["/admin/"])
LINERNOTES_ORGANIZATION_NAME = env_str("LINERNOTES_ORGANIZATION_NAME", LINERNOTES_SITE_NAME)
LINERNOTES_LOGO_URL = env_str("LINERNOTES_LOGO_URL", "")
LINERNOTES_LOGO_WIDTH = env_int("LINERNOTES_LOGO_WIDTH", 512)
LINERNOTES_LOGO_HEIGHT = env_int("LINERNOTES_LOGO_HEIGHT", 512)
LINERNOTES_SOCIAL_IMAGE_URL = env_str("LINERNOTES_SOCIAL_IMAGE_URL", "")
LINERNOTES_SOCIAL_IMAGE_WIDTH = env_int("LINERNOTES_SOCIAL_IMAGE_WIDTH", 1200)
LINERNOTES_SOCIAL_IMAGE_HEIGHT = env_int("LINERNOTES_SOCIAL_IMAGE_HEIGHT", 630)
LINERNOTES_TWITTER_SITE = env_str("LINERNOTES_TWITTER_SITE", "")
LINERNOTES_SOCIAL_PROFILES = env_list("LINERNOTES_SOCIAL_PROFILES", [])

# --- The site's chrome (docs/configuration.md#the-sites-chrome) ---
# A line of Markdown above the header (a link, emphasis), which readers may dismiss.
LINERNOTES_ANNOUNCEMENT = env_str("LINERNOTES_ANNOUNCEMENT", "")
LINERNOTES_FOOTER_LINKS = env_link_groups("LINERNOTES_FOOTER_LINKS")
# HTML placed at the end of every public page's <head>, such as an analytics script. Scripts
# must be files (src=...) whose origins LINERNOTES_CSP_SCRIPT_SRC allows (in the policy above):
# inline ones are refused by the Content-Security-Policy (check linernotes.W002 says so).
LINERNOTES_HEAD_SNIPPET = env_str("LINERNOTES_HEAD_SNIPPET", "")

# --- Newsletter and background tasks (docs/newsletter.md) ---
# Django's own names, so any guide to Django email applies. Without EMAIL_HOST mail is printed
# to the console, which is what the demo wants; EMAIL_BACKEND selects any other backend, such
# as one of django-anymail's ("anymail.backends.postmark.EmailBackend").
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
_mail_domain = "localhost" if _site_host.replace(".", "").isdigit() else _site_host
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", f'"{LINERNOTES_SITE_NAME}" <newsletter@{_mail_domain}>'
)
# Every ANYMAIL_<NAME> variable becomes ANYMAIL["<NAME>"]: provider settings differ by provider
# (ANYMAIL_POSTMARK_SERVER_TOKEN, ANYMAIL_MAILGUN_API_KEY, ANYMAIL_WEBHOOK_SECRET, ...).
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value.strip()
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_") and value.strip()
}
LINERNOTES_NEWSLETTER_REPLY_TO = env_str("LINERNOTES_NEWSLETTER_REPLY_TO", "")
LINERNOTES_NEWSLETTER_RATE = env_int("LINERNOTES_NEWSLETTER_RATE", 0, minimum=0)
LINERNOTES_NEWSLETTER_BATCH_SIZE = env_int("LINERNOTES_NEWSLETTER_BATCH_SIZE", 100)
LINERNOTES_NEWSLETTER_MAX_ATTEMPTS = env_int("LINERNOTES_NEWSLETTER_MAX_ATTEMPTS", 6)
LINERNOTES_NEWSLETTER_RETRY_SECONDS = env_int("LINERNOTES_NEWSLETTER_RETRY_SECONDS", 60)
LINERNOTES_NEWSLETTER_CLAIM_SECONDS = env_int("LINERNOTES_NEWSLETTER_CLAIM_SECONDS", 300)
LINERNOTES_NEWSLETTER_POLL_SECONDS = env_int("LINERNOTES_NEWSLETTER_POLL_SECONDS", 15)
LINERNOTES_NEWSLETTER_CONFIRM_DAYS = env_int("LINERNOTES_NEWSLETTER_CONFIRM_DAYS", 7)
LINERNOTES_NEWSLETTER_FULL_POSTS = env_bool("LINERNOTES_NEWSLETTER_FULL_POSTS", True)
LINERNOTES_NEWSLETTER_SEND_WINDOW_HOURS = env_int("LINERNOTES_NEWSLETTER_SEND_WINDOW_HOURS", 48)
_weekdays = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_digest_day = env_str("LINERNOTES_NEWSLETTER_DIGEST_DAY", "monday").lower()
if _digest_day not in _weekdays:
    raise ValueError(
        f"LINERNOTES_NEWSLETTER_DIGEST_DAY must be a day of the week, not {_digest_day!r}"
    )
LINERNOTES_NEWSLETTER_DIGEST_WEEKDAY = _weekdays.index(_digest_day)
LINERNOTES_NEWSLETTER_DIGEST_HOUR = env_int("LINERNOTES_NEWSLETTER_DIGEST_HOUR", 9, minimum=0)
LINERNOTES_NEWSLETTER_SIGNUPS_PER_IP = env_int("LINERNOTES_NEWSLETTER_SIGNUPS_PER_IP", 10)
LINERNOTES_NEWSLETTER_SIGNUPS_PER_ADDRESS = env_int("LINERNOTES_NEWSLETTER_SIGNUPS_PER_ADDRESS", 3)
# Background work runs in `linernotes worker` from tasks stored in the database; an empty
# QUEUES list lets every app use queues of its own.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
