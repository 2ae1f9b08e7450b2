"""Template helpers for the theme: hero images, and links taken from URL fields."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from linernotes.content.addresses import path_to
from linernotes.content.models import Post, Status
from linernotes.content.sanitise import safe_href as _safe_href
from linernotes.site.placeholders import DEFAULT_COLOUR, HEIGHT, WIDTH, placeholder_svg

register = template.Library()


@register.simple_tag
def hero_image(post: Post, *, eager: bool = False, decorative: bool = False) -> SafeString:
    """The post's hero image (or its placeholder) with dimensions and loading hints.

    Only the first image a reader sees is loaded eagerly and with high priority; the rest
    wait until they are near the viewport.
    """
    if post.hero_image:
        src, width, height = post.hero_image.url, post.hero_image_width, post.hero_image_height
        alt = "" if decorative else post.hero_image_alt
    else:
        src = _placeholder_src(post)
        width, height, alt = WIDTH, HEIGHT, ""
    # An image whose size is unknown gets no dimensions rather than empty, invalid ones.
    size = format_html(' width="{}" height="{}"', width, height) if width and height else ""
    loading = 'fetchpriority="high"' if eager else 'loading="lazy"'
    return format_html(
        '<img src="{}"{} alt="{}" decoding="async" {}>', src, size, alt, SafeString(loading)
    )


def _placeholder_src(post: Post) -> str:
    if post.status == Status.PUBLISHED:
        return path_to("site:placeholder", post.slug)
    # A preview of a post readers cannot see yet: its placeholder's address answers only for
    # public posts, so the image travels inside the page (the CSP allows data: images).
    colour = post.primary_category.colour if post.primary_category else DEFAULT_COLOUR
    return "data:image/svg+xml," + quote(placeholder_svg(post.slug, colour), safe="=:/")


@register.filter
def hostname(url: str) -> str:
    """``https://www.example.com/a/b`` → ``example.com``: where a link post leads."""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


@register.filter
def safe_href(url: str) -> str:
    """The URL if it leads to a web page (http or https), else "": ``{% if url|safe_href %}``."""
    return _safe_href(url or "")
