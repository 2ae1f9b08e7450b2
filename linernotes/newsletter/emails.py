"""The messages we send: confirmation, a new post, the weekly digest, and an editor's test.

A post's email is rendered and its CSS inlined once; each subscriber's copy only swaps in their
own preference and unsubscribe links, so a send to many subscribers renders one page.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from inscriptis import get_text
from inscriptis.css_profiles import CSS_PROFILES
from inscriptis.html_properties import Display
from inscriptis.model.config import ParserConfig
from inscriptis.model.html_element import HtmlElement
from pygments.formatters import HtmlFormatter

from linernotes.content.addresses import absolute_links, absolute_url
from linernotes.content.highlighting import CSS_CLASS, LIGHT_STYLE
from linernotes.content.models import Post
from linernotes.content.pictures import closest_rendition
from linernotes.newsletter import links
from linernotes.newsletter.models import Delivery, Subscriber

PREFERENCES_SLOT = "__newsletter_preferences_url__"
UNSUBSCRIBE_SLOT = "__newsletter_unsubscribe_url__"

# nh3 writes every attribute in double quotes, so stored post HTML can be rewritten reliably.
# The space between a start tag's name and its first attribute (text never contains "<").
_TAG_ATTRIBUTES_RE = re.compile(r"(<[a-zA-Z][a-zA-Z0-9]*) ")
_TAG_RE = re.compile(r"(<[^>]*>)")
# SMTP lines may not exceed 998 bytes; Django quoted-printable encodes a part with longer ones,
# which is slow to build and larger to send. Keeping lines short lets parts go as plain 8bit.
LONG_LINE = 900
_INLINER = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)


def _text_profile() -> dict[str, HtmlElement]:
    # Inline elements inherit white-space, so code inside <pre> keeps its line breaks.
    profile = dict(CSS_PROFILES["strict"])
    for tag in ("code", "span", "kbd", "samp", "var"):
        profile[tag] = HtmlElement(display=Display.inline, whitespace=None)
    return profile


_TEXT_CONFIG = ParserConfig(css=_text_profile(), display_links=True)


@dataclass(frozen=True)
class RenderedEmail:
    """An email with slots for the links that differ per subscriber."""

    subject: str
    html: str
    text: str

    def personalised(self, *, preferences_url: str, unsubscribe_url: str) -> tuple[str, str]:
        """The HTML and text bodies with one subscriber's links filled in."""
        html, text = (
            body.replace(PREFERENCES_SLOT, preferences_url).replace(
                UNSUBSCRIBE_SLOT, unsubscribe_url
            )
            for body in (self.html, self.text)
        )
        return html, text


def html_to_text(html: str) -> str:
    return get_text(html, _TEXT_CONFIG).strip()


def render_post(post: Post) -> RenderedEmail:
    return _render_post(post.pk, post.updated_at)


@lru_cache(maxsize=32)
def _render_post(post_id: int, updated_at: datetime) -> RenderedEmail:
    # updated_at is part of the cache key so an edited post is rendered again.
    post = Post.objects.for_listing().get(pk=post_id)
    post_url = absolute_url(post.get_absolute_url())
    full = settings.LINERNOTES_NEWSLETTER_FULL_POSTS and not post.is_link_post
    body_html = absolute_links(post.body_html, post_url) if full else ""
    context = {
        "post": post,
        "post_url": post_url,
        "full": full,
        "body_html": body_html,
        "body_text": html_to_text(body_html) if full else post.excerpt,
        **_hero(post),
        "external_host": urlsplit(post.external_url).hostname or "",
    }
    return _render("post", post.title, context)


# Mail clients show the hero image at most this wide; they know no WebP or AVIF.
EMAIL_IMAGE_WIDTH = 800


def _hero(post: Post) -> dict[str, Any]:
    """The hero image of a post's email: its 800-wide JPEG or PNG rendition once made."""
    if not post.hero_image:
        return {"hero_url": ""}
    rendition = closest_rendition(post.hero_image, EMAIL_IMAGE_WIDTH)
    if rendition is not None:
        return {
            "hero_url": absolute_url(rendition.url),
            "hero_width": rendition.width,
            "hero_height": rendition.height,
        }
    return {
        "hero_url": absolute_url(post.hero_image.url),
        "hero_width": post.hero_image_width,
        "hero_height": post.hero_image_height,
    }


def render_digest(posts: Sequence[Post]) -> RenderedEmail:
    return _render_digest(tuple((post.pk, post.updated_at) for post in posts))


@lru_cache(maxsize=64)
def _render_digest(versions: tuple[tuple[int, datetime], ...]) -> RenderedEmail:
    post_ids = [pk for pk, _ in versions]
    by_id = Post.objects.for_listing().in_bulk(post_ids)
    posts = [by_id[pk] for pk in post_ids if pk in by_id]
    entries = [(post, absolute_url(post.get_absolute_url())) for post in posts]
    count = len(entries)
    subject = f"{settings.LINERNOTES_SITE_NAME}: {count} new post{'s' if count != 1 else ''}"
    return _render("digest", subject, {"entries": entries})


def forget_rendered_emails() -> None:
    """Drop cached renderings (after settings that shape emails change, as in tests)."""
    _render_post.cache_clear()
    _render_digest.cache_clear()


