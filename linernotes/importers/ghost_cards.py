"""The Markdown blocks of one Ghost post body, and Ghost's cards as Markdown.

Lexical and mobiledoc store the same card payloads (image, code, embed, bookmark...), so both
readers in ``ghost_content`` hand their cards to one ``CardWriter``. Rich text arrives as small
HTML fragments, which the shared converter turns into Markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from typing import Any, Protocol
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

from linernotes.importers import embeds
from linernotes.importers.html_markdown import html_to_markdown

# Ghost writes internal addresses with this placeholder; a root-relative address keeps working
# on the new site, where the old paths become redirects.
GHOST_URL = "__GHOST_URL__"


class Anchors(Protocol):
    """The ids headings had on Ghost (``ghost_content.HeadingAnchors``)."""

    def ghost_id(self, text: str, kind: str) -> str: ...

    def anchor_markdown(self, markdown: str, kind: str) -> str: ...


@dataclass
class GhostBody:
    markdown: str
    kept_html: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# A heading or caption is one line: its hard breaks become spaces.
_LINE_BREAK = re.compile(r"(?:\\|[ \t]*)\n[ \t]*")


class BlockWriter:
    """Collects a body's Markdown blocks and what the report should say about them."""

    def __init__(self, anchors: Anchors) -> None:
        self.anchors = anchors
        self.blocks: list[str] = []
        self.kept_html: list[str] = []
        self.notes: list[str] = []
        self.cards = CardWriter(self)
        # Rich text between two cards is converted in one go: one parse instead of one a block.
        self._pending: list[str] = []

    def convert(self, fragment: str) -> str:
        """``fragment``'s Markdown, noting what the converter kept as HTML or approximated."""
        converted = html_to_markdown(fragment.replace(GHOST_URL, ""))
        self.kept_html.extend(converted.kept_html)
        self.notes.extend(converted.notes)
        return converted.markdown

    def flush(self) -> None:
        if self._pending:
            self.blocks.append(self.convert("".join(self._pending)))
            self._pending = []

    def html(self, fragment: str) -> None:
        self._pending.append(fragment)

    def inline(self, fragment: str) -> str:
        """Inline HTML as one line of Markdown (for captions and card texts)."""
        if not fragment.strip():
            return ""
        if "<" not in fragment and "&" not in fragment:
            return _escape(fragment)  # plain text needs no parse
        return _LINE_BREAK.sub(" ", self.convert(f"<p>{fragment}</p>").strip())

    def heading(self, level: int, inner_html: str, text: str) -> None:
        # The converter writes the id out where it differs from the one Liner Notes makes.
        ghost_id = self.anchors.ghost_id(text, "rich")
        attribute = f' id="{escape(ghost_id)}"' if ghost_id else ""
        self._pending.append(f"<h{level}{attribute}>{inner_html}</h{level}>")

    def body(self) -> GhostBody:
        self.flush()
        parts = (block.strip("\n") for block in self.blocks)
        markdown = "\n\n".join(part for part in parts if part.strip())
        return GhostBody(markdown + "\n" if markdown else "", self.kept_html, self.notes)


def _text(payload: dict[str, Any], key: str) -> str:
    value = payload.get(key)
    return value.strip() if isinstance(value, str) else ""


def _mapping(payload: dict[str, Any], key: str) -> dict[str, Any]:
    value = payload.get(key)
    return value if isinstance(value, dict) else {}


def _escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>!|~#&])", r"\\\1", " ".join(text.split()))


def _destination(url: str) -> str:
    url = re.sub(r"[\r\n]", "", url.replace(GHOST_URL, "").strip())
    if re.search(r"[\s()<>]", url):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def _image(src: str, alt: str, title: str = "") -> str:
    quoted = ' "' + " ".join(title.split()).replace('"', '\\"') + '"' if title else ""
    return f"![{_escape(alt)}]({_destination(src)}{quoted})"


def _link(text: str, url: str) -> str:
    return f"[{_escape(text) or _escape(url)}]({_destination(url)})"


