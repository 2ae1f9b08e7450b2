from __future__ import annotations

from typing import Any

from linernotes.search.indexer import rebuild_index
from linernotes.search.service import SearchOutcome, SearchParams, search


def find(text: str, **params: Any) -> SearchOutcome:
    """Rebuild the index from the posts as they are now, then search."""
    rebuild_index()
    return search(SearchParams(text=text, **params), lambda number: f"/search/?page={number}")


def titles(outcome: SearchOutcome) -> list[str]:
    return [result.post.title for result in outcome.listing.results]
