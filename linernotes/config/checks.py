"""System checks for settings read from the environment (``linernotes check``).

Ids are stable so deployments can silence one on purpose with SILENCED_SYSTEM_CHECKS.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register


@register()
def check_site_url(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    parts = urlsplit(settings.LINERNOTES_SITE_URL)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path not in {"", "/"}:
        return [
            Error(
                f"LINERNOTES_SITE_URL must be an absolute http(s) address of the site's root, "
                f"not {settings.LINERNOTES_SITE_URL!r}.",
                hint="For example: https://blog.example.com",
                id="linernotes.E001",
            )
        ]
    return []


@register()
def check_static_signup_url(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    value = settings.LINERNOTES_STATIC_SIGNUP_URL
    parts = urlsplit(value)
    if value and (parts.scheme not in {"http", "https"} or not parts.hostname):
        return [
            Error(
                f"LINERNOTES_STATIC_SIGNUP_URL must be an absolute http(s) address, not {value!r}.",
                hint="For example: https://blog.example.com/newsletter/ (or leave it empty)",
                id="linernotes.E002",
            )
        ]
    return []


@register()
def check_debug_in_production(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG and settings.LINERNOTES_SITE_URL.startswith("https://"):
        return [
            Warning(
                "LINERNOTES_DEBUG is on for a site served over https: error pages would show "
                "settings and code to readers.",
                hint="Unset LINERNOTES_DEBUG in production.",
                id="linernotes.W001",
            )
        ]
    return []
