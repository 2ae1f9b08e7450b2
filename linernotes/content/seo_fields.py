"""What search engines and social cards are told about a post: its title, description and
preferred address, each written once.

The seo app's page metadata and the post admin's preview both read these rules, so the
preview shows what is published. An editor's meta title and meta description are used as
written; without them the post's own title and excerpt stand in.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.conf import settings

from linernotes.content.sanitise import safe_href
from linernotes.content.text import clean_title, cut_at_word

if TYPE_CHECKING:
    from linernotes.content.models import Post

# Descriptions made from the excerpt (and other text) are cut at a word after this many.
DESCRIPTION_LENGTH = 200
# About as many characters as search results show of a title and a description; longer ones
# are allowed, and the admin says that they may be cut short.
TITLE_SHOWN_LENGTH = 60
DESCRIPTION_SHOWN_LENGTH = 160
TITLE_SEPARATOR = " · "


def compose_title(*parts: str) -> str:
    """``Part · Part · Site``, without ever naming the site twice."""
    site = settings.LINERNOTES_SITE_NAME
    kept = [part for part in parts if part]
    # As a whole name: a site called "Dev" still ends the title "DevOps tips".
    named = re.compile(rf"(?<!\w){re.escape(site)}(?!\w)", re.IGNORECASE)
    if not named.search(TITLE_SEPARATOR.join(kept)):
        kept.append(site)
    return TITLE_SEPARATOR.join(kept)


def search_title(post: Post) -> str:
    """The page's ``<title>``: the meta title as written, else ``Post title · Site``."""
    return clean_title(post.meta_title) or compose_title(post.title)


def social_title(post: Post) -> str:
    """The title of social cards (og:title, twitter:title): the meta title, else the title."""
    return clean_title(post.meta_title) or post.title


def search_description(post: Post) -> str:
    """The description of search results, social cards and structured data.

    The meta description as written, else the excerpt cut at a word, else the site's tagline.
    """
    return (
        clean_title(post.meta_description)
        or cut_at_word(post.excerpt, DESCRIPTION_LENGTH)
        or settings.LINERNOTES_SITE_TAGLINE
    )


def canonical_address(post: Post) -> str:
    """The address the editor named as the original (a web address), or "" for none."""
    return safe_href(post.canonical_url.strip())
