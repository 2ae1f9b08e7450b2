"""Feeds, sitemaps, robots.txt and preview images. Views only pick the scope and answer."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from linernotes.content.addresses import absolute_url
from linernotes.content.models import Author, Category, CategoryAlias, Post
from linernotes.seo import images
from linernotes.seo.feed_content import (
    FeedKind,
    FeedScope,
    author_scope,
    category_scope,
    feed_entries,
    site_scope,
)
from linernotes.seo.feeds import json_feed, xml_feed_response
from linernotes.seo.sitemaps import SITEMAPS, IndexEntry
from linernotes.site.placeholders import DEFAULT_COLOUR
from linernotes.site.public import public_page

JSON_FEED_CONTENT_TYPE = "application/feed+json; charset=utf-8"
# Feed readers poll often; a few minutes of shared caching spares the database.
FEED_MAX_AGE = 300
IMAGE_MAX_AGE = 86400


@public_page
def site_feed(request: HttpRequest, kind: FeedKind = FeedKind.RSS) -> HttpResponseBase:
    return _feed_response(request, site_scope(), kind)


@public_page
def category_feed(
    request: HttpRequest, slug: str, kind: FeedKind = FeedKind.RSS
) -> HttpResponseBase:
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        # A renamed category's old feed address follows it, like its archive does.
        alias = get_object_or_404(CategoryAlias.objects.select_related("category"), slug=slug)
        return redirect(category_scope(alias.category).feed_url(kind), permanent=True)
    return _feed_response(request, category_scope(category), kind)


@public_page
def author_feed(request: HttpRequest, slug: str, kind: FeedKind = FeedKind.RSS) -> HttpResponseBase:
    return _feed_response(request, author_scope(get_object_or_404(Author, slug=slug)), kind)


def _feed_response(request: HttpRequest, scope: FeedScope, kind: FeedKind) -> HttpResponseBase:
    """The feed. Conditional requests are answered by ConditionalGetMiddleware: its ETag is a
    hash of the feed itself, so a change to anything the feed shows changes it, and a cached
    feed is revalidated without reading a post."""
    entries = feed_entries(scope)
    if kind is FeedKind.JSON:
        body = json.dumps(json_feed(scope, entries), ensure_ascii=False, indent=1)
        response: HttpResponseBase = HttpResponse(body, content_type=JSON_FEED_CONTENT_TYPE)
    else:
        response = xml_feed_response(request, scope, entries, kind)
    if entries:
        # HTTP dates have whole seconds; a fraction would make every If-Modified-Since stale.
        newest = max(entry.updated for entry in entries)
        response.headers["Last-Modified"] = http_date(int(newest.timestamp()))
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response


@public_page
def sitemap_index(request: HttpRequest) -> TemplateResponse:
    """The index of non-empty sections, with addresses on LINERNOTES_SITE_URL."""
    entries = []
    for section, sitemap in SITEMAPS.items():
        paginator = sitemap.paginator
        pages = paginator.num_pages if paginator.count else 0
        location = absolute_url(reverse("seo:sitemap-section", args=[section]))
        lastmod = sitemap.get_latest_lastmod()
        for number in range(1, pages + 1):
            suffix = f"?p={number}" if number > 1 else ""
            entries.append(IndexEntry(location + suffix, lastmod))
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


@public_page
def sitemap_section(request: HttpRequest, section: str) -> HttpResponseBase:
    sitemap = SITEMAPS.get(section)
    # An empty <urlset> is invalid, and an empty section is not in the index anyway.
    if sitemap is None or not sitemap.paginator.count:
        raise Http404("No such sitemap.")
    sections: dict[str, type[Sitemap[Any]] | Sitemap[Any]] = {section: sitemap}
    response: HttpResponseBase = django_sitemap(request, sitemaps=sections, section=section)
    return response


@public_page
def robots_txt(request: HttpRequest) -> HttpResponse:
    context = {
        "disallow": settings.LINERNOTES_ROBOTS_DISALLOW,
        "sitemap_url": absolute_url(reverse("seo:sitemap")),
    }
    return render(request, "seo/robots.txt", context, content_type="text/plain; charset=utf-8")


@public_page
def placeholder_png(request: HttpRequest, slug: str) -> HttpResponseBase:
    post = get_object_or_404(Post.objects.published().select_related("primary_category"), slug=slug)
    colour = post.primary_category.colour if post.primary_category else DEFAULT_COLOUR
    return _png_response(request, lambda: images.placeholder_png(post.slug, colour))


@public_page
def site_image(request: HttpRequest) -> HttpResponseBase:
    return _png_response(request, images.site_image_png)


@public_page
def logo(request: HttpRequest) -> HttpResponseBase:
    return _png_response(request, images.logo_png)


@public_page
def icon(request: HttpRequest, size: int) -> HttpResponseBase:
    if size not in images.ICON_SIZES:
        raise Http404("No icon of that size.")
    return _png_response(request, lambda: images.logo_png(size))


@public_page
def touch_icon(request: HttpRequest) -> HttpResponseBase:
    return _png_response(request, lambda: images.logo_png(images.APPLE_TOUCH_SIZE))


@public_page
def favicon(request: HttpRequest) -> HttpResponseBase:
    """Browsers and feed readers ask for /favicon.ico whatever a page names."""
    return _png_response(request, images.favicon_ico, content_type="image/x-icon")


@public_page
def web_manifest(request: HttpRequest) -> HttpResponse:
    """What a phone's "add to home screen" shows: the name, the colours and the icons."""
    manifest = {
        "name": settings.LINERNOTES_SITE_NAME,
        "short_name": settings.LINERNOTES_SITE_NAME,
        "start_url": reverse("site:home"),
        "display": "browser",
        "theme_color": images.LOGO_COLOUR,
        "background_color": "#ffffff",
        "icons": [
            {
                "src": reverse("seo:icon", args=[size]),
                "sizes": f"{size}x{size}",
                "type": "image/png",
            }
            for size in images.ICON_SIZES
        ],
    }
    return HttpResponse(json.dumps(manifest, indent=1), content_type="application/manifest+json")


def _png_response(
    request: HttpRequest, draw: Callable[[], bytes], *, content_type: str = "image/png"
) -> HttpResponseBase:
    png = draw()
    etag = images.png_etag(png)
    unchanged = get_conditional_response(request, etag=etag)
    response = unchanged or HttpResponse(png, content_type=content_type)
    response.headers["ETag"] = etag
    patch_cache_control(response, public=True, max_age=IMAGE_MAX_AGE)
    return response
