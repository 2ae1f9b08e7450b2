"""System checks for the feed and metadata settings (``linernotes check``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning

from linernotes.seo.patterns import is_redirect_target


def check_image_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    for name in ("LINERNOTES_LOGO_URL", "LINERNOTES_SOCIAL_IMAGE_URL"):
        value = getattr(settings, name)
        if value and not is_redirect_target(value):
            problems.append(
                Error(
                    f"{name} must be a path on this site or an absolute http(s) URL, "
                    f"not {value!r}.",
                    hint="For example: /media/brand/card.png",
                    id="linernotes.seo.E001",
                )
            )
        if value.lower().endswith(".svg"):
            problems.append(
                Warning(
                    f"{name} points to an SVG, which link previews and search engines ignore.",
                    hint="Use a PNG or JPEG.",
                    id="linernotes.seo.W001",
                )
            )
    return problems


def check_twitter_handle(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    handle = settings.LINERNOTES_TWITTER_SITE
    if handle and not handle.startswith("@"):
        return [
            Warning(
                f"LINERNOTES_TWITTER_SITE should be a handle such as @example, not {handle!r}.",
                id="linernotes.seo.W002",
            )
        ]
    return []
