"""The search page (``/search/?q=``, and ``/?s=`` as the seed site had it) and its JSON API."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from linernotes.content.models import Post
from linernotes.search.api import outcome_payload
from linernotes.search.service import (
    InvalidSearch,
    PageOutOfRange,
    SearchParams,
    filter_options,
    search,
)
from linernotes.site.public import public_page

SUGGESTED_POSTS = 5


def _address(path: str, query: dict[str, str]) -> str:
    return f"{path}?{urlencode(query)}" if query else path


@public_page
def search_page(request: HttpRequest) -> HttpResponse:
    # The seed site's header form sends ?s=; this site's own form sends ?q=.
    text_key = "s" if "s" in request.GET and "q" not in request.GET else "q"
    try:
        params = SearchParams.from_query(request.GET.get, text_key)
        outcome = search(params, lambda n: _address(request.path, params.query_string(text_key, n)))
    except InvalidSearch as problem:
        raise Http404(str(problem)) from None
    response = render(
        request,
        "search/results.html",
        {
            "outcome": outcome,
            "query": outcome.query,
            "listing": outcome.listing,
            "filters": outcome.filters,
            "options": filter_options(),
            "clear_filters_url": _address(request.path, params.without_filters(text_key)),
            # Shown when nothing matches, and kept for live results that stop matching.
            "recent_posts": Post.objects.published().for_links()[:SUGGESTED_POSTS],
            "noindex": True,
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@public_page
def search_api(request: HttpRequest) -> JsonResponse:
    try:
        params = SearchParams.from_query(request.GET.get, "q")
        outcome = search(
            params,
            lambda n: _address(reverse("search:api"), params.query_string("q", n)),
        )
    except PageOutOfRange as problem:
        return _api_error(str(problem), status=404)
    except InvalidSearch as problem:
        return _api_error(str(problem), status=400)
    response = JsonResponse(outcome_payload(outcome), json_dumps_params={"ensure_ascii": False})
    response["X-Robots-Tag"] = "noindex"
    return response


def _api_error(message: str, status: int) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response
