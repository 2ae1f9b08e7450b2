"""Template helpers for the theme: post cards, hero images and avatars, links taken from URL
fields, and the titles the home page's filter gives the document."""

from __future__ import annotations

from html import escape
from urllib.parse import quote, urlsplit

from django import template
from django.conf import settings
from django.template import Context
from django.template.defaultfilters import date
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timezone import localtime

from linernotes.content import pictures
from linernotes.content.addresses import path_to
from linernotes.content.models import Author, Category, Post, Status
from linernotes.content.responsive import wrap_img
from linernotes.content.sanitise import safe_href as _safe_href
from linernotes.content.seo_fields import compose_title
from linernotes.site.placeholders import DEFAULT_COLOUR, HEIGHT, WIDTH, placeholder_svg

register = template.Library()

# Where a hero image is shown -> how wide it is there.
HERO_SIZES = {
    "card": pictures.CARD_SIZES,
    "featured": pictures.FEATURED_SIZES,
    "post": pictures.POST_SIZES,
}


@register.simple_tag
def hero_image(
    post: Post, *, eager: bool = False, decorative: bool = False, layout: str = "card"
) -> SafeString:
    """The post's hero image (or its placeholder) with dimensions and loading hints, and its
    renditions (srcset, and a <picture> of newer formats) once they are made.

    Only the first image a reader sees is loaded eagerly and with high priority; the rest
    wait until they are near the viewport. ``layout`` (card, featured, post) is where it is
    shown, which tells the browser how wide it will be.
    """
    responsive = None
    if post.hero_image:
        src, width, height = post.hero_image.url, post.hero_image_width, post.hero_image_height
        alt = "" if decorative else post.hero_image_alt
        responsive = pictures.field_image(post.hero_image, sizes=HERO_SIZES[layout])
    else:
        src = _placeholder_src(post)
        width, height, alt = WIDTH, HEIGHT, ""
    # An image whose size is unknown gets no dimensions rather than empty, invalid ones.
    size = format_html(' width="{}" height="{}"', width, height) if width and height else ""
    loading = 'fetchpriority="high"' if eager else 'loading="lazy"'
    img = format_html(
        '<img src="{}"{} alt="{}" decoding="async" {}>', src, size, alt, SafeString(loading)
    )
    return SafeString(wrap_img(img, responsive)) if responsive else img


@register.simple_tag(takes_context=True)
def post_card(
    context: Context, post: Post, *, eager: bool = False, compact: bool = False
) -> SafeString:
    """The card of ``post`` in a list of cards (``<li class="card">``), with its bylines and
    categories where the page's ``show_byline`` and ``show_chips`` ask for them; a compact
    card (related posts) shows neither, and is loaded without them.

    Written out here rather than in a template: a listing renders two dozen cards, and the
    template engine spent about a quarter of a millisecond on each, most of the page's time;
    joined here a card costs a fifth of that. Every value is escaped as templates escape
    them (``html.escape``, quotes included).
    """
    url = escape(post.get_absolute_url())
    # In the site's time zone, as templates show dates; a draft's preview may have none.
    moment = localtime(post.published_at) if post.published_at else None
    day = date(moment, context.get("date_format", ""))
    parts = [
        f'<li class="card{" card--link" if post.is_link_post else ""}">\n'
        f'  <article aria-labelledby="card-{post.pk}">\n'
        f'    <a class="card__image" href="{url}" tabindex="-1" aria-hidden="true">'
        f"{hero_image(post, eager=eager, decorative=True)}</a>\n"
        '    <div class="card__body">\n'
        f'      <p class="card__meta"><time datetime="{escape(date(moment, "c"))}">'
        f"{escape(day)}</time>"
    ]
    if post.is_link_post:
        parts.append(
            f' <span class="card__external">· on {escape(hostname(post.external_url))}</span>'
        )
    parts.append(
        f'</p>\n      <h2 class="card__title" id="card-{post.pk}">'
        f'<a href="{url}">{escape(post.title)}</a></h2>\n      '
    )
    if post.excerpt:
        parts.append(f'<p class="card__excerpt">{escape(post.excerpt)}</p>')
    parts.append("\n      \n      ")
    if not compact and context.get("show_byline") and post.credits:
        parts.append(f'<p class="card__byline">Published by {_linked_bylines(post)}</p>')
    parts.append("\n      ")
    if not compact and context.get("show_chips") and post.chips:
        chips = "".join(
            f'<li><a class="chip" href="{escape(category.get_absolute_url())}">'
            f"{escape(category.name)}</a></li>"
            for category in post.chips
        )
        parts.append(f'<ul class="chips" aria-label="Categories">{chips}</ul>')
    parts.append("\n    </div>\n  </article>\n</li>\n")
    return SafeString("".join(parts))


@register.simple_tag
def linked_bylines(post: Post) -> SafeString:
    """``A; B and C``: each author linked, with their role on this post."""
    return SafeString(_linked_bylines(post))


def _linked_bylines(post: Post) -> str:
    names = []
    for byline in post.credits:
        role = byline.display_role
        role_html = f'<span class="byline__role">, {escape(role)}</span>' if role else ""
        names.append(
            f'<span class="byline"><a href="{escape(byline.author.get_absolute_url())}">'
            f"{escape(byline.author.name)}</a>{role_html}</span>"
        )
    if len(names) < 2:
        return "".join(names)
    return "; ".join([*names[:-2], f"{names[-2]} and {names[-1]}"])


@register.simple_tag
def avatar_image(author: Author, *, css_class: str = "author-card__avatar") -> SafeString:
    """The author's avatar at 96x96 (the theme crops it to a circle), with its renditions."""
    if not author.avatar:
        return SafeString("")
    img = format_html(
        '<img class="{}" src="{}" width="96" height="96" alt="">',
        css_class,
        author.avatar.url,
    )
    responsive = pictures.field_image(author.avatar, sizes=pictures.AVATAR_SIZES)
    return SafeString(wrap_img(img, responsive)) if responsive else img


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


@register.filter
def archive_title(category: Category) -> str:
    """The ``<title>`` of the first page of the category's archive, which the home page filtered
    by it has too: the filter gives it to the document when it switches in place."""
    return compose_title(category.name)


@register.simple_tag
def home_title() -> str:
    """The ``<title>`` of the home page without a filter, as seo's page metadata writes it,
    which the filter's "All categories" gives back to the document."""
    return f"{settings.LINERNOTES_SITE_NAME} — {settings.LINERNOTES_SITE_TAGLINE}"
