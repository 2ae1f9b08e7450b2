"""What the index knows about a post: its text, split into the fields search weighs."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from linernotes.content.models import Post

# Elements that run on inside a line; every other tag separates words.
INLINE_ELEMENTS = frozenset(
    {"a", "abbr", "b", "code", "del", "em", "i", "ins", "kbd", "mark", "s", "small", "span"}
    | {"strong", "sub", "sup", "u", "var", "time", "q", "cite", "dfn", "samp", "bdi", "bdo"}
)

# Decorations the renderer adds around the author's words: heading anchors ("#") and
# footnote back-links ("↩").
DECORATION_CLASSES = frozenset({"header-anchor", "footnote-backref"})

# Unicode's control characters (category Cc), except tab and newline, become spaces.
CONTROL_CHARACTERS = {
    code: " " for code in (*range(0x20), *range(0x7F, 0xA0)) if chr(code) not in "\n\t"
}


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
        for byline in post.bylines.all()
    )
    return DocumentText(
        post_id=post.pk,
        title=plain(post.title),
        summary=plain(post.summary),
        categories=plain(categories),
        authors=plain(authors),
        body=plain(html_to_text(post.body_html)),
    )


def plain(text: str) -> str:
    """``text`` without control characters, which search reserves to mark matches."""
    return text.translate(CONTROL_CHARACTERS)


def html_to_text(html: str) -> str:
    """The words of sanitised post HTML, with block boundaries kept as spaces."""
    parser = _TextCollector()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        # Tag name and nesting depth of the decoration being skipped, if any.
        self.skipping: tuple[str, int] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping is not None:
            name, depth = self.skipping
            self.skipping = (name, depth + 1) if tag == name else self.skipping
        elif DECORATION_CLASSES.intersection((dict(attrs).get("class") or "").split()):
            self.skipping = (tag, 1)
        if tag not in INLINE_ELEMENTS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping is not None and tag == self.skipping[0]:
            name, depth = self.skipping
            self.skipping = (name, depth - 1) if depth > 1 else None
        if tag not in INLINE_ELEMENTS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self.skipping is None:
            self.parts.append(data)
