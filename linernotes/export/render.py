"""Pages rendered in process, through the same request handler and middleware that serve them.

A build asks the site for each address exactly as a reader's first visit would (GET, no
cookies, no Accept-Encoding), so a built file holds the same bytes the server answers. While a
page renders, every post loaded for it is noted: those are the posts it depends on, which is
how an incremental build knows what an edit touches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.core.handlers.base import BaseHandler
from django.db.models.signals import post_init
from django.test import RequestFactory

from linernotes.content.models import Post

# The index file of an address ending in "/", by the type of what it answered.
INDEX_FILES = (
    ("text/html", "index.html"),
    ("application/json", "index.json"),
    ("application/feed+json", "index.json"),
)
XML_INDEX = "index.xml"


# The posts loaded while each page in progress renders (one at a time per process).
_loaded: list[set[int]] = []


def _note_post(instance: Post, **kwargs: Any) -> None:
    if _loaded and instance.pk is not None:
        _loaded[-1].add(instance.pk)


post_init.connect(_note_post, sender=Post, dispatch_uid="export-posts-loaded")


@dataclass
class Rendered:
    status: int
    content: bytes
    content_type: str
    location: str
    posts: set[int]
    headers: dict[str, str]


def index_file(content_type: str) -> str:
    for prefix, name in INDEX_FILES:
        if content_type.startswith(prefix):
            return name
    return XML_INDEX


class PageRenderer:
    """Answers addresses of the site at ``base_url`` without a server."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.requests = RequestFactory(HTTP_HOST=parts.netloc)
        self.secure = parts.scheme == "https"
        self.handler = BaseHandler()
        self.handler.load_middleware()

    def render(self, address: str) -> Rendered:
        seen: set[int] = set()
        _loaded.append(seen)
        try:
            request = self.requests.get(address, secure=self.secure)
            response: Any = self.handler.get_response(request)
        finally:
            _loaded.remove(seen)
        return Rendered(
            status=response.status_code,
            content=bytes(response.content)
            if not response.streaming
            else b"".join(response.streaming_content),
            content_type=response.get("Content-Type", ""),
            location=response.get("Location", ""),
            posts=seen,
            headers=dict(response.items()),
        )
