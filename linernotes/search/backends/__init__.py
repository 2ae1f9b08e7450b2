"""Choosing the search backend from ``LINERNOTES_SEARCH_BACKEND``: auto, sqlite or postgres."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from linernotes.search.backends.base import SearchBackend
from linernotes.search.backends.postgres import PostgresBackend
from linernotes.search.backends.sqlite import SqliteBackend

BACKENDS: dict[str, type[SearchBackend]] = {
    backend.name: backend for backend in (SqliteBackend, PostgresBackend)
}
CHOICES = ("auto", *BACKENDS)


def backend_for(name: str, vendor: str) -> type[SearchBackend]:
    """The backend class ``name`` stands for on a database of ``vendor``.

    Raises ImproperlyConfigured for an unknown name, or a backend the database cannot run.
    """
    if name == "auto":
        for backend in BACKENDS.values():
            if backend.vendor == vendor:
                return backend
        raise ImproperlyConfigured(f"No search backend works on a {vendor} database.")
    if name not in BACKENDS:
        raise ImproperlyConfigured(
            f"LINERNOTES_SEARCH_BACKEND must be one of {', '.join(CHOICES)}, not {name!r}."
        )
    backend = BACKENDS[name]
    if backend.vendor != vendor:
        raise ImproperlyConfigured(
            f"The {name} search backend needs a {backend.vendor} database, not {vendor}."
        )
    return backend


def get_backend() -> SearchBackend:
    """The configured backend for the default database."""
    return backend_for(settings.LINERNOTES_SEARCH_BACKEND, connection.vendor)()
