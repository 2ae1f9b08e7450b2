"""The Markdown that imported embeds become, whatever the source called them.

Videos become a ``youtube-nocookie.com`` or ``player.vimeo.com`` (``dnt=1``) frame: the only
frames the sanitiser lets through (``content.sanitise``) and the Content-Security-Policy
allows. Gists and tweets cannot be embedded without a third party's script, so they become a
link and a quote that readers can follow.
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import parse_qs, urlsplit

YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
VIMEO_ID = re.compile(r"\d{1,12}")
YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"}
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


def youtube_id(url_or_id: str) -> str | None:
    """The video id of a YouTube address (watch, youtu.be, embed, shorts) or of a bare id."""
    value = url_or_id.strip()
    if YOUTUBE_ID.fullmatch(value):
        return value
    parts = urlsplit(value if "//" in value else f"https://{value}")
    host = (parts.hostname or "").lower()
    if host not in YOUTUBE_HOSTS and host != "www.youtube-nocookie.com":
        return None
    if host == "youtu.be":
        candidate = parts.path.strip("/")
    elif parts.path == "/watch":
        candidate = parse_qs(parts.query).get("v", [""])[0]
    else:
        segments = parts.path.strip("/").split("/")
        candidate = (
            segments[1]
            if len(segments) > 1 and segments[0] in {"embed", "shorts", "v", "live"}
            else ""
        )
    return candidate if YOUTUBE_ID.fullmatch(candidate) else None


def vimeo_id(url_or_id: str) -> str | None:
    value = url_or_id.strip()
    if VIMEO_ID.fullmatch(value):
        return value
    parts = urlsplit(value if "//" in value else f"https://{value}")
    if (parts.hostname or "").lower() not in VIMEO_HOSTS:
        return None
    last = parts.path.rstrip("/").rsplit("/", 1)[-1]
    return last if VIMEO_ID.fullmatch(last) else None


def _frame(src: str, title: str) -> str:
    # A block of raw HTML on its own lines, so Markdown keeps it as one block.
    return (
        f'\n\n<iframe src="{escape(src)}" title="{escape(title)}" width="560" height="315" '
        'loading="lazy" allowfullscreen></iframe>\n\n'
    )


def youtube(video: str, title: str = "") -> str | None:
    """A privacy-friendly YouTube frame for ``video`` (an address or an id), or None."""
    found = youtube_id(video)
    if found is None:
        return None
    return _frame(f"https://www.youtube-nocookie.com/embed/{found}", title or "YouTube video")


def vimeo(video: str, title: str = "") -> str | None:
    found = vimeo_id(video)
    if found is None:
        return None
    return _frame(f"https://player.vimeo.com/video/{found}?dnt=1", title or "Vimeo video")


def video(url: str, title: str = "") -> str | None:
    """A frame for a YouTube or Vimeo address, or None for any other address."""
    return youtube(url, title) or vimeo(url, title)


def gist(url_or_id: str, file: str = "") -> str:
    """A link to a gist ("user/id", an id, or its address), as its script would show it."""
    value = url_or_id.strip().removesuffix(".js")
    url = value if value.startswith(("https://", "http://")) else f"https://gist.github.com/{value}"
    label = f"{file} on GitHub Gist" if file else "View the code on GitHub Gist"
    target = f"{url}#file-{file.replace('.', '-')}" if file else url
    return f"\n\n[{label}]({target})\n\n"


def tweet(url: str, text: str = "", author: str = "") -> str:
    """A quote of a tweet (or post on X) with a link to it."""
    lines = [f"> {line}" if line else ">" for line in text.strip().splitlines()] if text else []
    who = f"{author} " if author else ""
    lines.append(
        f"> — {who}[on X (Twitter)]({url.strip()})"
        if lines
        else f"> [A post on X (Twitter)]({url.strip()})"
    )
    return "\n\n" + "\n".join(lines) + "\n\n"
