"""What every search backend does, and the pieces they share.

A backend answers two questions about a parsed query, always within ``candidates``, a
queryset of posts that already applies the one read rule (``Post.objects.published()``) and the
reader's filters: which posts rank on a given page (and how many match in all), and where the
query's words are in their text. The rows of the index are written by
``linernotes.search.indexer`` and are the same for every backend; ``refresh`` lets a backend
derive its own structures from them.
"""

from __future__ import annotations

import html
import re
from abc import ABC, abstractmethod
from collections.abc import Collection
from dataclasses import dataclass
from typing import ClassVar

from django.utils.safestring import SafeString, mark_safe

from linernotes.content.models import PostQuerySet
from linernotes.search.query import ParsedQuery

# Backends wrap matched words in these; indexed text never contains control characters, so
# after escaping everything else they can safely become <mark> elements.
MATCH_START = "\x02"
MATCH_END = "\x03"
MATCH_BOUNDARY = re.compile(f"([{MATCH_START}{MATCH_END}])")
SNIPPET_ELLIPSIS = "…"


@dataclass(frozen=True)
class Hit:
    post_id: int
    score: float


@dataclass(frozen=True)
class RankedPage:
    hits: list[Hit]
    total: int


@dataclass(frozen=True)
class MarkedText:
    """A post's fields with matched words between MATCH_START and MATCH_END."""

    title: str
    summary: str
    body: str


class SearchBackend(ABC):
    """One full-text engine. Instances are cheap and hold no state between calls."""

    name: ClassVar[str]
    # Django's ``connection.vendor`` this backend works on.
    vendor: ClassVar[str]

    @abstractmethod
    def ranked(
        self, query: ParsedQuery, candidates: PostQuerySet, offset: int, limit: int
    ) -> RankedPage:
        """Matching candidates, best first, ``limit`` of them from ``offset``, and the total.

        Ties are broken in a stable order, so pages never repeat or skip a post. The total is
        counted in the same statement; it is 0 when the page is past the last one.
        """

    @abstractmethod
    def marked(self, query: ParsedQuery, post_ids: Collection[int]) -> dict[int, MarkedText]:
        """Title, summary and a short passage of the body of each post, with matches marked."""

    @abstractmethod
    def refresh(self, post_ids: Collection[int]) -> None:
        """Bring the backend's own structures up to date after these documents were written."""

    @abstractmethod
    def compact(self) -> None:
        """Tidy the index after a rebuild, so queries read as little as possible."""


def marked_html(text: str) -> SafeString:
    """HTML of ``text`` with its marked matches as ``<mark>`` and everything else escaped."""
    parts: list[str] = []
    inside = False
    for piece in MATCH_BOUNDARY.split(text):
        if piece == MATCH_START and not inside:
            parts.append("<mark>")
            inside = True
        elif piece == MATCH_END and inside:
            parts.append("</mark>")
            inside = False
        elif piece not in (MATCH_START, MATCH_END):
            parts.append(html.escape(piece, quote=True))
    if inside:
        parts.append("</mark>")
    # Safe: every piece of text was escaped above; only the <mark> tags are markup.
    return mark_safe("".join(parts))


def has_match(text: str) -> bool:
    return MATCH_START in text
