"""One description of the page being rendered, built from the objects already in its context.

The title, meta description, canonical address, robots rule, preview image, feed links and
breadcrumbs of every page come from here, so the ``<title>``, the OpenGraph and Twitter tags
and the JSON-LD graph always agree. Nothing here queries the database: views load what their
templates show, and this reads the same objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.template import Context
from django.utils.html import strip_tags
from django.utils.translation import to_locale

from linernotes.content.addresses import absolute_url, path_to
from linernotes.content.models import Author, Category, Page, Post
from linernotes.content.seo_fields import (
    DESCRIPTION_LENGTH,
    TITLE_SEPARATOR,
    canonical_address,
    compose_title,
    search_description,
    search_title,
    social_title,
)
from linernotes.content.text import cut_at_word
from linernotes.search.service import SearchOutcome
from linernotes.seo.feed_content import (
    FeedKind,
    FeedScope,
    author_scope,
    category_scope,
    site_scope,
)
from linernotes.seo.identity import SocialImage, default_image, post_image
from linernotes.site.listing import Listing

INDEX_ROBOTS = "index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1"
NOINDEX_ROBOTS = "noindex, follow"
FEED_TYPES = {
    FeedKind.RSS: ("application/rss+xml", "RSS"),
    FeedKind.ATOM: ("application/atom+xml", "Atom"),
    FeedKind.JSON: ("application/feed+json", "JSON Feed"),
}


class PageKind(StrEnum):
    HOME = "home"
    CATEGORY = "category"
    AUTHOR = "author"
    POST = "post"
    PAGE = "page"
    SEARCH = "search"
    OTHER = "other"


@dataclass(frozen=True)
class FeedLink:
    title: str
    content_type: str
    url: str


@dataclass(frozen=True)
class Crumb:
    name: str
    url: str


@dataclass
class PageMetadata:
    kind: PageKind
    headline: str
    title: str
    description: str
    url: str
    indexable: bool
    image: SocialImage
    breadcrumbs: list[Crumb] = field(default_factory=list)
    feeds: list[FeedLink] = field(default_factory=list)
    post: Post | None = None
    category: Category | None = None
    author: Author | None = None
    page: Page | None = None
    listed_posts: list[Post] = field(default_factory=list)
    # The title of social cards (og:title, twitter:title); the headline unless given.
    card_title: str = ""
    # The address named as the original when the page is a copy (a post's canonical URL).
    original_url: str = ""

    def __post_init__(self) -> None:
        self.card_title = self.card_title or self.headline

    @property
    def canonical(self) -> str | None:
        # A page that asks not to be indexed names no preferred address for the index.
        return (self.original_url or self.url) if self.indexable else None

    @property
    def robots(self) -> str:
        return INDEX_ROBOTS if self.indexable else NOINDEX_ROBOTS

    @property
    def modified(self) -> datetime | None:
        """When the post or page last changed for readers (publication counts as a change)."""
        if self.post is not None and self.post.published_at is not None:
            return max(self.post.updated_at, self.post.published_at)
        return self.page.updated_at if self.page is not None else None

    @property
    def og_type(self) -> str:
        return "article" if self.kind is PageKind.POST else "website"

    @property
    def locale(self) -> str:
        return to_locale(settings.LANGUAGE_CODE)

    @property
    def language(self) -> str:
        return self.locale.replace("_", "-")


def describe_page(context: Context) -> PageMetadata:
    """The metadata of the page rendered with ``context``."""
    post, page = _typed(context, "post", Post), _typed(context, "page", Page)
    category, author = _typed(context, "category", Category), _typed(context, "author", Author)
    listing = _typed(context, "listing", Listing)
    outcome = _typed(context, "outcome", SearchOutcome)
    if outcome is not None:
        meta = _search_metadata(outcome)
    elif post is not None:
        meta = _post_metadata(post)
    elif page is not None:
        meta = _page_metadata(page)
    elif category is not None and listing is not None:
        meta = _category_metadata(category, listing)
    elif author is not None and listing is not None:
        meta = _author_metadata(author, listing)
    elif listing is not None and _is_home(context):
        meta = _home_metadata(context, listing)
    else:
        meta = _other_metadata(context)
    if context.get("noindex"):
        meta.indexable = False
    meta.feeds = _feed_links(
        meta.category or _typed(context, "active_category", Category), meta.author
    )
    return meta


def _typed(context: Context, name: str, kind: type[Any]) -> Any:
    value = context.get(name)
    return value if isinstance(value, kind) else None


def _is_home(context: Context) -> bool:
    match = getattr(context.get("request"), "resolver_match", None)
    return match is not None and match.view_name in {"site:home", "site:home-page"}


def _home_crumb() -> Crumb:
    return Crumb("Home", absolute_url(path_to("site:home")))


def _post_metadata(post: Post) -> PageMetadata:
    url = absolute_url(post.get_absolute_url())
    crumbs = [_home_crumb()]
    if post.primary_category:
        crumbs.append(
            Crumb(
                post.primary_category.name, absolute_url(post.primary_category.get_absolute_url())
            )
        )
    return PageMetadata(
        kind=PageKind.POST,
        headline=post.title,
        # The editor's meta title and description when set (content.seo_fields has the rule).
        title=search_title(post),
        card_title=social_title(post),
        description=search_description(post),
        url=url,
        # rel=canonical names the original; og:url stays here, where a shared card leads.
        original_url=canonical_address(post),
        indexable=not post.noindex,
        image=post_image(post),
        breadcrumbs=[*crumbs, Crumb(post.title, url)],
        post=post,
    )


def _page_metadata(page: Page) -> PageMetadata:
    url = absolute_url(page.get_absolute_url())
    text = cut_at_word(strip_tags(page.body_html), DESCRIPTION_LENGTH)
    return PageMetadata(
        kind=PageKind.PAGE,
        headline=page.title,
        title=compose_title(page.title),
        description=text or settings.LINERNOTES_SITE_TAGLINE,
        url=url,
        indexable=not page.noindex,
        image=default_image(),
        breadcrumbs=[_home_crumb(), Crumb(page.title, url)],
        page=page,
    )


def _listing_parts(listing: Listing) -> tuple[str, str, list[Post]]:
    """The "Page N" title part, the canonical address and the cards of a listing."""
    number = listing.page.number
    url = absolute_url(listing.page_url(number))
    return (f"Page {number}" if number > 1 else ""), url, listing.posts


def _paged(text: str, page_part: str) -> str:
    """A social card title with the page number after it on pages 2 and later."""
    return f"{text}{TITLE_SEPARATOR}{page_part}" if page_part else text


def _paged_description(description: str, headline: str, page_part: str) -> str:
    """A listing's description, which on pages 2 and later says which page it is, so that no
    two pages of a listing share one."""
    return f"{page_part} of {headline}: {description}" if page_part else description


def _first_image(*posts: Post | None) -> SocialImage:
    for post in posts:
        if post is not None:
            return post_image(post)
    return default_image()


def _category_metadata(category: Category, listing: Listing) -> PageMetadata:
    page_part, url, posts = _listing_parts(listing)
    description = category.description or settings.LINERNOTES_SITE_TAGLINE
    return PageMetadata(
        kind=PageKind.CATEGORY,
        headline=category.name,
        title=compose_title(category.name, page_part),
        card_title=_paged(category.name, page_part),
        description=_paged_description(description, category.name, page_part),
        url=url,
        # An archive with nothing in it yet is a page search engines should not keep.
        indexable=bool(posts),
        image=_first_image(*posts[:1]),
        breadcrumbs=[
            _home_crumb(),
            Crumb(category.name, absolute_url(category.get_absolute_url())),
        ],
        category=category,
        listed_posts=posts,
    )


def _author_metadata(author: Author, listing: Listing) -> PageMetadata:
    page_part, url, posts = _listing_parts(listing)
    about = f"Articles by {author.name}" + (f", {author.role}." if author.role else ".")
    return PageMetadata(
        kind=PageKind.AUTHOR,
        headline=author.name,
        title=compose_title(author.name, page_part),
        card_title=_paged(author.name, page_part),
        description=_paged_description(
            cut_at_word(author.bio, DESCRIPTION_LENGTH) or about, author.name, page_part
        ),
        url=url,
        indexable=True,
        image=_first_image(*posts[:1]),
        breadcrumbs=[_home_crumb(), Crumb(author.name, absolute_url(author.get_absolute_url()))],
        author=author,
        listed_posts=posts,
    )


def _home_metadata(context: Context, listing: Listing) -> PageMetadata:
    page_part, url, posts = _listing_parts(listing)
    active = _typed(context, "active_category", Category)
    site, tagline = settings.LINERNOTES_SITE_NAME, settings.LINERNOTES_SITE_TAGLINE
    if active is None and not page_part:
        title, headline = f"{site} — {tagline}", site
    else:
        headline = active.name if active else site
        title = compose_title(active.name if active else "", page_part)
    featured = None if active else _typed(context, "featured", Post)
    return PageMetadata(
        kind=PageKind.HOME,
        headline=headline,
        title=title,
        card_title=_paged(headline, page_part),
        description=_paged_description(
            (active.description if active else "") or tagline, headline, page_part
        ),
        url=url,
        # Filtered, the home page lists what the category's archive lists: that is the address
        # search engines should keep (the view hands it over).
        original_url=absolute_url(same_as) if (same_as := context.get("same_as_url")) else "",
        indexable=True,
        image=_first_image(featured, *posts[:1]),
        breadcrumbs=[_home_crumb()],
        listed_posts=posts,
    )


def _search_metadata(outcome: SearchOutcome) -> PageMetadata:
    listing, text = outcome.listing, outcome.query.text
    number = listing.page.number
    url = absolute_url(listing.page_url(number))
    headline = f"Search results for “{text}”" if text else "Search"
    site = settings.LINERNOTES_SITE_NAME
    posts = [result.post for result in listing.results]
    return PageMetadata(
        kind=PageKind.SEARCH,
        headline=headline,
        title=compose_title(headline, f"Page {number}" if number > 1 else ""),
        card_title=_paged(headline, f"Page {number}" if number > 1 else ""),
        description=f"Posts on {site} that match “{text}”." if text else f"Search {site}.",
        url=url,
        # Result pages are endless variations of the listings; the posts are indexed instead.
        indexable=False,
        image=_first_image(*posts[:1]),
        breadcrumbs=[_home_crumb(), Crumb(headline, url)],
        listed_posts=posts,
    )


def _other_metadata(context: Context) -> PageMetadata:
    request = context.get("request")
    path = request.path if request is not None else "/"
    return PageMetadata(
        kind=PageKind.OTHER,
        headline=settings.LINERNOTES_SITE_NAME,
        title=settings.LINERNOTES_SITE_NAME,
        description=settings.LINERNOTES_SITE_TAGLINE,
        url=absolute_url(path),
        indexable=True,
        image=default_image(),
    )


def _feed_links(category: Category | None, author: Author | None) -> list[FeedLink]:
    scopes: list[FeedScope] = [site_scope()]
    if category is not None:
        scopes.append(category_scope(category))
    if author is not None:
        scopes.append(author_scope(author))
    return [
        FeedLink(f"{scope.title} ({label})", content_type, scope.feed_url(kind))
        for scope in scopes
        for kind, (content_type, label) in FEED_TYPES.items()
    ]
