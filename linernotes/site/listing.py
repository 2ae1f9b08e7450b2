"""Paginated lists of post cards, shared by the home, category and author pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest
from django.urls import reverse

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


def paginate(posts: PostQuerySet, number: int, page_url: PageUrl) -> Listing:
    """Page ``number`` of ``posts``; a page past the end, or page 0, is a 404."""
    paginator = Paginator(posts.for_listing(), settings.LINERNOTES_PAGE_SIZE)
    if number < 1 or (number > 1 and number > paginator.num_pages):
        raise Http404("No such page.")
    return Listing(paginator.page(number), page_url)


def numbered_urls(first_page: str, paged_url_name: str, *args: object) -> PageUrl:
    """Page 1 at the list's own address, later pages at ``<address>/page/N/``."""
    return lambda n: first_page if n == 1 else reverse(paged_url_name, args=[*args, n])


def is_explicit_first_page(request: HttpRequest, page: int) -> bool:
    """True for ``…/page/1/``, which redirects to the list's own address."""
    match = request.resolver_match
    return page == 1 and match is not None and str(match.url_name).endswith("-page")
