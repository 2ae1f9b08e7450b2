"""Redirect rules applied where the site would otherwise answer 404."""

from __future__ import annotations

from collections.abc import Callable

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.http.response import HttpResponseBase

from linernotes.seo.models import RedirectStatus
from linernotes.seo.patterns import QUERY_FORM_PATHS
from linernotes.seo.redirects import count_hit, resolve


class RedirectFallbackMiddleware:
    """Turns a 404 into the redirect (or 410 Gone) that a Redirect rule gives for its path.

    It only looks at responses that are already 404, so rules can never shadow a live page and
    ordinary requests cost nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        by_id = _query_form(request)
        if by_id is not None:
            # The home page would answer these itself, so they are looked up first.
            resolution = resolve(by_id)
            if resolution is not None and resolution.location:
                count_hit(resolution)
                return _redirect(resolution.location, resolution.status, None)
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in {"GET", "HEAD"}:
            return response
        resolution = resolve(request.path)
        if resolution is None:
            return response
        count_hit(resolution)
        if not resolution.location:
            response.status_code = RedirectStatus.GONE
            return response
        return _redirect(resolution.location, resolution.status, request.META.get("QUERY_STRING"))


def _query_form(request: HttpRequest) -> str | None:
    """ "/?p=123" for a request in WordPress's by-id form, else None (the usual case)."""
    query = request.META.get("QUERY_STRING", "")
    if request.path != "/" or not query or request.method not in {"GET", "HEAD"}:
        return None
    address = f"/?{query}"
    return address if QUERY_FORM_PATHS.fullmatch(address) else None


def _redirect(location: str, status: int, query: str | None) -> HttpResponse:
    # Campaign and tracking parameters survive the move unless the rule sets its own.
    if query and "?" not in location:
        location = f"{location}?{query}"
    if status == RedirectStatus.MOVED_PERMANENTLY:
        return HttpResponsePermanentRedirect(location)
    return HttpResponseRedirect(location)
