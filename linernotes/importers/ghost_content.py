"""Ghost's stored post documents (lexical, mobiledoc, HTML, 0.x Markdown) to Markdown.

Rich text is rebuilt as small HTML fragments, one per block, and handed to the shared
HTML-to-Markdown converter; cards become Markdown directly (a Markdown card is kept as written).
Headings keep the id Ghost gave them (``HeadingAnchors``), so in-page links of the old site
still land. Anything that could not be carried over is returned as a note for the report.
"""

from __future__ import annotations

import json
import re
from html import escape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from mdit_py_plugins.anchors.index import slugify

from linernotes.importers.ghost_cards import GHOST_URL, BlockWriter, GhostBody
from linernotes.importers.html_markdown import html_to_markdown

MAX_DOCUMENT_DEPTH = 100

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NON_BRACKETS = re.compile(r"[^\[\]{}]+")


def check_json_depth(text: str, limit: int = MAX_DOCUMENT_DEPTH) -> int:
    """The deepest nesting of ``text``'s arrays and objects; ValueError past ``limit``.

    Checked before parsing, so a hostile document cannot exhaust the parser's recursion or ours.
    """
    brackets = _NON_BRACKETS.sub("", _JSON_STRING.sub("", text))
    depth = deepest = 0
    for char in brackets:
        depth += 1 if char in "[{" else -1
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                raise ValueError(f"nested more than {limit} levels deep")
    return deepest


def load_document(text: str) -> dict[str, Any]:
    """A lexical or mobiledoc document (stored as a JSON string); ValueError if unusable."""
    check_json_depth(text)
    document = json.loads(text)
    if not isinstance(document, dict):
        raise ValueError("not a JSON object")
    return document


# Lexical's text format bits, innermost first.
_LEXICAL_FORMATS = (
    *((16, "code"), (32, "sub"), (64, "sup"), (128, "mark")),
    *((8, "u"), (4, "s"), (2, "em"), (1, "strong")),
)
_HEADING_TAGS = {f"h{level}": level for level in range(1, 7)}


def _children(node: dict[str, Any]) -> list[dict[str, Any]]:
    children = node.get("children")
    return (
        [child for child in children if isinstance(child, dict)]
        if isinstance(children, list)
        else []
    )


def _lexical_text(node: dict[str, Any]) -> str:
    """A node's text as Ghost reads it for a heading's id."""
    kind = node.get("type")
    if kind == "linebreak":
        return "\n"
    if kind == "tab":
        return "\t"
    text = node.get("text")
    if isinstance(text, str):
        return text
    return "".join(_lexical_text(child) for child in _children(node))


def _lexical_inline(node: dict[str, Any]) -> str:
    kind = node.get("type")
    if kind == "linebreak":
        return "<br>"
    if kind in {"link", "autolink"}:
        inner = "".join(_lexical_inline(child) for child in _children(node))
        url = node.get("url")
        return f'<a href="{escape(url)}">{inner}</a>' if isinstance(url, str) else inner
    text = node.get("text")
    if not isinstance(text, str):
        return "".join(_lexical_inline(child) for child in _children(node))
    html = escape(text.replace("\t", " "))
    bits = node.get("format")
    if isinstance(bits, int):
        for bit, tag in _LEXICAL_FORMATS:
            if bits & bit:
                html = f"<{tag}>{html}</{tag}>"
    return html


def _lexical_list(node: dict[str, Any]) -> str:
    tag = "ol" if node.get("listType") == "number" or node.get("tag") == "ol" else "ul"
    start = node.get("start")
    opening = (
        f'<ol start="{start}">'
        if tag == "ol" and isinstance(start, int) and start > 1
        else f"<{tag}>"
    )
    items: list[str] = []
    for item in _children(node):
        nested = [child for child in _children(item) if child.get("type") == "list"]
        inline = "".join(_lexical_inline(c) for c in _children(item) if c.get("type") != "list")
        sublists = "".join(_lexical_list(child) for child in nested)
        if nested and not inline.strip() and items:
            # Lexical keeps a nested list in an item of its own; Markdown nests it in the
            # item before it, which is how the editor showed it.
            items[-1] += sublists
        else:
            items.append(inline + sublists)
    return opening + "".join(f"<li>{item}</li>" for item in items) + f"</{tag}>"


