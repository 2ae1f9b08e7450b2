"""Running a reader's search: filters, ranked hits, highlighted snippets, pages of results."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Exists, OuterRef
from django.utils.html import escape
from django.utils.safestring import SafeString

from linernotes.content.cards import load_cards
from linernotes.content.models import Author, Category, Post, PostQuerySet
from linernotes.search.backends import get_backend
from linernotes.search.backends.base import (
    Hit,
    MarkedText,
    RankedPage,
    has_match,
    marked_html,
)
from linernotes.search.query import ParsedQuery, clean_text, parse_query
from linernotes.site.freshness import current_version
from linernotes.site.listing import PagedList

SLUG = re.compile(r"[-a-zA-Z0-9_]+")
YEAR = re.compile(r"[1-9][0-9]{3}")
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")
FILTER_OPTIONS_KEY = "search:filter-options"
FILTER_OPTIONS_SECONDS = 3600


class InvalidSearch(ValueError):
    """A parameter of the request that is malformed or names nothing."""


class PageOutOfRange(InvalidSearch):
    """A page past the last page of results."""


@dataclass(frozen=True)
class SearchParams:
    """What a search request asks for, as read from its query string."""

    text: str = ""  # cleaned, as parse_query cleans it
    category: str = ""
    author: str = ""
    year: str = ""
    page: int = 1
    partial: bool = False

    @classmethod
    def from_query(cls, get: Callable[[str, str], str], text_key: str) -> SearchParams:
        """Read the parameters through ``get(name, default)``; ``text_key`` names the query."""
        text, page = get(text_key, ""), get("page", "1").strip() or "1"
        params = cls(
            text=clean_text(text),
            category=get("category", "").strip(),
            author=get("author", "").strip(),
            year=get("year", "").strip(),
            page=int(page) if PAGE_NUMBER.fullmatch(page) else 0,
            # A space or a closing quote after the last word says it is complete.
            partial=get("partial", "") == "1" and not text.endswith((" ", '"')),
        )
        for name, value, pattern in (
            ("category", params.category, SLUG),
            ("author", params.author, SLUG),
            ("year", params.year, YEAR),
        ):
            if value and not pattern.fullmatch(value):
                raise InvalidSearch(f"Not a valid {name}: {value[:40]!r}.")
        if params.page < 1:
            raise InvalidSearch("The page must be a whole number from 1.")
        return params

    def query_string(self, text_key: str, page: int) -> dict[str, str]:
        """The parameters of this search on page ``page``, for building its addresses."""
        values = {
            text_key: self.text,
            "category": self.category,
            "author": self.author,
            "year": self.year,
            "page": str(page) if page > 1 else "",
            "partial": "1" if self.partial else "",
        }
        return {name: value for name, value in values.items() if value}

    def without_filters(self, text_key: str) -> dict[str, str]:
        """The parameters of the same search with no filters, on its first page."""
        return {text_key: self.text} if self.text else {}


@dataclass(frozen=True)
class SearchFilters:
    category: Category | None = None
    author: Author | None = None
    year: int | None = None

    def apply(self, posts: PostQuerySet) -> PostQuerySet:
        if self.category is not None:
            posts = posts.filter(categories=self.category)
        if self.author is not None:
            posts = posts.filter(bylines__author=self.author)
        if self.year is not None:
            posts = posts.filter(published_at__year=self.year)
        return posts

    @property
    def active(self) -> bool:
        return any(value is not None for value in (self.category, self.author, self.year))


@dataclass(frozen=True)
class SearchResult:
    post: Post
    title_html: SafeString
    snippet_html: SafeString
    score: float


@dataclass(frozen=True)
class ResultListing(PagedList):
    """One page of results, numbered like the site's other listings."""

    results: list[SearchResult] = field(default_factory=list)


@dataclass(frozen=True)
class SearchOutcome:
    query: ParsedQuery
    filters: SearchFilters
    listing: ResultListing


@dataclass(frozen=True)
class FilterOptions:
    """What the filters offer: only values that published posts have."""

    categories: list[Category]
    authors: list[Author]
    years: list[int]


def filter_options() -> FilterOptions:
    """The filters' choices, worked out once per version of the content (they change with it).

    One entry, replaced when the version moves on, so frequent edits leave no trail of old
    choices behind in the cache.
    """
    version = current_version()
    kept: tuple[str, FilterOptions] | None = cache.get(FILTER_OPTIONS_KEY)
    if kept is not None and kept[0] == version:
        return kept[1]
    options = _current_filter_options()
    cache.set(FILTER_OPTIONS_KEY, (version, options), FILTER_OPTIONS_SECONDS)
    return options


def _current_filter_options() -> FilterOptions:
    published = Post.objects.published()
    return FilterOptions(
        categories=list(Category.objects.in_use().order_by("name")),
        authors=list(
            Author.objects.filter(
                Exists(published.filter(bylines__author=OuterRef("pk")))
            ).order_by("name")
        ),
        years=[moment.year for moment in published.datetimes("published_at", "year", "DESC")],
    )


def resolve_filters(params: SearchParams) -> SearchFilters:
    """The category, author and year the parameters name; InvalidSearch for unknown ones."""
    category = author = None
    if params.category:
        category = Category.objects.filter(slug=params.category).first()
        if category is None:
            raise InvalidSearch(f"No category {params.category!r}.")
    if params.author:
        author = Author.objects.filter(slug=params.author).first()
        if author is None:
            raise InvalidSearch(f"No author {params.author!r}.")
    return SearchFilters(category, author, int(params.year) if params.year else None)


def search(params: SearchParams, page_url: Callable[[int], str]) -> SearchOutcome:
    """Page ``params.page`` of the published posts that match, best first.

    InvalidSearch when a filter names nothing, PageOutOfRange past the last page.
    """
    query = parse_query(params.text, partial=params.partial)
    filters = resolve_filters(params)
    backend = get_backend()
    candidates = filters.apply(Post.objects.published())
    size = settings.LINERNOTES_PAGE_SIZE
    ranked = RankedPage([], 0)
    if not query.is_empty:
        ranked = backend.ranked(query, candidates, (params.page - 1) * size, size)
    try:
        page = Paginator(range(ranked.total), size).page(params.page)
    except EmptyPage:
        raise PageOutOfRange("No such page.") from None
    hits = ranked.hits
    results = _results(hits, backend.marked(query, [hit.post_id for hit in hits]))
    listing = ResultListing(page=page, page_url=page_url, results=results)
    return SearchOutcome(query, filters, listing)


def _results(hits: list[Hit], marked: dict[int, MarkedText]) -> list[SearchResult]:
    ids = [hit.post_id for hit in hits]
    posts = {post.pk: post for post in load_cards(Post.objects.published().filter(pk__in=ids))}
    results = []
    for hit in hits:
        post = posts.get(hit.post_id)
        if post is None:  # unpublished between the two queries
            continue
        text = marked.get(hit.post_id)
        title = marked_html(text.title) if text and has_match(text.title) else escape(post.title)
        results.append(SearchResult(post, title, _snippet(post, text), hit.score))
    return results


def _snippet(post: Post, text: MarkedText | None) -> SafeString:
    """The passage of the body that matched, else the summary if it did, else the excerpt."""
    if text is not None:
        for passage in (text.body, text.summary):
            if has_match(passage):
                return marked_html(passage)
    return escape(post.excerpt)
