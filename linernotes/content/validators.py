"""Validators for what editors write: body sizes, the addresses pages may take, web addresses."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from linernotes.content.sanitise import WEB_SCHEMES


def validate_body_size(value: str) -> None:
    """Refuse a Markdown body larger than LINERNOTES_MAX_BODY_BYTES, counted in UTF-8."""
    limit = settings.LINERNOTES_MAX_BODY_BYTES
    size = len(value.encode("utf-8"))
    if size > limit:
        raise ValidationError(
            "This body is %(size)s bytes long; a body may be at most %(limit)s bytes. "
            "Shorten it, or split it into several posts.",
            code="body_too_large",
            params={"size": f"{size:,}", "limit": f"{limit:,}"},
        )


# The literal first segment of a route ("category/<slug:slug>/") or of a regex ("^media/(.*)$").
_FIRST_SEGMENT_RE = re.compile(r"\^?(?P<segment>[\w.-]+)(?:/|\$?\Z)")


def _first_segments(patterns: Sequence[URLPattern | URLResolver]) -> Iterator[str]:
    for pattern in patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver) and route in {"", "^"}:
            yield from _first_segments(pattern.url_patterns)
        elif match := _FIRST_SEGMENT_RE.match(route):
            yield match["segment"]


def _taken_first_segments() -> set[str]:
    """The first path segments the site answers below, and where its files are served."""
    taken = set(_first_segments(get_resolver().url_patterns))
    for files_url in (settings.STATIC_URL, settings.MEDIA_URL):
        address = urlsplit(files_url or "")
        if not address.netloc:
            taken.add(address.path.strip("/").split("/")[0])
    return taken


def validate_page_slug(value: str) -> None:
    """Refuse a slug whose address, or an address below it, the site already answers.

    Checked against the URL configuration itself, so a route added later is never shadowed.
    """
    try:
        match = resolve(f"/{value}/")
    except Resolver404:
        match = None
    shadowed = match is not None and match.view_name != "site:page"
    if shadowed or value in _taken_first_segments():
        raise ValidationError(
            "The site already uses the address /%(slug)s/ (or addresses below it); "
            "choose another slug.",
            code="slug_in_use",
            params={"slug": value},
        )


_web_address = URLValidator(
    schemes=sorted(WEB_SCHEMES),
    message="Enter a web address that starts with http:// or https://.",
    code="not_a_web_address",
)


def validate_web_address(value: str) -> None:
    """Refuse anything but an http or https address (no javascript:, data:, ftp: or mailto:)."""
    _web_address(value)
