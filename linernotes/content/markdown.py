"""Markdown to sanitised HTML, plain text and a word count, for posts.

This module is deliberately free of Django so it can be used (and tested) on its own. The
parser is built once and shared between threads, so every per-render value travels in
markdown-it's ``env`` mapping rather than on the parser.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Protocol

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, unescapeAll
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from linernotes.content.highlighting import render_code_block
from linernotes.content.markdown_rules import (
    anchor_headings,
    configure_linkify,
    generated_heading_id,
    linkify_scheme,
    linkify_text,
    mark_embeds,
    render_deleted,
    render_embed,
)
from linernotes.content.responsive import ResponsiveImage, wrap_img
from linernotes.content.sanitise import sanitise_html
from linernotes.content.text import count_words, extract_text

ImageSizeResolver = Callable[[str], tuple[int, int] | None]


class BodyImages(Protocol):
    """What a resolver knows about all the images of one body, asked for at once."""

    def size(self, src: str) -> tuple[int, int] | None: ...

    def responsive(self, src: str) -> ResponsiveImage | None: ...


# A resolver may also have ``for_sources(srcs) -> BodyImages``: it is then asked once per
# render, with every image address of the body, instead of once per image.
BatchImageResolver = Callable[[list[str]], BodyImages]


@dataclass(frozen=True)
class RenderedMarkdown:
    """A rendered post body: ``html`` is sanitised and safe to mark safe in templates."""

    html: str
    text: str
    word_count: int


_IMAGE_SIZE_ENV_KEY = "linernotes_image_size"
_BODY_IMAGES_ENV_KEY = "linernotes_body_images"
_PICTURES_ENV_KEY = "linernotes_pictures"
_TASK_MARKER_ENV_KEY = "linernotes_task_marker"
FOOTNOTE_BACKREF_SYMBOL = "\u21a9\ufe0e"


def heading_id(title: str) -> str:
    """The id the pipeline generates for a heading whose text is ``title``.

    ``title`` is the heading's text as readers see it (without its Markdown); the id is the
    one before it is made unique on its page (a "-1" added for a second heading of that text,
    or for one the site's page uses itself). Importers compare a source's own ids with it.
    """
    return generated_heading_id(title)


# GitHub's task-list marker: "[ ]", "[x]" or "[X]" and whitespace, opening a list item.
_TASK_MARKER_RE = re.compile(r"\[([ xX])\][ \t\n\v\f\r]+")
_TASK_CHECKBOXES = {
    True: '<input class="task-list-item-checkbox" checked="checked" type="checkbox"'
    ' disabled="disabled">',
    False: '<input class="task-list-item-checkbox" type="checkbox" disabled="disabled">',
}


def _make_task_lists(state: StateCore) -> None:
    """Turn list items opening with a task marker into labelled checkboxes, in one pass.

    The enclosing list is tracked on a stack rather than searched for backwards, which is
    what makes a list of many thousand tasks cost linear time.
    """
    tokens, open_lists = state.tokens, []
    for index, token in enumerate(tokens):
        if token.type in {"bullet_list_open", "ordered_list_open"}:
            open_lists.append(token)
        elif token.type in {"bullet_list_close", "ordered_list_close"}:
            open_lists.pop()
        elif (
            token.type == "inline"
            and index >= 2
            and tokens[index - 1].type == "paragraph_open"
            and tokens[index - 2].type == "list_item_open"
            and (marker := _TASK_MARKER_RE.match(token.content))
            and token.children
            and token.children[0].type == "text"
            and token.children[0].content.startswith(marker[0][:3])
        ):
            first = token.children[0]
            first.content = first.content[3:]
            checkbox = Token("task_checkbox", "", 0, meta={"checked": marker[1] != " "})
            token.children[:0] = [Token("html_inline", "", 0, content="<label>"), checkbox]
            token.children.append(Token("html_inline", "", 0, content="</label>"))
            tokens[index - 2].attrSet("class", "task-list-item")
            open_lists[-1].attrSet("class", "contains-task-list")


def _align_cells_with_classes(state: StateCore) -> None:
    # A Content-Security-Policy without 'unsafe-inline' blocks style attributes.
    for token in state.tokens:
        style = token.attrGet("style") if token.type in {"th_open", "td_open"} else None
        if isinstance(style, str) and style.startswith("text-align:"):
            del token.attrs["style"]
            token.attrSet("class", f"align-{style.removeprefix('text-align:')}")


# nh3's HTML5 parser takes time that grows with the product of open elements and tags, and
# formatting elements left open are copied into every later block: "<div>" * 50_000 takes
# seconds, a few kilobytes of unclosed "<b title=n>" come out as megabytes. Every raw tag
# starts with "<", so counting them bounds both; raw HTML past the limit is shown as text.
RAW_HTML_TAG_LIMIT = 1000


def _limit_raw_html(state: StateCore) -> None:
    budget = RAW_HTML_TAG_LIMIT
    for block in state.tokens:
        for token in [block, *(block.children or [])]:
            if token.type not in {"html_block", "html_inline"}:
                continue
            budget -= token.content.count("<")
            if budget < 0:
                token.content = escapeHtml(token.content)


# Links, and images in links, are the only inline elements that nest; deeper nesting is read
# as text. markdown-it shares one limit (20) between blocks and inlines, and every "[" in a
# paragraph costs a look-up per level of it, which a body of brackets turns into a minute.
_INLINE_NESTING = 6


def _parse_inlines(state: StateCore) -> None:
    # markdown-it's own "inline" rule, parsing with the lower limit of _INLINE_PARSER.
    for token in state.tokens:
        if token.type == "inline":
            token.children = token.children if token.children is not None else []
            _INLINE_PARSER.inline.parse(token.content, _INLINE_PARSER, state.env, token.children)


def _render_fence(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    return render_code_block(token.content, unescapeAll(token.info).strip())


def _look_up_images(state: StateCore) -> None:
    # One question to the resolver for the whole body (a single query for a body of
    # library images), rather than one per image.
    batch: BatchImageResolver | None = getattr(
        state.env.get(_IMAGE_SIZE_ENV_KEY), "for_sources", None
    )
    if batch is None:
        return
    srcs = [
        src
        for block in state.tokens
        for token in block.children or ()
        if token.type == "image" and isinstance(src := token.attrGet("src"), str)
    ]
    if srcs:
        state.env[_BODY_IMAGES_ENV_KEY] = batch(srcs)


def _render_image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    resolver: ImageSizeResolver | None = env.get(_IMAGE_SIZE_ENV_KEY)
    images: BodyImages | None = env.get(_BODY_IMAGES_ENV_KEY)
    src = token.attrGet("src")
    responsive = None
    if resolver is not None and isinstance(src, str):
        size = images.size(src) if images is not None else resolver(src)
        # Known dimensions let the browser reserve space and avoid layout shift.
        if size is not None and size[0] > 0 and size[1] > 0:
            token.attrSet("width", str(int(size[0])))
            token.attrSet("height", str(int(size[1])))
        responsive = images.responsive(src) if images is not None else None
    token.attrSet("decoding", "async")
    html = self.image(tokens, idx, options, env)
    if responsive is None:
        return html
    # The sanitiser allows no srcset or <picture> from authors; a marker holds the place and
    # render_markdown puts the picture around the sanitised <img> afterwards.
    pictures: list[ResponsiveImage] = env[_PICTURES_ENV_KEY]
    pictures.append(responsive)
    return f"{env[_TASK_MARKER_ENV_KEY]}p{len(pictures) - 1}:{html}"


def _render_task_checkbox(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    # A marker only this render knows; render_markdown puts the checkbox there after
    # sanitising, so no checkbox or other form control can come from the author's HTML.
    return f"{env[_TASK_MARKER_ENV_KEY]}{int(tokens[idx].meta['checked'])}"


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


def _build_parser(*, max_nesting: int) -> MarkdownIt:
    # GitHub's strikethrough: one or two tildes, three or more are text.
    options = {"html": True, "maxNesting": max_nesting, "linkify": True}
    md = MarkdownIt("commonmark", {**options, "strikethrough_single_tilde": True})
    md.enable(["table", "strikethrough", "linkify"])
    configure_linkify(md)
    md.use(front_matter_plugin)
    md.use(footnote_plugin)
    # Rules of our own rather than mdit_py_plugins' anchors and tasklists plugins, whose
    # searches for duplicate slugs and for a task's list take quadratic time.
    md.core.ruler.at("inline", _parse_inlines)
    md.core.ruler.at("linkify", linkify_text)
    md.inline.ruler.at("linkify", linkify_scheme)
    md.core.ruler.after("inline", "task_lists", _make_task_lists)
    md.core.ruler.push("embeds", mark_embeds)
    md.core.ruler.push("raw_html_limit", _limit_raw_html)
    md.core.ruler.push("heading_anchors", anchor_headings)
    md.core.ruler.push("cell_alignment", _align_cells_with_classes)
    md.core.ruler.push("image_lookup", _look_up_images)
    # Front matter is metadata for the site, never part of the post body.
    md.add_render_rule("front_matter", _render_nothing)
    md.add_render_rule("fence", _render_fence)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("task_checkbox", _render_task_checkbox)
    md.add_render_rule("footnote_anchor", _render_footnote_anchor)
    md.add_render_rule("footnote_block_open", _render_footnote_block_open)
    md.add_render_rule("embed", render_embed)
    md.add_render_rule("s_open", render_deleted)
    md.add_render_rule("s_close", render_deleted)
    return md


_INLINE_PARSER = _build_parser(max_nesting=_INLINE_NESTING)
_MARKDOWN = _build_parser(max_nesting=20)


def render_inline_markdown(source: str) -> str:
    """One line of Markdown (links, emphasis, code) as sanitised HTML without a paragraph."""
    return sanitise_html(_INLINE_PARSER.renderInline(source))


def render_markdown(
    source: str, *, image_size: ImageSizeResolver | None = None
) -> RenderedMarkdown:
    """Render a post's Markdown to sanitised HTML plus its plain text and word count.

    Front matter is skipped. Raw HTML is parsed and then reduced to the sanitiser's allow-list.
    """
    marker = secrets.token_hex(16)
    pictures: list[ResponsiveImage] = []
    env: EnvType = {
        _IMAGE_SIZE_ENV_KEY: image_size,
        _TASK_MARKER_ENV_KEY: marker,
        _PICTURES_ENV_KEY: pictures,
    }
    html = sanitise_html(_MARKDOWN.render(source, env))
    if pictures:
        html = _insert_pictures(html, marker, pictures)
    for checked, checkbox in _TASK_CHECKBOXES.items():
        # Only where the marker is text right inside a label: an element that keeps markup as
        # text (such as <xmp>) may have swallowed the list, and shows what was written there.
        html = html.replace(f"<label>{marker}{int(checked)}", f"<label>{checkbox}")
        html = html.replace(f"{marker}{int(checked)}", "[x]" if checked else "[ ]")
    text = extract_text(html)
    return RenderedMarkdown(html=html, text=text, word_count=count_words(text))


# Attributes as nh3 writes them: double-quoted values, in which ">" may appear but '"' not.
_SERIALISED_ATTRIBUTES = r'(?:\s+[a-z-]+(?:="[^"]*")?)*'


def _insert_pictures(html: str, marker: str, pictures: list[ResponsiveImage]) -> str:
    # Only where the marker is right before the <img> it was put beside; anywhere else (an
    # element that keeps markup as text swallowed it) it is simply removed.
    def picture(match: re.Match[str]) -> str:
        return wrap_img(match.group(2), pictures[int(match.group(1))])

    html = re.sub(rf"{marker}p([0-9]+):(<img{_SERIALISED_ATTRIBUTES}>)", picture, html)
    return re.sub(rf"{marker}p[0-9]+:", "", html)
