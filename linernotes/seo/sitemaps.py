"""Sitemap sections: posts, categories, authors and pages, each address with its lastmod.

Only what readers may see and what search engines should index is listed: published posts
that live here (link posts point elsewhere, and a post whose canonical URL is on another site
is that site's page to index) and are not marked noindex, categories and authors
with published posts, the home page and published static pages that are not marked noindex.
Paginated and search pages are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q, QuerySet
from django.urls import reverse

from linernotes.content.models import Author, Category, Page, Post, PostQuerySet


def _newest(*moments: datetime | None) -> datetime | None:
    return max((moment for moment in moments if moment), default=None)


class SiteSitemap(Sitemap[Any]):
    """Locations on LINERNOTES_SITE_URL, whichever host name the request came in on."""

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.LINERNOTES_SITE_URL).scheme

    def get_domain(self, site: Any = None) -> str:
        return urlsplit(settings.LINERNOTES_SITE_URL).netloc


def _canonical_elsewhere() -> Q:
    """Posts whose canonical URL is a web address on another host than LINERNOTES_SITE_URL's."""
    host = urlsplit(settings.LINERNOTES_SITE_URL).netloc
    web = Q(canonical_url__istartswith="http://") | Q(canonical_url__istartswith="https://")
    here = Q()
    for scheme in ("http", "https"):
        here |= Q(canonical_url__iexact=f"{scheme}://{host}")
        here |= Q(canonical_url__istartswith=f"{scheme}://{host}/")
    return web & ~here


def _indexable_posts() -> PostQuerySet:
    return (
        Post.objects.published()
        .filter(external_url="", noindex=False)
        .exclude(_canonical_elsewhere())
    )


class PostSitemap(SiteSitemap):
    def items(self) -> PostQuerySet:
        # Only what an entry shows: the bodies would be most of what is read, for nothing.
        return (
            _indexable_posts()
            .order_by("-published_at", "-pk")
            .only("slug", "published_at", "created_at", "updated_at")
        )

    def location(self, post: Post) -> str:
        return post.get_absolute_url()

    def lastmod(self, post: Post) -> datetime | None:
        return _newest(post.updated_at, post.published_at)

    def get_latest_lastmod(self) -> datetime | None:
        stats = _indexable_posts().aggregate(
            updated=Max("updated_at"), published=Max("published_at")
        )
        return _newest(stats["updated"], stats["published"])


class _ArchiveSitemap(SiteSitemap):
    """Archives (categories, authors) that list at least one published post."""

    model: type[Category] | type[Author]
    # The relation from the archive to its posts, and from a post back to its archives.
    posts_lookup = ""
    archives_lookup = ""

    def items(self) -> QuerySet[Any]:
        # Filtering before annotating makes the maxima count only the published posts.
        return (
            self.model.objects.all()
            .filter(**{f"{self.posts_lookup}__in": Post.objects.published()})
            .annotate(
                latest_update=Max(f"{self.posts_lookup}__updated_at"),
                latest_publication=Max(f"{self.posts_lookup}__published_at"),
            )
            .order_by("slug")
        )

    def location(self, archive: Category | Author) -> str:
        return archive.get_absolute_url()

    def lastmod(self, archive: Any) -> datetime | None:
        return _newest(archive.latest_update, archive.latest_publication)

    def get_latest_lastmod(self) -> datetime | None:
        stats = (
            Post.objects.published()
            .filter(**{f"{self.archives_lookup}__isnull": False})
            .aggregate(updated=Max("updated_at"), published=Max("published_at"))
        )
        return _newest(stats["updated"], stats["published"])


class CategorySitemap(_ArchiveSitemap):
    model = Category
    posts_lookup = "posts"
    archives_lookup = "categories"


class AuthorSitemap(_ArchiveSitemap):
    model = Author
    posts_lookup = "bylines__post"
    archives_lookup = "bylines"


@dataclass(frozen=True)
class PageEntry:
    location: str
    lastmod: datetime | None


class PageSitemap(SiteSitemap):
    """The home page and the published static pages."""

    def items(self) -> list[PageEntry]:
        home = PageEntry(reverse("site:home"), self._latest_post())
        pages = Page.objects.published().filter(noindex=False).order_by("slug")
        return [home, *(PageEntry(page.get_absolute_url(), page.updated_at) for page in pages)]

    def location(self, entry: PageEntry) -> str:
        return entry.location

    def lastmod(self, entry: PageEntry) -> datetime | None:
        return entry.lastmod

    def get_latest_lastmod(self) -> datetime | None:
        newest_page = Page.objects.published().aggregate(updated=Max("updated_at"))["updated"]
        return _newest(self._latest_post(), newest_page)

    def _latest_post(self) -> datetime | None:
        stats = Post.objects.published().aggregate(
            updated=Max("updated_at"), published=Max("published_at")
        )
        return _newest(stats["updated"], stats["published"])


@dataclass(frozen=True)
class IndexEntry:
    """A section in the sitemap index (the names Django's sitemap_index.xml reads)."""

    location: str
    last_mod: datetime | None


SITEMAPS: dict[str, SiteSitemap] = {
    "posts": PostSitemap(),
    "categories": CategorySitemap(),
    "authors": AuthorSitemap(),
    "pages": PageSitemap(),
}
