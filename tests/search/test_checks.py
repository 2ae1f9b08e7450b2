"""The search settings check, and how the backend is chosen."""

from __future__ import annotations

import pytest
from django.conf import LazySettings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from linernotes.search.backends import BACKENDS, backend_for, get_backend
from linernotes.search.checks import check_search_backend


def test_auto_follows_the_database(settings: LazySettings) -> None:
    settings.LINERNOTES_SEARCH_BACKEND = "auto"
    assert get_backend().vendor == connection.vendor
    assert check_search_backend() == []
    assert backend_for("auto", "sqlite").name == "sqlite"
    assert backend_for("auto", "postgresql").name == "postgres"


def test_a_backend_for_another_database_is_an_error(settings: LazySettings) -> None:
    (other,) = [name for name, cls in BACKENDS.items() if cls.vendor != connection.vendor]
    settings.LINERNOTES_SEARCH_BACKEND = other
    (error,) = check_search_backend()
    assert error.id == "linernotes.search.E001"
    assert f"needs a {BACKENDS[other].vendor} database" in error.msg
    with pytest.raises(ImproperlyConfigured):
        get_backend()


def test_an_unknown_backend_is_an_error(settings: LazySettings) -> None:
    settings.LINERNOTES_SEARCH_BACKEND = "elastic"
    (error,) = check_search_backend()
    assert error.id == "linernotes.search.E001"
    assert "must be one of auto, sqlite, postgres" in error.msg
    with pytest.raises(ImproperlyConfigured):
        backend_for("auto", "mysql")
