"""What the index knows about a post: its text, split into the fields search weighs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from linernotes.content.models import Post

# Unicode's control characters (category Cc), except tab and newline, become spaces. A
# pattern rather than str.translate, which looks every character up: bodies have none.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class DocumentText:
    """The indexed text of one post."""

    post_id: int
    title: str
    summary: str
    categories: str
    authors: str
    body: str


def build_document(post: Post) -> DocumentText:
    """The indexed text of ``post``; expects its categories and bylines to be prefetched.

    Authors are indexed with the role they had on the post, so "data scientist" finds posts
    written by one.
    """
    categories = "; ".join(category.name for category in post.categories.all())
    authors = "; ".join(
        f"{byline.author.name}, {byline.display_role}"
        if byline.display_role
        else byline.author.name
        for byline in post.credits
    )
    return DocumentText(
        post_id=post.pk,
        title=plain(post.title),
        summary=plain(post.summary),
        categories=plain(categories),
        authors=plain(authors),
        # The text the renderer extracted when the post was saved, already without the
        # pipeline's decorations (heading anchors, footnote back-links, line numbers).
        body=plain(" ".join(post.body_text.split())),
    )


def plain(text: str) -> str:
    """``text`` without control characters, which search reserves to mark matches."""
    return CONTROL_CHARACTERS.sub(" ", text)
