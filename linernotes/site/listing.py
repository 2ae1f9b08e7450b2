"""Paginated lists of post cards, shared by the home, category and author pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest
from django.urls import reverse

from linernotes.content.cards import load_cards
from linernotes.content.models import Post, PostQuerySet

PageUrl = Callable[[int], str]


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None stands for an elided run of pages
    url: str
    current: bool


@dataclass(frozen=True)
class PagedList:
    """One page of a list, with the addresses of its neighbours and its numbered links."""

    page: Page[Any]
    page_url: PageUrl

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def next_url(self) -> str | None:
        return self.page_url(self.page.next_page_number()) if self.page.has_next() else None

    @property
    def previous_url(self) -> str | None:
        return self.page_url(self.page.previous_page_number()) if self.page.has_previous() else None

    @property
    def links(self) -> list[PageLink]:
        """Numbered links with long runs elided, as in ``1 2 … 9 10 Next »``."""
        links = []
        for number in self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2):
            if isinstance(number, int):
                links.append(PageLink(number, self.page_url(number), number == self.page.number))
            else:
                links.append(PageLink(None, "", False))
        return links


@dataclass(frozen=True)
class Listing(PagedList):
    """A page of post cards."""

    page: Page[Post]

    @property
    def posts(self) -> list[Post]:
        return list(self.page.object_list)


class _Cards:
    """The cards of a list, for a Paginator: each page is chosen by id before it is loaded.

    Deep pages skip many posts. Skipping them in a query for ids alone walks the listing
    index without reading a single post, and then only the page's own posts are loaded.
    """

    def __init__(self, posts: PostQuerySet, *, with_details: bool) -> None:
        self.posts, self.with_details = posts, with_details

    def count(self) -> int:
        return self.posts.count()

    def __getitem__(self, window: slice) -> list[Post]:
        ids = self.posts.values("pk")[window]
        # Looked up by id alone: repeating the list's filters here would have the database
        # walk the whole listing again to apply them.
        ordering = list(self.posts.query.order_by or Post._meta.ordering or [])
        return load_cards(
            Post.objects.filter(pk__in=ids).order_by(*ordering), with_details=self.with_details
        )


class _Fetched:
    """What an uncounted list knows: the cards from ``offset`` on that one query fetched."""

    def __init__(self, cards: list[Post], offset: int) -> None:
        self.cards, self.offset = cards, offset

    def count(self) -> int:
        # At least this many; enough for the page to know whether another one follows.
        return self.offset + len(self.cards)

    def __getitem__(self, window: slice) -> list[Post]:
        start, stop = (window.start or 0) - self.offset, (window.stop or 0) - self.offset
        return self.cards[max(start, 0) : max(stop, 0)]


def paginate(
    posts: PostQuerySet,
    number: int,
    page_url: PageUrl,
    *,
    counted: bool = True,
    with_details: bool = True,
) -> Listing:
    """Page ``number`` of ``posts``; a page past the end, or page 0, is a 404.

    An uncounted list (one that shows no page numbers or total) fetches one card more than a
    page to know whether there is a next page, and never counts the posts. Cards come
    without their details when the caller adds them (``cards.add_details``) with others'.
    """
    size = settings.LINERNOTES_PAGE_SIZE
    if number < 1:
        raise Http404("No such page.")
    if counted:
        # A Paginator needs only count() and slicing.
        cards: Any = _Cards(posts, with_details=with_details)
    else:
        offset = (number - 1) * size
        fetched = _Cards(posts, with_details=with_details)[offset : offset + size + 1]
        cards = _Fetched(fetched, offset)
    paginator = Paginator(cards, size)
    if number > 1 and number > paginator.num_pages:
        raise Http404("No such page.")
    return Listing(paginator.page(number), page_url)


def numbered_urls(first_page: str, paged_url_name: str, *args: object) -> PageUrl:
    """Page 1 at the list's own address, later pages at ``<address>/page/N/``."""
    return lambda n: first_page if n == 1 else reverse(paged_url_name, args=[*args, n])


def is_explicit_first_page(request: HttpRequest, page: int) -> bool:
    """True for ``…/page/1/``, which redirects to the list's own address."""
    match = request.resolver_match
    return page == 1 and match is not None and str(match.url_name).endswith("-page")