def fenced(code: str, language: str = "") -> str:
    """``code`` as a fenced block whose fence no run of backticks inside can close."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    label = language if re.fullmatch(r"[\w+#.-]{1,40}", language) else ""
    return f"{fence}{label}\n{code.strip(chr(10))}\n{fence}"


_TWEET_HOSTS = {"twitter.com", "www.twitter.com", "mobile.twitter.com", "x.com", "www.x.com"}
_IFRAME_SRC = re.compile(r"<iframe\b[^>]*?\bsrc=[\"']([^\"']+)", re.IGNORECASE)
_EMAIL_ONLY_CARDS = {"email", "email-cta"}


class CardWriter:
    """Ghost's cards (the same payloads in lexical and mobiledoc) as Markdown blocks."""

    def __init__(self, writer: BlockWriter) -> None:
        self.writer = writer
        self.blocks = writer.blocks
        self.notes = writer.notes

    def render(self, name: str, payload: dict[str, Any]) -> None:
        self.writer.flush()
        handler = getattr(self, "card_" + name.replace("-", "_"), None)
        if name in _EMAIL_ONLY_CARDS:
            self.notes.append(f"the {name} card appears only in newsletters and was left out")
        elif callable(handler):
            handler(payload)
        else:
            self.notes.append(f"the {name or 'unnamed'} card has no equivalent and was left out")

    def caption(self, payload: dict[str, Any]) -> None:
        caption = self.writer.inline(_text(payload, "caption"))
        if caption:
            self.blocks.append(f"*{caption}*" if "*" not in caption else caption)

    def code(self, code: str, language: str) -> None:
        self.writer.flush()
        self.blocks.append(fenced(code, language))

    def card_image(self, payload: dict[str, Any]) -> None:
        src = _text(payload, "src")
        if not src:
            return
        image = _image(src, _text(payload, "alt"), _text(payload, "title"))
        href = _text(payload, "href")
        self.blocks.append(f"[{image}]({_destination(href)})" if href else image)
        self.caption(payload)

    def card_markdown(self, payload: dict[str, Any]) -> None:
        markdown = payload.get("markdown")
        if not isinstance(markdown, str):
            return
        markdown = markdown.replace(GHOST_URL, "")
        self.blocks.append(self.writer.anchors.anchor_markdown(markdown, "markdown"))

    card_card_markdown = card_markdown

    def card_html(self, payload: dict[str, Any]) -> None:
        self.writer.html(_text(payload, "html"))

    def card_code(self, payload: dict[str, Any]) -> None:
        code = payload.get("code")
        self.code(code if isinstance(code, str) else "", _text(payload, "language"))
        self.caption(payload)

    card_codeblock = card_code

    def card_hr(self, payload: dict[str, Any]) -> None:
        # Not "---": a rule opening a body would read as the start of front matter.
        self.blocks.append("***")

    card_horizontalrule = card_divider = card_hr

    def card_embed(self, payload: dict[str, Any]) -> None:
        url = _text(payload, "url")
        found = _IFRAME_SRC.search(_text(payload, "html"))
        if not url and found:
            url = found.group(1)
        title = _text(_mapping(payload, "metadata"), "title")
        host = (urlsplit(url).hostname or "").lower()
        frame = embeds.video(url, title) if url else None
        if frame:
            self.blocks.append(frame)
        elif host in _TWEET_HOSTS:
            self.blocks.append(embeds.tweet(url))
        elif host == "gist.github.com":
            self.blocks.append(embeds.gist(url))
        elif url:
            self.blocks.append(_link(title or url, url))
            self.notes.append(f"the embedded {host or 'content'} was kept as a link: {url}")
        else:
            self.notes.append("an embed without an address was left out")
        self.caption(payload)

    def card_bookmark(self, payload: dict[str, Any]) -> None:
        url = _text(payload, "url")
        metadata = _mapping(payload, "metadata")
        if url:
            lines = [f"> **{_link(_text(metadata, 'title') or url, url)}**"]
            description = _escape(_text(metadata, "description"))
            self.blocks.append("\n".join(lines + ([f"> {description}"] if description else [])))
        self.caption(payload)

    def card_gallery(self, payload: dict[str, Any]) -> None:
        images = payload.get("images")
        listed = images if isinstance(images, list) else []
        sources = [image for image in listed if isinstance(image, dict) and _text(image, "src")]
        for image in sources:
            self.blocks.append(_image(_text(image, "src"), _text(image, "alt"), ""))
        self.notes.append(f"a gallery of {len(sources)} images became images one after another")
        self.caption(payload)

    def card_callout(self, payload: dict[str, Any]) -> None:
        text = self.writer.inline(_text(payload, "calloutText"))
        emoji = _text(payload, "calloutEmoji")
        self.blocks.append(f"> {emoji} {text}".replace(">  ", "> ", 1))

    def card_toggle(self, payload: dict[str, Any]) -> None:
        # Markdown has no collapsible section; <details> is kept by the sanitiser. The summary
        # sits inside the HTML block, so it stays HTML.
        summary = " ".join(_text(payload, "heading").replace(GHOST_URL, "").split())
        content = self.writer.convert(_text(payload, "content"))
        self.writer.kept_html.append(f"a toggle kept as <details>: {summary}")
        self.blocks.append(
            f"<details>\n<summary>{summary or 'Details'}</summary>\n\n"
            f"{content.strip()}\n\n</details>"
        )

    def _text_and_button(self, kind: str, texts: list[str], payload: dict[str, Any]) -> None:
        for fragment in texts:
            markdown = self.writer.inline(fragment)
            if markdown:
                self.blocks.append(markdown)
        url = _text(payload, "buttonUrl") or _text(payload, "productUrl")
        label = _text(payload, "buttonText") or _text(payload, "productButton")
        if url:
            self.blocks.append(_link(label or url, url))
        self.notes.append(f"the {kind} card was kept as its text and link, without its design")

    def card_button(self, payload: dict[str, Any]) -> None:
        self._text_and_button("button", [], payload)

    def card_header(self, payload: dict[str, Any]) -> None:
        heading = _text(payload, "header") or _text(payload, "heading")
        sub = _text(payload, "subheader") or _text(payload, "subheading")
        self._text_and_button(
            "header", [f"<strong>{heading}</strong>" if heading else "", sub], payload
        )

    def card_product(self, payload: dict[str, Any]) -> None:
        if _text(payload, "productImageSrc"):
            self.blocks.append(
                _image(_text(payload, "productImageSrc"), _text(payload, "productTitle"))
            )
        title = _text(payload, "productTitle")
        texts = [f"<strong>{title}</strong>" if title else "", _text(payload, "productDescription")]
        self._text_and_button("product", texts, payload)

    def card_signup(self, payload: dict[str, Any]) -> None:
        texts = [_text(payload, "header"), _text(payload, "subheader")]
        for fragment in texts:
            markdown = self.writer.inline(fragment)
            if markdown:
                self.blocks.append(markdown)
        self.notes.append("a signup form was left out: readers subscribe with the site's own form")

    def card_paywall(self, payload: dict[str, Any]) -> None:
        self.notes.append("the members-only boundary was removed: the whole post is one body")

    def _file_link(self, kind: str, payload: dict[str, Any]) -> None:
        src = _text(payload, "src")
        title = _text(payload, "title") or _text(payload, "fileTitle") or _text(payload, "fileName")
        if src:
            self.blocks.append(_link(title or src, src))
        self.notes.append(f"the {kind} card was kept as a link to its file: {src}")
        self.caption(payload)

    def card_video(self, payload: dict[str, Any]) -> None:
        self._file_link("video", payload)

    def card_audio(self, payload: dict[str, Any]) -> None:
        self._file_link("audio", payload)

    def card_file(self, payload: dict[str, Any]) -> None:
        self._file_link("file", payload)


_IMAGE_FINDER = MarkdownIt("commonmark")
# A media reference is the address as written, so addresses are not normalised.
_IMAGE_FINDER.normalizeLink = lambda url: url  # type: ignore[method-assign]
_IMAGE_FINDER.validateLink = lambda url: True  # type: ignore[method-assign]
_HTML_IMG_SRC = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']([^\"'>]+)", re.IGNORECASE)


def body_image_sources(markdown: str) -> list[str]:
    """Every image address of a Markdown body (Markdown images and HTML ``<img>``), once."""
    found: list[str] = []
    for token in _IMAGE_FINDER.parse(markdown):
        if token.type == "html_block":
            found.extend(_HTML_IMG_SRC.findall(token.content))
        for child in token.children or []:
            if child.type == "image":
                found.append(str(child.attrs.get("src", "")))
            elif child.type == "html_inline":
                found.extend(_HTML_IMG_SRC.findall(child.content))
    return list(dict.fromkeys(source for source in found if source))