def _lexical_block(writer: BlockWriter, node: dict[str, Any]) -> None:
    kind = str(node.get("type", ""))
    inline = "".join(_lexical_inline(child) for child in _children(node))
    if kind in {"paragraph", "extended-text"}:
        writer.html(f"<p>{inline}</p>")
    elif kind in {"heading", "extended-heading"}:
        level = _HEADING_TAGS.get(str(node.get("tag")), 2)
        writer.heading(level, inline, _lexical_text(node))
    elif kind in {"quote", "extended-quote", "aside"}:
        writer.html(f"<blockquote><p>{inline}</p></blockquote>")
    elif kind == "list":
        writer.html(_lexical_list(node))
    elif kind == "code":
        language = node.get("language")
        writer.cards.code(_lexical_text(node), language if isinstance(language, str) else "")
    elif kind == "horizontalrule":
        writer.cards.render("hr", {})
    else:
        writer.cards.render(kind, node)


def lexical_to_markdown(document: str, anchors: HeadingAnchors) -> GhostBody:
    """A Ghost 5 ``lexical`` document as Markdown; ValueError if it is not one."""
    root = load_document(document).get("root")
    if not isinstance(root, dict):
        raise ValueError("no root node")
    writer = BlockWriter(anchors)
    for node in _children(root):
        _lexical_block(writer, node)
    return writer.body()


_MOBILEDOC_MARKUPS = {"strong", "b", "em", "i", "code", "s", "strike", "del", "u", "sub", "sup"}
_MOBILEDOC_SECTIONS = {"p", "blockquote", "aside", "pull-quote", *_HEADING_TAGS}


