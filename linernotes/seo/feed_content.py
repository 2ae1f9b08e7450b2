"""What a feed carries, whatever its format: its scope, its entries and how fresh it is.

The RSS, Atom and JSON feeds of a scope (the whole site, a category, an author) are built from
the same entries, so they never disagree about which posts, authors or links they show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from html import escape
from urllib.parse import urlsplit

from django.conf import settings

from linernotes.content.addresses import absolute_links, absolute_url, path_to
from linernotes.content.models import Author, Category, Post, PostQuerySet
from linernotes.content.sanitise import safe_href
from linernotes.seo.identity import listed_image_url


class FeedKind(StrEnum):
    RSS = "rss"
    ATOM = "atom"
    JSON = "json"


@dataclass(frozen=True)
class FeedScope:
    """Which posts a feed carries, and how it names itself."""

    title: str
    description: str
    page_url: str
    url_prefix: str
    slug: str | None
    posts: PostQuerySet

    def feed_url(self, kind: FeedKind) -> str:
        suffix = "" if kind is FeedKind.RSS else f"-{kind}"
        args = [self.slug] if self.slug else []
        return absolute_url(path_to(f"seo:{self.url_prefix}feed{suffix}", *args))


def site_scope() -> FeedScope:
    return FeedScope(
        title=settings.LINERNOTES_SITE_NAME,
        description=settings.LINERNOTES_SITE_TAGLINE,
        page_url=absolute_url(path_to("site:home")),
        url_prefix="",
        slug=None,
        posts=Post.objects.published(),
    )


def category_scope(category: Category) -> FeedScope:
    return FeedScope(
        title=f"{category.name} · {settings.LINERNOTES_SITE_NAME}",
        description=category.description or f"Posts about {category.name}.",
        page_url=absolute_url(category.get_absolute_url()),
        url_prefix="category-",
        slug=category.slug,
        posts=Post.objects.published().filter(categories=category),
    )


def author_scope(author: Author) -> FeedScope:
    return FeedScope(
        title=f"{author.name} · {settings.LINERNOTES_SITE_NAME}",
        description=author.bio or f"Posts by {author.name}.",
        page_url=absolute_url(author.get_absolute_url()),
        url_prefix="author-",
        slug=author.slug,
        posts=Post.objects.published().filter(bylines__author=author),
    )


@dataclass(frozen=True)
class FeedAuthor:
    name: str
    url: str


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    url: str
    external_url: str
    published: datetime
    updated: datetime
    authors: list[FeedAuthor]
    categories: list[str]
    summary: str
    summary_html: str
    content_html: str | None
    image_url: str


def feed_entries(scope: FeedScope) -> list[FeedEntry]:
    """The newest posts of ``scope``, in a fixed number of queries however many there are."""
    posts = scope.posts.order_by("-published_at", "-pk").for_listing()
    return [_entry(post) for post in posts[: settings.LINERNOTES_FEED_ITEMS]]


def _entry(post: Post) -> FeedEntry:
    url = absolute_url(post.get_absolute_url())
    assert post.published_at is not None  # guaranteed by published()
    summary_html = f"<p>{escape(post.excerpt)}</p>" if post.excerpt else ""
    external_url = safe_href(post.external_url)
    if external_url:
        summary_html += _external_link_html(external_url)
    content_html = None
    if settings.LINERNOTES_FEED_FULL_CONTENT:
        content_html = absolute_links(post.body_html, url) if post.body_html else summary_html
        if post.body_html and external_url:
            content_html += _external_link_html(external_url)
    return FeedEntry(
        id=entry_id(post),
        title=post.title,
        url=url,
        external_url=external_url,
        published=post.published_at,
        updated=max(post.updated_at, post.published_at),
        authors=[
            FeedAuthor(byline.author.name, absolute_url(byline.author.get_absolute_url()))
            for byline in post.credits
        ],
        categories=[category.name for category in post.chips],
        summary=post.excerpt,
        summary_html=summary_html,
        content_html=content_html,
        image_url=listed_image_url(post),
    )


def entry_id(post: Post) -> str:
    """A tag: URI (RFC 4151) that survives changes of the post's slug or date."""
    host = urlsplit(settings.LINERNOTES_SITE_URL).hostname or "localhost"
    # In UTC, so changing the site's time zone cannot change the date and so the id.
    created = post.created_at.astimezone(UTC).date()
    return f"tag:{host},{created:%Y-%m-%d}:post-{post.pk}"


def _external_link_html(external_url: str) -> str:
    host = (urlsplit(external_url).hostname or external_url).removeprefix("www.")
    return f'<p><a href="{escape(external_url)}">Read the full article on {escape(host)}</a></p>'
