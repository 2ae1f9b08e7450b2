"""Markdown to sanitised HTML, plain text and a word count, for posts.

This module is deliberately free of Django so it can be used (and tested) on its own. The
parser is built once and shared between threads, so every per-render value travels in
markdown-it's ``env`` mapping rather than on the parser.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.common.utils import unescapeAll
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.anchors.index import slugify
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from linernotes.content.highlighting import render_code_block
from linernotes.content.sanitise import sanitise_html

ImageSizeResolver = Callable[[str], tuple[int, int] | None]


@dataclass(frozen=True)
class RenderedMarkdown:
    """A rendered post body: ``html`` is sanitised and safe to mark safe in templates."""

    html: str
    text: str
    word_count: int


_IMAGE_SIZE_ENV_KEY = "linernotes_image_size"
# h1 is the post title in the site's layout, and deeper levels are too fine to link to.
_ANCHOR_LEVELS = (2, 4)
_ANCHORED_TAGS = frozenset(f"h{level}" for level in range(_ANCHOR_LEVELS[0], _ANCHOR_LEVELS[1] + 1))
PERMALINK_SYMBOL = "#"
FOOTNOTE_BACKREF_SYMBOL = "\u21a9\ufe0e"


def _slugify(title: str) -> str:
    # An empty id is invalid HTML, so headings made only of punctuation still get one.
    return slugify(title) or "section"


def _heading_title(inline: Token) -> str:
    children = inline.children or []
    return "".join(child.content for child in children if child.type in {"text", "code_inline"})


def _permalink_tokens(slug: str, title: str) -> list[Token]:
    link_open = Token("link_open", "a", 1)
    link_open.attrSet("class", "header-anchor")
    link_open.attrSet("href", f"#{slug}")
    # The visible symbol means nothing when read aloud, so the link is named after the section.
    label = f"Permalink to “{title.strip()}”" if title.strip() else "Permalink to this section"
    link_open.attrSet("aria-label", label)
    return [link_open, Token("text", "", 0, content=PERMALINK_SYMBOL), Token("link_close", "a", -1)]


def _add_permalinks(state: StateCore) -> None:
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.tag not in _ANCHORED_TAGS:
            continue
        slug = token.attrGet("id")
        inline = tokens[index + 1]
        if slug and inline.children is not None:
            inline.children.extend(_permalink_tokens(str(slug), _heading_title(inline)))


def _render_fence(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    return render_code_block(token.content, unescapeAll(token.info).strip())


def _render_image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    resolver: ImageSizeResolver | None = env.get(_IMAGE_SIZE_ENV_KEY)
    src = token.attrGet("src")
    if resolver is not None and isinstance(src, str):
        size = resolver(src)
        # Known dimensions let the browser reserve space and avoid layout shift.
        if size is not None and size[0] > 0 and size[1] > 0:
            token.attrSet("width", str(int(size[0])))
            token.attrSet("height", str(int(size[1])))
    token.attrSet("decoding", "async")
    return self.image(tokens, idx, options, env)


def _render_footnote_anchor(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    ident = str(self.rules["footnote_anchor_name"](tokens, idx, options, env))
    number = ident
    if token.meta.get("subId", 0) > 0:
        ident += f":{token.meta['subId']}"
    # The arrow alone is announced as a bare symbol; say where the link goes instead.
    return (
        f' <a href="#fnref{escape(ident)}" class="footnote-backref"'
        f' aria-label="Back to reference {escape(number)}">{FOOTNOTE_BACKREF_SYMBOL}</a>'
    )


def _render_footnote_block_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return (
        '<hr class="footnotes-sep">\n<section class="footnotes" aria-label="Footnotes">\n'
        '<ol class="footnotes-list">\n'
    )


def _render_nothing(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return ""


def _build_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    md.use(footnote_plugin)
    md.use(tasklists_plugin, label=True)
    md.use(
        anchors_plugin, min_level=_ANCHOR_LEVELS[0], max_level=_ANCHOR_LEVELS[1], slug_func=_slugify
    )
    md.core.ruler.after("anchor", "heading_permalink", _add_permalinks)
    # Front matter is metadata for the site, never part of the post body.
    md.add_render_rule("front_matter", _render_nothing)
    md.add_render_rule("fence", _render_fence)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("footnote_anchor", _render_footnote_anchor)
    md.add_render_rule("footnote_block_open", _render_footnote_block_open)
    return md


_MARKDOWN = _build_parser()


# Elements whose boundaries separate lines of the plain-text version.
_BLOCK_TAGS = frozenset(
    {
        *("p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr", "div"),
        *("section", "ul", "ol", "li", "dl", "dt", "dd", "table", "caption", "thead"),
        *("tbody", "tfoot", "tr", "details", "summary", "figure", "figcaption"),
    }
)
_VOID_TAGS = frozenset({"br", "hr", "img", "input", "wbr"})
_CELL_TAGS = frozenset({"td", "th"})
# Decorations added by the pipeline; their symbols and line numbers are not the author's words.
_DECORATION_CLASSES = {"a": {"header-anchor", "footnote-backref"}, "span": {"linenos"}}
_WHITESPACE_RE = re.compile(r"\s+")
_WORD_RE = re.compile(r"\S*\w\S*")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._pending: list[str] = []
        self._skipping: list[bool] = []
        self._pre_depth = 0

    def _end_line(self) -> None:
        for line in "".join(self._pending).split("\n"):
            if stripped := line.strip():
                self.lines.append(stripped)
        self._pending = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._pending.append("\n")
        if tag in _BLOCK_TAGS:
            self._end_line()
        if tag in _VOID_TAGS:
            return
        classes = set((dict(attrs).get("class") or "").split())
        decoration = bool(classes & _DECORATION_CLASSES.get(tag, set()))
        self._skipping.append(decoration or (bool(self._skipping) and self._skipping[-1]))
        if tag == "pre":
            self._pre_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID_TAGS:
            return
        if self._skipping:
            self._skipping.pop()
        if tag == "pre":
            self._pre_depth -= 1
        if tag in _BLOCK_TAGS:
            self._end_line()
        elif tag in _CELL_TAGS and self._pending and not self._pending[-1].endswith(" "):
            # Keeps adjacent cells from running together when the markup has no whitespace.
            self._pending.append(" ")

    def handle_data(self, data: str) -> None:
        if self._skipping and self._skipping[-1]:
            return
        if self._pre_depth:
            self._pending.append(data)
            return
        text = _WHITESPACE_RE.sub(" ", data)
        if text.startswith(" ") and self._pending and self._pending[-1].endswith(" "):
            text = text[1:]
        self._pending.append(text)

    def close(self) -> None:
        super().close()
        self._end_line()


def extract_text(html: str) -> str:
    """Plain text of rendered HTML, one line per block, without pipeline decorations."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return "\n".join(extractor.lines)


def count_words(text: str) -> int:
    # Runs of punctuation such as "->" or "—" are not words.
    return len(_WORD_RE.findall(text))


def render_markdown(
    source: str, *, image_size: ImageSizeResolver | None = None
) -> RenderedMarkdown:
    """Render a post's Markdown to sanitised HTML plus its plain text and word count.

    Front matter is skipped. Raw HTML is parsed and then reduced to the sanitiser's allow-list.
    """
    env: EnvType = {_IMAGE_SIZE_ENV_KEY: image_size}
    html = sanitise_html(_MARKDOWN.render(source, env))
    text = extract_text(html)
    return RenderedMarkdown(html=html, text=text, word_count=count_words(text))
