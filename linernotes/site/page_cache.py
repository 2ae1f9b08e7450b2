"""Whole public pages, cached for readers who are not signed in.

Views opt in with ``@public_page`` (public.py). This middleware keeps their responses in the
``pages`` cache under the current content version (freshness.py): any change readers could
see starts a new version, and pages cached under the old one are never served again. A
request carrying a session or messages cookie (signed-in staff, or a reader just shown a
message) bypasses the cache both ways.

Pages are stored per content encoding, already compressed, so a hit costs one cache read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from linernotes.site.compression import negotiated_encoding
from linernotes.site.freshness import current_version
from linernotes.site.public import is_shareable

MESSAGES_COOKIE = "messages"
CACHE_STATUS = "Cache-Status"


@dataclass(frozen=True)
class StoredPage:
    status: int
    headers: list[tuple[str, str]]
    content: bytes

    @classmethod
    def of(cls, response: HttpResponse) -> StoredPage:
        return cls(response.status_code, list(response.items()), response.content)

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content, status=self.status)
        for name, value in self.headers:
            response[name] = value
        response[CACHE_STATUS] = "linernotes; hit"
        return response


class _Fingerprint:
    """What besides the content shapes a page: the code's version and the site's settings.

    Part of every key, so a deployment with new code or settings never serves pages from a
    shared cache that the old one rendered.
    """

    value: str | None = None

    def get(self) -> str:
        if self.value is None:
            shaping = sorted(
                (name, repr(getattr(settings, name)))
                for name in dir(settings)
                if name.startswith("LINERNOTES_") or name in {"LANGUAGE_CODE", "TIME_ZONE"}
            )
            text = repr((version("linernotes"), shaping))
            self.value = hashlib.sha256(text.encode()).hexdigest()[:16]
        return self.value

    def forget(self, **kwargs: Any) -> None:
        self.value = None


_fingerprint = _Fingerprint()
setting_changed.connect(_fingerprint.forget, dispatch_uid="linernotes-page-cache-settings")


def page_key(request: HttpRequest, encoding: str) -> str:
    address = hashlib.sha256(f"{request.get_host()}{request.get_full_path()}".encode())
    return f"page:{_fingerprint.get()}:{current_version()}:{encoding}:{address.hexdigest()}"


# Addresses the cache never looks at, registered by the apps that serve them: answers that
# must be this moment's and must not depend on the cache or the content version being
# readable, such as the load balancers' health check.
_uncached_paths: set[str] = set()


def skip_page_cache(path: str) -> None:
    """Requests for ``path`` go straight to the view: no cache read, no version read."""
    _uncached_paths.add(path)


def bypasses_cache(request: HttpRequest) -> bool:
    return (
        settings.LINERNOTES_PAGE_CACHE_SECONDS == 0
        or request.path_info in _uncached_paths
        or request.method not in {"GET", "HEAD"}
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or MESSAGES_COOKIE in request.COOKIES
    )


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if bypasses_cache(request):
            return self.get_response(request)
        key = page_key(request, negotiated_encoding(request))
        pages = caches["pages"]
        stored: StoredPage | None = pages.get(key)
        if stored is not None:
            return stored.response()
        response = self.get_response(request)
        if is_shareable(response):
            assert isinstance(response, HttpResponse)
            pages.set(key, StoredPage.of(response), settings.LINERNOTES_PAGE_CACHE_SECONDS)
            response[CACHE_STATUS] = "linernotes; fwd=miss; stored"
        return response