class _Mobiledoc:
    def __init__(self, document: dict[str, Any], writer: BlockWriter) -> None:
        self.writer = writer
        self.markups = self._list(document, "markups")
        self.atoms = self._list(document, "atoms")
        self.cards = self._list(document, "cards")

    @staticmethod
    def _list(document: dict[str, Any], key: str) -> list[Any]:
        value = document.get(key, [])
        if not isinstance(value, list):
            raise ValueError(f"{key} is not a list")
        return value

    def _open(self, index: object) -> tuple[str, str]:
        markup = (
            self.markups[index]
            if isinstance(index, int) and 0 <= index < len(self.markups)
            else None
        )
        if not isinstance(markup, list) or not markup or not isinstance(markup[0], str):
            return "", ""
        tag = markup[0].lower()
        if tag == "a":
            attributes = markup[1] if len(markup) > 1 and isinstance(markup[1], list) else []
            pairs = dict(zip(attributes[::2], attributes[1::2], strict=False))
            href = pairs.get("href")
            return ("a", f'<a href="{escape(href)}">') if isinstance(href, str) else ("", "")
        return (tag, f"<{tag}>") if tag in _MOBILEDOC_MARKUPS else ("", "")

    def _atom(self, index: object) -> tuple[str, str]:
        atom = (
            self.atoms[index] if isinstance(index, int) and 0 <= index < len(self.atoms) else None
        )
        if not isinstance(atom, list) or len(atom) < 2:
            return "", ""
        if atom[0] == "soft-return":
            return "<br>", ""
        text = str(atom[1])
        self.writer.notes.append(f"the {atom[0]!s} atom was kept as its text: {text}")
        return escape(text), text

    def markers(self, markers: object) -> tuple[str, str]:
        """The HTML and the plain text of a run of markers."""
        html: list[str] = []
        text: list[str] = []
        open_tags: list[str] = []
        for marker in markers if isinstance(markers, list) else []:
            if not isinstance(marker, list) or len(marker) != 4:
                raise ValueError("a marker is not [type, markups, closed, value]")
            kind, opened, closed, value = marker
            for index in opened if isinstance(opened, list) else []:
                tag, opening = self._open(index)
                open_tags.append(tag)
                html.append(opening)
            if kind == 1:
                atom_html, atom_text = self._atom(value)
                html.append(atom_html)
                text.append(atom_text)
            else:
                html.append(escape(str(value)))
                text.append(str(value))
            for _ in range(min(closed, len(open_tags)) if isinstance(closed, int) else 0):
                tag = open_tags.pop()
                html.append(f"</{tag}>" if tag else "")
        html.extend(f"</{tag}>" for tag in reversed(open_tags) if tag)
        return "".join(html), "".join(text)

    def section(self, section: object) -> None:
        if not isinstance(section, list) or not section:
            raise ValueError("a section is not a list")
        kind = section[0]
        if kind == 1 and len(section) >= 3:
            self._markup_section(str(section[1]).lower(), section[2])
        elif kind == 3 and len(section) >= 3:
            tag = "ol" if str(section[1]).lower() == "ol" else "ul"
            items = section[2] if isinstance(section[2], list) else []
            lis = "".join(f"<li>{self.markers(item)[0]}</li>" for item in items)
            self.writer.html(f"<{tag}>{lis}</{tag}>")
        elif kind == 2 and len(section) >= 2 and isinstance(section[1], str):
            self.writer.cards.render("image", {"src": section[1]})
        elif kind == 10 and len(section) >= 2:
            card = (
                self.cards[section[1]]
                if isinstance(section[1], int) and 0 <= section[1] < len(self.cards)
                else None
            )
            if isinstance(card, list) and len(card) >= 2 and isinstance(card[1], dict):
                self.writer.cards.render(str(card[0]), card[1])
            else:
                self.writer.notes.append("a card the document does not describe was left out")
        else:
            self.writer.notes.append(f"a section of unknown type {kind!r} was left out")

    def _markup_section(self, tag: str, markers: object) -> None:
        html, text = self.markers(markers)
        if tag in _HEADING_TAGS:
            self.writer.heading(_HEADING_TAGS[tag], html, text)
        elif tag in _MOBILEDOC_SECTIONS - {"p"}:
            self.writer.html(f"<blockquote><p>{html}</p></blockquote>")
        else:
            self.writer.html(f"<p>{html}</p>")


def mobiledoc_to_markdown(document: str, anchors: HeadingAnchors) -> GhostBody:
    """A Ghost 1-4 ``mobiledoc`` document as Markdown; ValueError if it is not one."""
    parsed = load_document(document)
    sections = parsed.get("sections")
    if not isinstance(sections, list):
        raise ValueError("no sections")
    writer = BlockWriter(anchors)
    reader = _Mobiledoc(parsed, writer)
    for section in sections:
        reader.section(section)
    return writer.body()


def html_to_body(html: str, anchors: HeadingAnchors) -> GhostBody:
    """Ghost's rendered ``html`` as Markdown, headings keeping the ids the HTML gave them."""
    # The converter writes out each heading's id from the HTML where it differs from ours.
    converted = html_to_markdown(html.replace(GHOST_URL, ""))
    return GhostBody(converted.markdown, list(converted.kept_html), list(converted.notes))


def markdown_to_body(markdown: str, anchors: HeadingAnchors) -> GhostBody:
    """A 0.x post's own Markdown, kept as written apart from its headings' ids."""
    return GhostBody(anchors.anchor_markdown(markdown.replace(GHOST_URL, ""), "markdown"))


