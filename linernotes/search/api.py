"""The JSON shape of search results, for ``/api/search`` and the live search box."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from linernotes.search.service import SearchOutcome, SearchResult


def absolute(path: str) -> str:
    return f"{settings.LINERNOTES_SITE_URL}{path}"


def outcome_payload(outcome: SearchOutcome) -> dict[str, Any]:
    listing = outcome.listing
    return {
        "query": outcome.query.text,
        # False for a query of exclusions only (-draft), which finds nothing by design.
        "has_words": not outcome.query.is_empty,
        "count": listing.count,
        "page": listing.page.number,
        "pages": listing.page.paginator.num_pages,
        "results": [result_payload(result) for result in listing.results],
        "next": absolute(listing.next_url) if listing.next_url else None,
    }


def result_payload(result: SearchResult) -> dict[str, Any]:
    post = result.post
    assert post.published_at is not None  # search only returns published posts
    return {
        "title": post.title,
        "title_html": str(result.title_html),
        "url": absolute(post.get_absolute_url()),
        "published": timezone.localtime(post.published_at).isoformat(),
        "excerpt": post.excerpt,
        "snippet": str(result.snippet_html),
        "authors": [
            {
                "name": byline.author.name,
                "url": absolute(byline.author.get_absolute_url()),
                "role": byline.display_role,
            }
            for byline in post.credits
        ],
        "categories": [
            {"name": category.name, "url": absolute(category.get_absolute_url())}
            for category in post.chips
        ],
    }
