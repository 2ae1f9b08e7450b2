"""Settings for the test suite: the real settings with a fast hasher and plain static storage.

``LINERNOTES_TEST_DATABASE_URL`` runs the whole suite against another database, for example
PostgreSQL: ``LINERNOTES_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test``.
"""

import os

import dj_database_url

from linernotes.config.settings import *  # noqa: F403
from linernotes.config.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

_test_database_url = os.environ.get("LINERNOTES_TEST_DATABASE_URL", "").strip()
if _test_database_url:
    DATABASES = {"default": dj_database_url.parse(_test_database_url)}
    # A test database of this run's own: two runs at once against one server would otherwise
    # create and drop the same "test_<name>" under each other.
    DATABASES["default"]["TEST"] = {"NAME": f"test_linernotes_{os.getpid()}"}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

# Serve theme files from the apps' folders, as in development: tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Background tasks run inline, so a test sees their effects as soon as they are enqueued.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}}

# A line per request would only be noise here; the tests of the request log turn it on.
LOGGING["loggers"]["linernotes.requests"]["level"] = "WARNING"  # noqa: F405
