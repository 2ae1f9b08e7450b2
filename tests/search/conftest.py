"""Fixtures for search tests: one parametrised backend fixture drives the contract tests.

Each backend runs only on its own database: the sqlite cases skip on PostgreSQL and the
postgres cases skip on SQLite, so running the suite once per database covers each backend once.
"""

from __future__ import annotations

import pytest
from django.conf import LazySettings
from django.db import connection

from linernotes.search.backends import BACKENDS
from linernotes.search.backends.base import SearchBackend


@pytest.fixture(params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest, settings: LazySettings, db: None) -> SearchBackend:
    backend_class = BACKENDS[request.param]
    if connection.vendor != backend_class.vendor:
        pytest.skip(
            f"the {backend_class.name} backend runs on {backend_class.vendor}, "
            f"and the test database is {connection.vendor}"
        )
    settings.LINERNOTES_SEARCH_BACKEND = backend_class.name
    return backend_class()