def _render(template: str, subject: str, context: dict[str, Any]) -> RenderedEmail:
    context = {
        **context,
        "subject": subject,
        "site_name": settings.LINERNOTES_SITE_NAME,
        "site_url": settings.LINERNOTES_SITE_URL,
        "date_format": settings.LINERNOTES_DATE_FORMAT,
        "code_css": _code_css(),
        "preferences_url": PREFERENCES_SLOT,
        "unsubscribe_url": UNSUBSCRIBE_SLOT,
    }
    html = _INLINER.inline(render_to_string(f"newsletter/email/{template}.html", context))
    text = render_to_string(f"newsletter/email/{template}.txt", context)
    return RenderedEmail(subject=subject, html=short_html_lines(html), text=short_text_lines(text))


def short_html_lines(html: str) -> str:
    """Break lines where whitespace means nothing: before a tag's attributes, and between
    words of text outside <pre>."""
    html = _TAG_ATTRIBUTES_RE.sub("\\1\n", html)
    if max(map(len, html.split("\n"))) <= LONG_LINE:
        return html
    pieces, column, in_pre = [], 0, False
    for piece in _TAG_RE.split(html):
        if piece.startswith("<"):
            name = piece[1:].split(None, 1)[0].rstrip(">").lower() if len(piece) > 2 else ""
            in_pre = {"pre": True, "/pre": False}.get(name, in_pre)
        elif not in_pre:
            piece = _wrap_words(piece, column)
        pieces.append(piece)
        column = _column_after(piece, column)
    return "".join(pieces)


def _wrap_words(text: str, column: int) -> str:
    parts: list[str] = []
    for index, word in enumerate(text.split(" ")):
        if index:
            fits = column + 1 + len(word) <= LONG_LINE
            parts.append(" " if fits else "\n")
            column = column + 1 if fits else 0
        parts.append(word)
        column = _column_after(word, column)
    return "".join(parts)


def _column_after(text: str, column: int) -> int:
    return len(text) - text.rfind("\n") - 1 if "\n" in text else column + len(text)


def short_text_lines(text: str) -> str:
    """Wrap only lines too long for SMTP; shorter ones (code, lists) are left as they are."""
    return "\n".join(
        textwrap.fill(line, width=78, break_long_words=False, break_on_hyphens=False)
        if len(line) > LONG_LINE
        else line
        for line in text.split("\n")
    )


@lru_cache(maxsize=1)
def _code_css() -> str:
    # The light code style only: mail clients cannot be relied on to honour colour schemes.
    return str(HtmlFormatter(style=LIGHT_STYLE, cssclass=CSS_CLASS).get_style_defs(f".{CSS_CLASS}"))


def message_id_for(delivery: Delivery) -> str:
    """The same Message-ID every time a delivery is sent, so a rare duplicate is recognisable."""
    signature = salted_hmac("linernotes.newsletter.message-id", str(delivery.pk)).hexdigest()[:12]
    return f"<newsletter.{delivery.pk}.{signature}@{_mail_domain()}>"


def _mail_domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return (
        address.rpartition("@")[2] or urlsplit(settings.LINERNOTES_SITE_URL).hostname or "localhost"
    )


def _reply_to() -> list[str]:
    return [settings.LINERNOTES_NEWSLETTER_REPLY_TO or settings.DEFAULT_FROM_EMAIL]


def newsletter_message(
    delivery: Delivery, rendered: RenderedEmail, connection: BaseEmailBackend
) -> EmailMultiAlternatives:
    """A post or digest for one subscriber, with RFC 8058 one-click unsubscribe."""
    subscriber = delivery.subscriber
    unsubscribe_url = links.unsubscribe_url(subscriber)
    html, text = rendered.personalised(
        preferences_url=links.preferences_url(subscriber), unsubscribe_url=unsubscribe_url
    )
    headers = {
        "Message-ID": message_id_for(delivery),
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{settings.LINERNOTES_SITE_NAME} <newsletter.{_mail_domain()}>",
    }
    message = EmailMultiAlternatives(
        rendered.subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [subscriber.email],
        headers=headers,
        reply_to=_reply_to(),
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message


def confirmation_message(subscriber: Subscriber) -> EmailMultiAlternatives:
    subject = f"Confirm your subscription to {settings.LINERNOTES_SITE_NAME}"
    context = {
        "subject": subject,
        "site_name": settings.LINERNOTES_SITE_NAME,
        "site_url": settings.LINERNOTES_SITE_URL,
        "confirm_url": links.confirm_url(subscriber),
        "preferences_url": links.preferences_url(subscriber),
        "days": settings.LINERNOTES_NEWSLETTER_CONFIRM_DAYS,
        "topics": subscriber.topic_names(),
        "code_css": "",
    }
    message = EmailMultiAlternatives(
        subject,
        render_to_string("newsletter/email/confirm.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [subscriber.email],
        reply_to=_reply_to(),
    )
    html = short_html_lines(
        _INLINER.inline(render_to_string("newsletter/email/confirm.html", context))
    )
    message.attach_alternative(html, "text/html")
    return message


def preview_message(post: Post, address: str) -> EmailMultiAlternatives:
    """What subscribers would get for ``post``, sent to an editor; its links lead nowhere."""
    rendered = render_post(post)
    html, text = rendered.personalised(preferences_url="#", unsubscribe_url="#")
    message = EmailMultiAlternatives(
        f"[Test] {rendered.subject}",
        text,
        settings.DEFAULT_FROM_EMAIL,
        [address],
        reply_to=_reply_to(),
    )
    message.attach_alternative(html, "text/html")
    return message
