"""The pipeline's own markdown-it rules for heading ids, bare links and video embeds.

Each rule walks the token stream once and keeps no per-render state outside ``env``, so the
shared parsers stay safe between threads and a body of any shape costs linear time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import unescape
from typing import Any

from linkify_it import LinkifyIt  # type: ignore[import-untyped]  # no type hints shipped
from markdown_it import MarkdownIt
from markdown_it.common.utils import isLinkClose, isLinkOpen
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.anchors.index import slugify

from linernotes.content.sanitise import is_allowed_embed_source, is_reserved_id

# h1 is the post title in the site's layout, and deeper levels are too fine to offer a link
# to; every level still gets an id, so links written to any heading keep working.
_PERMALINK_TAGS = frozenset({"h2", "h3", "h4"})
PERMALINK_SYMBOL = "#"

# Ids the footnotes plugin gives its references and notes.
_FOOTNOTE_ID_RE = re.compile(r"fn(?:ref)?[0-9]+")
# What a heading may name as its own id, as in "## What's next {#what-s-next}": letters and
# digits of any script, "-" and "_", so the id needs no escaping in a URL fragment or selector.
_CUSTOM_ID_RE = re.compile(r"[^\W_][\w-]{0,127}")


def generated_heading_id(title: str) -> str:
    """The id a heading with the text ``title`` gets, before it is made unique on the page."""
    # An empty id is invalid HTML, so headings made only of punctuation still get one.
    return slugify(title) or "section"


class _UniqueIds:
    """Hands out ids that no other heading, footnote or element of the site's page has.

    Each base remembers the last number it was given, so ten thousand headings with one title
    cost ten thousand look-ups rather than fifty million.
    """

    def __init__(self) -> None:
        self._taken: set[str] = set()
        self._last_number: dict[str, int] = {}

    def _free(self, candidate: str) -> bool:
        taken = candidate in self._taken or is_reserved_id(candidate)
        return not taken and _FOOTNOTE_ID_RE.fullmatch(candidate) is None

    def claim(self, base: str) -> str:
        candidate, number = base, self._last_number.get(base, 0)
        while not self._free(candidate):
            number += 1
            candidate = f"{base}-{number}"
        self._last_number[base] = number
        self._taken.add(candidate)
        return candidate


def _heading_title(inline: Token) -> str:
    children = inline.children or []
    return "".join(child.content for child in children if child.type in {"text", "code_inline"})


def _take_custom_id(inline: Token) -> str | None:
    """The id a heading names at its end, removed from its text; None if it names none.

    Found with string searches from the end rather than a regular expression, which would
    retry at every space of a long heading.
    """
    content, children = inline.content, inline.children or []
    start = content.rfind("{#")
    if not content.endswith("}") or start < 1 or content[start - 1] not in " \t":
        return None
    candidate, written = content[start + 2 : -1], content[start:]
    # The attribute must still be plain text once parsed: with emphasis inside it is not.
    last = children[-1] if children else None
    if not _CUSTOM_ID_RE.fullmatch(candidate) or last is None or last.type != "text":
        return None
    if not last.content.endswith(written):
        return None
    last.content = last.content.removesuffix(written).rstrip(" \t")
    return candidate


def _permalink_tokens(slug: str, title: str) -> list[Token]:
    link_open = Token("link_open", "a", 1)
    link_open.attrSet("class", "header-anchor")
    link_open.attrSet("href", f"#{slug}")
    # The visible symbol means nothing when read aloud, so the link is named after the section.
    label = f"Permalink to “{title.strip()}”" if title.strip() else "Permalink to this section"
    link_open.attrSet("aria-label", label)
    return [link_open, Token("text", "", 0, content=PERMALINK_SYMBOL), Token("link_close", "a", -1)]


def anchor_headings(state: StateCore) -> None:
    """Give every heading a unique id, and sections a permalink.

    Ids a heading names itself are claimed first, so a link an author wrote to one reaches
    that heading even when an earlier heading's text would generate the same id.
    """
    ids = _UniqueIds()
    tokens = state.tokens
    headings = [index for index, token in enumerate(tokens) if token.type == "heading_open"]
    custom = {index: _take_custom_id(tokens[index + 1]) for index in headings}
    for index, wanted in custom.items():
        if wanted is not None:
            tokens[index].attrSet("id", ids.claim(wanted))
    for index in headings:
        heading, inline = tokens[index], tokens[index + 1]
        title = _heading_title(inline)
        if custom[index] is None:
            heading.attrSet("id", ids.claim(generated_heading_id(title)))
        if heading.tag in _PERMALINK_TAGS and inline.children is not None:
            inline.children.extend(_permalink_tokens(str(heading.attrGet("id")), title))


def configure_linkify(md: MarkdownIt) -> None:
    """Link bare addresses the way GitHub does: http, https, "www." and e-mail addresses.

    linkify-it on its own also links any "name.tld", which in technical writing turns file
    names such as setup.py or README.md into links, and "//host" and ftp addresses, which
    GitHub leaves as text.
    """
    linkify = LinkifyIt()
    linkify.add("ftp:", None)
    linkify.add("//", None)
    linkify.set({"fuzzy_ip": False})
    md.linkify = linkify


# Schemes linked where they appear in a line (ftp is not linked at all, see above).
_LINKED_SCHEMES = ("https", "http")
_SCHEME_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789+-.")
# How far an address is looked for from its "://". A longer one is left to linkify_text,
# which links whole text runs afterwards: looking to the end of the paragraph from every
# "://" would cost quadratic time in a paragraph of them.
_ADDRESS_WINDOW = 2048
_SPACE_RE = re.compile(r"\s")
_SPACES_RE = re.compile(r"(\s+)")


def _scheme_before(pending: str) -> str | None:
    tail = pending[-6:].lower()
    for scheme in _LINKED_SCHEMES:
        before = tail[: -len(scheme)][-1:]
        if tail.endswith(scheme) and (before == "" or before not in _SCHEME_CHARACTERS):
            return scheme
    return None


def linkify_scheme(state: StateInline, silent: bool) -> bool:
    """Link an http or https address at its "://" while the line is parsed, so that markup
    characters inside it ("*", "_", "~") are not read as emphasis; markdown-it's own rule
    searches all the text before each "://" and the rest of the paragraph after it."""
    pos, src, linkify = state.pos, state.src, state.md.linkify
    if silent or state.linkLevel > 0 or linkify is None or src[pos : pos + 3] != "://":
        return False
    scheme = _scheme_before(state.pending)
    window_end = min(state.posMax, pos + _ADDRESS_WINDOW)
    space = _SPACE_RE.search(src, pos, window_end)
    end = space.start() if space else window_end
    if scheme is None or (space is None and window_end < state.posMax):
        return False
    link = linkify.match_at_start(src[pos - len(scheme) : end])
    url = link.url.rstrip("*") if link else ""
    full_url = state.md.normalizeLink(url)
    if not url or not state.md.validateLink(full_url):
        return False
    state.pending = state.pending[: -len(scheme)]
    link_open = state.push("link_open", "a", 1)
    link_open.attrs, link_open.markup, link_open.info = {"href": full_url}, "linkify", "auto"
    state.push("text", "", 0).content = state.md.normalizeLinkText(url)
    link_close = state.push("link_close", "a", -1)
    link_close.markup, link_close.info = "linkify", "auto"
    state.pos += len(url) - len(scheme)
    return True


def _text_token(content: str, level: int) -> Token:
    token = Token("text", "", 0, content=content)
    token.level = level
    return token


def _matches(linkify: LinkifyIt, text: str) -> list[tuple[int, int, Any]]:
    """linkify-it's links in ``text`` (start, end, match), in words up to the window long.

    linkify-it reads from each "scheme:" to the end of its word, which a long word full of
    them turns into quadratic time; such words are left as text.
    """
    segments, start, offset = [], 0, 0
    for piece in _SPACES_RE.split(text) if len(text) > _ADDRESS_WINDOW else [text]:
        if len(piece) > _ADDRESS_WINDOW and not piece.isspace():
            segments.append((start, offset))
            start = offset + len(piece)
        offset += len(piece)
    segments.append((start, len(text)))
    return [
        (begin + link.index, begin + link.last_index, link)
        for begin, end in segments
        if end > begin
        for link in linkify.match(text[begin:end]) or []
    ]


def _linked(state: StateCore, token: Token, after_escape: bool) -> list[Token] | None:
    md, text = state.md, token.content
    assert md.linkify is not None
    nodes: list[Token] = []
    consumed = 0
    for index, last_index, link in _matches(md.linkify, text):
        url = md.normalizeLink(link.url)
        fuzzy_but_not_www = not link.schema and not link.text.lower().startswith("www.")
        # An escaped character right before it ("http\://...") means it is not a link.
        if fuzzy_but_not_www or (after_escape and index == 0) or not md.validateLink(url):
            continue
        if index > consumed:
            nodes.append(_text_token(text[consumed:index], token.level))
        link_open = Token("link_open", "a", 1, markup="linkify", info="auto")
        link_open.attrs = {"href": url}
        link_open.level = token.level
        label = link.text if link.schema else f"http://{link.text}"
        label = md.normalizeLinkText(label).removeprefix("" if link.schema else "http://")
        nodes += [link_open, _text_token(label, token.level + 1)]
        nodes.append(Token("link_close", "a", -1, markup="linkify", info="auto"))
        nodes[-1].level = token.level
        consumed = last_index
    if not nodes:
        return None
    if consumed < len(text):
        nodes.append(_text_token(text[consumed:], token.level))
    return nodes


def _may_link(text: str) -> bool:
    """Whether ``text`` could hold what is linked here (a scheme, www. or an e-mail address):
    a test far cheaper than linkify-it's own, which most paragraphs then never reach."""
    if "://" in text or "@" in text:
        return True
    lowered = text.lower()
    return "www." in lowered or "mailto:" in lowered


