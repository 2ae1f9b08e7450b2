"""Every address a static copy of the site holds, read from the database.

The list mirrors the URL configuration's public pages: listings with each of their numbered
pages (and the cards fragment "Load More" fetches), posts, pages, feeds of every scope,
sitemaps, robots.txt and the images the pages name. The build asks the site for each one
through its own request handler, so this module decides only *which* addresses exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from math import ceil

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from linernotes.content.addresses import path_maker, post_path
from linernotes.content.models import Author, Category, Page, Post
from linernotes.seo.images import ICON_SIZES
from linernotes.seo.sitemaps import SITEMAPS
from linernotes.site.placeholders import DEFAULT_COLOUR

FRAGMENT = "cards.html"
FRAGMENT_QUERY = "?fragment=cards"
NOT_FOUND_FILE = "404.html"
# An address nothing answers, asked for to get the site's own 404 page.
NOT_FOUND_PROBE = "/-/not-found/"


@dataclass(frozen=True)
class Target:
    """One request of the build: the address asked for and the file its answer becomes.

    ``file`` is empty for addresses ending in ``/``: the answer's content type names the
    index file (index.html, index.xml for feeds, index.json for JSON Feed).
    """

    address: str
    file: str = ""
    status: int = 200
    # Rendered by every build: pages whose rows are read without loading posts (the sitemaps'
    # dates come from aggregates), so no edit could be traced to them.
    always: bool = False
    # A post's placeholder image, drawn by the function its view calls (slug, colour), without
    # a request: there is one per post without a picture, and each is a pure function of these.
    placeholder: tuple[str, str] | None = None
    # A post's page: what the search index reads.
    indexed: bool = False


def listing_targets(
    first_page: str, paged_name: str, slug: str | None, posts: int
) -> Iterator[Target]:
    """Every numbered page of a listing, and each page's cards fragment."""
    pages = max(1, ceil(posts / settings.LINERNOTES_PAGE_SIZE))
    for number in range(1, pages + 1):
        if number == 1:
            address = first_page
        else:
            address = reverse(paged_name, args=[slug, number] if slug else [number])
        yield Target(address)
        yield Target(address + FRAGMENT_QUERY, address.lstrip("/") + FRAGMENT)


def _home(published: int, has_featured: bool) -> Iterator[Target]:
    # The featured post leads the first page and is left out of the grid.
    yield from listing_targets(
        reverse("site:home"), "site:home-page", None, published - has_featured
    )


def _archives() -> Iterator[Target]:
    """Each category's and author's numbered pages and three feeds."""
    published = Post.objects.published()
    categories = Category.objects.annotate(
        shown=Count("posts", filter=Q(posts__in=published))
    ).order_by("slug")
    authors = Author.objects.annotate(
        shown=Count("bylines", filter=Q(bylines__post__in=published))
    ).order_by("slug")
    for archives, kind in ((categories, "category"), (authors, "author")):
        for archive in archives:
            yield from listing_targets(
                archive.get_absolute_url(), f"site:{kind}-page", archive.slug, archive.shown
            )
            for feed in ("feed", "feed-atom", "feed-json"):
                yield Target(reverse(f"seo:{kind}-{feed}", args=[archive.slug]))


PostTargets = tuple[list[Target], list[Target]]


def post_targets() -> PostTargets:
    """Each post's page, and the placeholder images of those without a picture."""
    # Rows rather than Post objects, and one reverse() per kind of address rather than per
    # post: at ten thousand posts this list is most of the time an incremental build plans.
    post_page = path_maker("site:post", 1987, "06", "sample-slug-p")
    placeholder = path_maker("site:placeholder", "sample-slug-p")
    rows = (
        Post.objects.published()
        .order_by("pk")
        .values_list("slug", "published_at", "hero_image", "primary_category__colour")
    )
    pages, placeholders = [], []
    for slug, published_at, hero_image, colour in rows:
        # A published post always has its time: when it was written is not needed.
        address = post_path(slug, published_at, None, path=post_page)
        pages.append(Target(address, indexed=True))
        # Cards without a hero image show the post's placeholder pattern. (Its social card
        # would be a PNG of it, which a static build leaves out: seo.identity.post_image.)
        if not hero_image:
            placeholders.append(
                Target(placeholder(slug), placeholder=(slug, colour or DEFAULT_COLOUR))
            )
    return pages, placeholders


def _sitemaps() -> Iterator[Target]:
    yield Target(reverse("seo:sitemap"), always=True)
    for section, sitemap in SITEMAPS.items():
        items = sitemap.items()
        # Whether a section has entries, not how many: counting them costs a full read.
        if items.exists() if isinstance(items, QuerySet) else items:
            yield Target(reverse("seo:sitemap-section", args=[section]), always=True)


def site_targets(known: PostTargets | None = None) -> list[Target]:
    """Every address of the public site, in a stable order: the posts' pages first, so the
    search index can be made from them while the rest renders. ``known`` is post_targets()
    when the caller has it already (a build that stays running, while nothing it reads
    changed)."""
    published = Post.objects.published()
    has_featured = published.exists()
    posts, placeholders = known or post_targets()
    targets = [
        *posts,
        *_home(published.count(), has_featured),
        *_archives(),
        *placeholders,
        *(Target(page.get_absolute_url()) for page in Page.objects.published().order_by("slug")),
        *(Target(reverse(name)) for name in ("seo:feed", "seo:feed-atom", "seo:feed-json")),
        *_sitemaps(),
        Target(reverse("seo:robots")),
        Target(reverse("seo:site-image")),
        Target(reverse("seo:logo")),
        Target(reverse("seo:favicon")),
        Target(reverse("seo:touch-icon")),
        *(Target(reverse("seo:icon", args=[size])) for size in ICON_SIZES),
        Target(reverse("seo:web-manifest")),
        Target(reverse("search:search")),
        Target(NOT_FOUND_PROBE, NOT_FOUND_FILE, status=404),
    ]
    return targets
