"""System checks for settings read from the environment (``linernotes check``).

Ids are stable so deployments can silence one on purpose with SILENCED_SYSTEM_CHECKS.
"""

from __future__ import annotations

import re
from importlib.util import find_spec
from typing import Any, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

from linernotes.config.media_storage import S3


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


@register()
def check_media_storage_installed(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    # Settings only name the backend; without this, the first upload or page showing an image
    # would be what finds the library missing.
    if settings.LINERNOTES_MEDIA_STORAGE == S3 and not (
        find_spec("storages") and find_spec("boto3")
    ):
        return [
            Error(
                "LINERNOTES_MEDIA_STORAGE=s3 needs django-storages and boto3, which are not "
                "installed.",
                hint="pip install 'linernotes[s3]'",
                id="linernotes.E003",
            )
        ]
    return []


_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_SOURCE = re.compile(r"""\bsrc\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


@register()
def check_head_snippet_scripts(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Scripts in LINERNOTES_HEAD_SNIPPET that the Content-Security-Policy would refuse."""
    allowed = cast("list[str]", settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"])
    problems = []
    for attributes, body in _SCRIPT.findall(settings.LINERNOTES_HEAD_SNIPPET):
        source = _SOURCE.search(attributes)
        if source is None or body.strip():
            problems.append("an inline script (browsers refuse it: load it from a file)")
            continue
        parts = urlsplit(source[1])
        origin = f"{parts.scheme}://{parts.netloc}"
        if parts.netloc and origin not in allowed:
            problems.append(f"a script from {origin}, which LINERNOTES_CSP_SCRIPT_SRC lacks")
    return [
        Warning(
            f"LINERNOTES_HEAD_SNIPPET holds {problem}.",
            hint='Use <script src="https://..." defer></script> and add its origin to '
            "LINERNOTES_CSP_SCRIPT_SRC (docs/configuration.md#the-sites-chrome).",
            id="linernotes.W002",
        )
        for problem in problems
    ]
