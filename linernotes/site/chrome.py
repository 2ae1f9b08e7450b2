"""What the operator sets around every page: the announcement bar, the footer's links to the
organisation's profiles and its link groups, and a snippet for the head (docs/configuration.md
#the-sites-chrome). Read from settings once per process; a change means a restart."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from linernotes.content.markdown import render_inline_markdown

# How the footer names a profile, by its host; any other host is shown as itself.
PROFILE_NAMES = {
    "github.com": "GitHub",
    "gitlab.com": "GitLab",
    "linkedin.com": "LinkedIn",
    "x.com": "X",
    "twitter.com": "X",
    "bsky.app": "Bluesky",
    "youtube.com": "YouTube",
    "instagram.com": "Instagram",
    "facebook.com": "Facebook",
    "mastodon.social": "Mastodon",
    "fosstodon.org": "Mastodon",
    "hachyderm.io": "Mastodon",
}


@dataclass(frozen=True)
class Announcement:
    html: SafeString
    # Names this text: a reader who dismissed it sees the next announcement again.
    key: str


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@cache
def _announcement(text: str) -> Announcement | None:
    if not text.strip():
        return None
    key = hashlib.sha256(text.encode()).hexdigest()[:12]
    # Sanitised by the Markdown pipeline, as every post body is.
    return Announcement(mark_safe(render_inline_markdown(text)), key)


def announcement() -> Announcement | None:
    return _announcement(settings.LINERNOTES_ANNOUNCEMENT)


def profile_name(url: str) -> str:
    host = (urlsplit(url).hostname or url).removeprefix("www.")
    return PROFILE_NAMES.get(host, host)


def social_links() -> list[Link]:
    return [Link(profile_name(url), url) for url in settings.LINERNOTES_SOCIAL_PROFILES]


def footer_link_groups() -> list[tuple[str, list[Link]]]:
    return [
        (title, [Link(label, url) for label, url in links])
        for title, links in settings.LINERNOTES_FOOTER_LINKS
    ]


def head_snippet() -> SafeString:
    # The operator's own HTML, like a template they wrote; it is not reader input.
    return mark_safe(settings.LINERNOTES_HEAD_SNIPPET)
