"""``/?s=<words>``: the address WordPress blogs search at, answered by the search page.

The home page is the site app's; this lets search claim that one query parameter without
the site app knowing that search exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from linernotes.search.views import search_page

HOME_VIEWS = frozenset({"site:home"})


class SeedSearchAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponseBase | None:
        match = request.resolver_match
        if match is not None and match.view_name in HOME_VIEWS and "s" in request.GET:
            return search_page(request)
        return None
