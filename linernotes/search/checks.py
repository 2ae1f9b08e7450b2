"""System checks for the search settings (``linernotes check``); ids are stable."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from linernotes.search.backends import backend_for


@register()
def check_search_backend(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        backend_for(settings.LINERNOTES_SEARCH_BACKEND, connection.vendor)
    except ImproperlyConfigured as problem:
        return [
            Error(
                str(problem),
                hint="Leave LINERNOTES_SEARCH_BACKEND unset (auto) to match the database.",
                id="linernotes.search.E001",
            )
        ]
    return []