def linkify_text(state: StateCore) -> None:
    """Turn bare addresses in text into links, outside links, in one pass over each inline.

    markdown-it's own rule splices each link into the list of children, copying the list every
    time, which costs quadratic time in a paragraph of many links.
    """
    linkify = state.md.linkify
    assert linkify is not None
    for block in state.tokens:
        if block.type != "inline" or not block.children or not _may_link(block.content):
            continue
        if not linkify.pretest(block.content):
            continue
        children: list[Token] = []
        in_link = in_html_link = 0
        previous: Token | None = None
        for child in block.children:
            if child.type in {"link_open", "link_close"}:
                in_link += 1 if child.type == "link_open" else -1
            elif child.type == "html_inline":
                in_html_link += isLinkOpen(child.content) - isLinkClose(child.content)
            linked = None
            # The paragraph's own links put "://" in its source, not in its text: each piece
            # of text is asked again before linkify-it reads it.
            if (
                child.type == "text"
                and in_link == 0
                and in_html_link <= 0
                and _may_link(child.content)
            ):
                after_escape = previous is not None and previous.type == "text_special"
                linked = _linked(state, child, after_escape)
            children.extend(linked or [child])
            previous = child
        block.children = children


# Only a frame standing alone is an embed; one among other HTML or text is left to the
# sanitiser, which keeps it only if its address is an allowed player's (without the wrapper).
_EMBED_MARKUP_MAX = 4096
_FRAME_RE = re.compile(
    r"\s*<iframe((?:\s+[A-Za-z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)\s*>"
    r"\s*</iframe>\s*",
    re.IGNORECASE,
)
_FRAME_ATTRIBUTE_RE = re.compile(
    r"([A-Za-z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?"
)
_EMBED_ATTRIBUTES = frozenset({"src", "title", "width", "height", "loading", "allowfullscreen"})


