"""CSRF checks for the requests a browser can forge, and no others; and for forms on shared
pages, a check of where a request came from instead of a token.

A page on another site can make a reader's browser send GET, HEAD and POST requests without
asking anyone. Any other method (PUT, PATCH, DELETE) needs a CORS preflight, which this site
never grants, so no browser sends one cross-site. Checking a CSRF token on those only turns a
request that the view refuses with 405 Method Not Allowed into a 403 that says nothing useful,
so this middleware, placed just before Django's CsrfViewMiddleware, hands them straight to
the view, which answers for its own methods.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseForbidden
from django.http.response import HttpResponseBase
from django.views.decorators.csrf import csrf_exempt

# Methods an HTML form or a "simple" cross-origin request can use.
FORGEABLE_METHODS = frozenset({"GET", "HEAD", "POST", "OPTIONS", "TRACE"})


class UnforgeableMethodsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponseBase | None:
        if request.method in FORGEABLE_METHODS:
            return None
        response: HttpResponseBase = view(request, *args, **kwargs)
        return response


def came_from_this_site(request: HttpRequest) -> bool:
    """Whether a browser that sent ``request`` says it came from one of the site's own pages.

    For forms on pages everyone shares (and caches), which carry no CSRF token. Browsers say
    where a request comes from: every current one sends ``Sec-Fetch-Site``, and ``Origin`` on
    every POST. An origin the site trusts (its own, or one in CSRF_TRUSTED_ORIGINS, such as a
    static copy of the site) may post; otherwise only a same-origin request may. A request with
    neither header came from no browser, so no reader was made to send it, and what it could
    do is what its sender could do anyway.
    """
    origin = request.headers.get("Origin")
    trusted = {
        f"{request.scheme}://{request.get_host()}",
        *settings.CSRF_TRUSTED_ORIGINS,
    }
    if origin is not None and origin in trusted:
        return True
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in {"same-origin", "none"}
    return origin is None


def refuses_cross_site_posts(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """A form view that needs no CSRF cookie: POSTs from other sites are refused with 403."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "POST" and not came_from_this_site(request):
            return HttpResponseForbidden(
                "This form can only be sent from this site's own pages.",
                content_type="text/plain; charset=utf-8",
            )
        return view(request, *args, **kwargs)

    return wrapped
