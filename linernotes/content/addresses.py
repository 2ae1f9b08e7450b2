"""Addresses on the site: paths from the URL configuration, absolute URLs from the one
LINERNOTES_SITE_URL setting. Every app builds its links with these two, never from the host a
request happened to name.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from html import escape, unescape
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone

from linernotes.content.sanitise import frames_as_links

# nh3 serialises every attribute value in double quotes, so this finds all links and sources.
_LINK_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
# The candidate lists of pictures (content.responsive): "URL 800w, URL 1200w".
_SRCSET_ATTRIBUTE = re.compile(r'(\ssrcset=")([^"]*)(")')


def path_to(view_name: str, *args: Any) -> str:
    """``reverse(view_name, args=args)``, remembered.

    A listing page links to the same posts, categories and authors hundreds of times, and
    reverse() is among the costliest steps of rendering it; its answer only changes with the
    URL configuration (or the script prefix, which is part of the key).
    """
    return _reversed(get_script_prefix(), get_urlconf(), view_name, args)


@lru_cache(maxsize=16384)
def _reversed(prefix: str, urlconf: str | None, view_name: str, args: tuple[Any, ...]) -> str:
    return reverse(view_name, urlconf=urlconf, args=args)


def _forget_paths(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()


setting_changed.connect(_forget_paths, dispatch_uid="linernotes-content-addresses")


# Characters reverse() leaves as they are in a path: an argument made only of these appears in
# the address exactly as given.
_PLAIN_ARGUMENT = re.compile(r"[A-Za-z0-9._~-]+")


def path_maker(view_name: str, *samples: Any) -> Callable[..., str]:
    """``path_to(view_name, *args)`` for many different arguments of the samples' shape, with
    one reverse() in all rather than one per call, for lists of thousands of addresses.

    The address of the samples is cut where each sample stands and filled in with each call's
    arguments, which must fit the same URL pattern (as values read from the database do).
    Arguments that reverse() would quote fall back to path_to(), and so does every call when a
    sample is found more than once in its address, where the cut could be in the wrong place.
    """
    template = path_to(view_name, *samples)
    pieces, rest = [], template
    for sample in map(str, samples):
        before, found, rest = rest.partition(sample)
        if not found or template.count(sample) != 1:
            return functools.partial(path_to, view_name)
        pieces.append(before)
    pieces.append(rest)

    def make(*args: Any) -> str:
        texts = [str(arg) for arg in args]
        if len(texts) != len(samples) or not all(map(_PLAIN_ARGUMENT.fullmatch, texts)):
            return path_to(view_name, *args)
        return "".join(piece + text for piece, text in zip(pieces, [*texts, ""], strict=True))

    return make


def post_path(
    slug: str,
    published_at: datetime | None,
    created_at: datetime | None,
    *,
    path: Callable[..., str] | None = None,
) -> str:
    """A post's address, /YYYY/MM/slug/, from the month it was published (or written, for a
    draft). ``path`` makes the address from (year, month, slug): path_to by default, or a
    content.addresses.path_maker for a list of thousands."""
    when = timezone.localtime(published_at or created_at or timezone.now())
    if path is None:
        return path_to("site:post", when.year, f"{when.month:02d}", slug)
    return path(when.year, f"{when.month:02d}", slug)


def absolute_url(path_or_url: str) -> str:
    """An address on this site as an absolute URL (absolute URLs are returned unchanged)."""
    if path_or_url.startswith("/") and not path_or_url.startswith("//"):
        # The common case, paths from path_to(): cheaper than a full urljoin.
        return settings.LINERNOTES_SITE_URL + path_or_url
    return urljoin(settings.LINERNOTES_SITE_URL + "/", path_or_url)


def absolute_links(html: str, base_url: str) -> str:
    """Stored post HTML with every link and image source resolved against ``base_url`` (the
    post's own address), for readers outside the site: feed readers, mail clients. Video frames
    become links to the video's page, since those readers show no frames."""

    def resolve(match: re.Match[str]) -> str:
        resolved = urljoin(base_url, unescape(match.group(2)))
        return f"{match.group(1)}{escape(resolved)}{match.group(3)}"

    def resolve_candidates(match: re.Match[str]) -> str:
        candidates = []
        for candidate in unescape(match.group(2)).split(","):
            url, _, descriptor = candidate.strip().partition(" ")
            candidates.append(f"{urljoin(base_url, url)} {descriptor}".strip())
        return f"{match.group(1)}{escape(', '.join(candidates))}{match.group(3)}"

    linked = _LINK_ATTRIBUTE.sub(resolve, frames_as_links(html))
    return _SRCSET_ATTRIBUTE.sub(resolve_candidates, linked)
