"""Pages rendered in process, through the same request handler and middleware that serve them.

A build asks the site for each address exactly as a reader's first visit would
(linernotes.inprocess), so a built file holds the same bytes the server answers. While a
page renders, every post loaded for it is noted: those are the posts it depends on, which is
how an incremental build knows what an edit touches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models.signals import post_init

from linernotes.content.models import Post
from linernotes.inprocess import Answer, SiteClient

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
class Rendered(Answer):
    posts: set[int] = field(default_factory=set)


def index_file(content_type: str) -> str:
    for prefix, name in INDEX_FILES:
        if content_type.startswith(prefix):
            return name
    return XML_INDEX


class PageRenderer(SiteClient):
    """Answers addresses of the site, noting the posts each page loaded."""

    def render(self, address: str) -> Rendered:
        seen: set[int] = set()
        _loaded.append(seen)
        try:
            answer = self.get(address)
        finally:
            _loaded.remove(seen)
        return Rendered(**vars(answer), posts=seen)