# Ghost's own rules for a heading's id, which changed with its versions (checked against the
# ids in real exports' html): before 4, Markdown dropped every non-word character and the
# rich editor turned each into a dash; from 4, symbols are dropped and spaces become dashes
# (percent-encoded, which a browser decodes before matching); 6 drops typographic ones too.
_SYMBOLS_4 = re.compile(r"[\][!\"#$%&'()*+,./:;<=>?@\\^_{|}~]")
_SYMBOLS_6 = re.compile(r"[\][!\"#$%&'()*+,./:;<=>?@\\^_{|}~‘’“”`¡¿–—•]")
_ID_SYNTAX_SAFE = re.compile(r"[^\s{}]+")


def ghost_heading_id(text: str, major_version: int, kind: str = "rich") -> str:
    """The id Ghost ``major_version`` gave a heading; ``kind`` is "markdown" or "rich"."""
    if not text.strip():
        return ""
    if major_version < 4:
        if kind == "markdown":
            return re.sub(r"\W", "", text, flags=re.ASCII).lower()
        dashed = re.sub(r"\W", "-", re.sub(r'[<>&"?]', "", text).strip(), flags=re.ASCII)
        return re.sub(r"-{2,}", "-", dashed).lower()
    symbols = _SYMBOLS_6 if major_version >= 6 else _SYMBOLS_4
    dashed = re.sub(r"\s+", "-", symbols.sub("", text.strip().lower()))
    return re.sub(r"^-|-{2,}|-$", "", dashed)


class _HeadingIdsInHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: dict[str, str] = {}
        self._open: tuple[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HEADING_TAGS and self._open is None:
            self._open, self._text = (tag, dict(attrs).get("id") or ""), []

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == self._open[0]:
            title = " ".join("".join(self._text).split())
            if self._open[1]:
                self.ids.setdefault(title, unquote(self._open[1]))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)


class HeadingAnchors:
    """Which headings need their Ghost id written out (`` {#id}``) to keep old links working.

    Ids found in the post's own rendered HTML win over the version's rule.
    """

    def __init__(self, major_version: int, html: str = "") -> None:
        self.major_version = major_version
        self.known: dict[str, str] = {}
        if html:
            parser = _HeadingIdsInHtml()
            parser.feed(html)
            parser.close()
            self.known = parser.ids
        self._used: set[str] = set()

    def ghost_id(self, text: str, kind: str) -> str:
        """The id a heading had on Ghost, or "" (none, or already given to an earlier one)."""
        title = " ".join(text.split())
        ghost = self.known.get(title) or ghost_heading_id(title, self.major_version, kind)
        if not ghost or ghost in self._used or not _ID_SYNTAX_SAFE.fullmatch(ghost):
            return ""
        self._used.add(ghost)
        return ghost

    def suffix(self, text: str, level: int, kind: str) -> str:
        """`` {#id}`` for a Markdown heading whose Ghost id differs from Liner Notes' own."""
        ghost = self.ghost_id(text, kind)
        # Liner Notes gives ids to levels 2-4 only; other levels need Ghost's written out.
        title = " ".join(text.split())
        ours = (slugify(title) or "section") if 2 <= level <= 4 else ""
        return f" {{#{ghost}}}" if ghost and ghost != ours else ""

    def anchor_markdown(self, markdown: str, kind: str) -> str:
        """``markdown`` with the ids its ATX headings had on Ghost, where they differ."""
        lines = markdown.replace("\r\n", "\n").split("\n")
        tokens = _HEADING_FINDER.parse("\n".join(lines))
        for index, token in enumerate(tokens):
            if token.type != "heading_open" or not token.markup.startswith("#") or not token.map:
                continue
            children = tokens[index + 1].children or []
            title = "".join(c.content for c in children if c.type in {"text", "code_inline"})
            suffix = self.suffix(title, int(token.tag[1]), kind)
            if suffix:
                row = token.map[0]
                lines[row] = _ATX_CLOSING.sub("", lines[row]).rstrip() + suffix
        return "\n".join(lines)


_HEADING_FINDER = MarkdownIt("commonmark")
_ATX_CLOSING = re.compile(r"(?<=\S)[ \t]+#+[ \t]*$")