def _is_embed(html: str) -> bool:
    frame = _FRAME_RE.fullmatch(html) if len(html) <= _EMBED_MARKUP_MAX else None
    if frame is None:
        return False
    found = [
        (match[1].lower(), unescape(match[2] or match[3] or match[4] or ""))
        for match in _FRAME_ATTRIBUTE_RE.finditer(frame[1])
    ]
    attributes = dict(found)
    if len(attributes) != len(found) or not attributes.keys() <= _EMBED_ATTRIBUTES:
        return False
    sized = all(attributes.get(name, "0").isdigit() for name in ("width", "height"))
    lazy = attributes.get("loading", "lazy") == "lazy"
    return sized and lazy and is_allowed_embed_source(attributes.get("src", ""))


def _alone_in_paragraph(tokens: list[Token], index: int) -> bool:
    inline = tokens[index + 1] if index + 2 < len(tokens) else None
    return (
        inline is not None
        and tokens[index].type == "paragraph_open"
        and inline.type == "inline"
        and tokens[index + 2].type == "paragraph_close"
        and all(
            child.type in {"html_inline", "softbreak"} or not child.content.strip()
            for child in inline.children or []
        )
        and _is_embed(inline.content)
    )


def mark_embeds(state: StateCore) -> None:
    """Make frames of the allowed players that stand alone into embeds, in one pass."""
    tokens, kept, index = state.tokens, [], 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "html_block" and _is_embed(token.content):
            token.type = "embed"
        elif _alone_in_paragraph(tokens, index):
            token = Token("embed", "div", 0, content=tokens[index + 1].content, block=True)
            index += 2
        kept.append(token)
        index += 1
    state.tokens = kept


def render_embed(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    # The wrapper keeps the player's 16:9 shape at any width (the theme styles .embed); the
    # sanitiser settles the frame's own attributes.
    return f'<div class="embed">{tokens[idx].content.strip()}</div>\n'


def render_deleted(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    # GitHub writes struck-out text as <del>, text that was removed; markdown-it writes <s>.
    return "<del>" if tokens[idx].nesting == 1 else "</del>"
