"""Small text rules shared by every model: trimming, plain text of rendered HTML, excerpts."""

from __future__ import annotations

import re
import unicodedata
from html import unescape

_SPACE_RUN = re.compile(r"\s+")
_ELLIPSIS = "\u2026"


def clean_title(value: str) -> str:
    """Collapse whitespace runs (including no-break and other Unicode spaces) and trim."""
    normalised = "".join(" " if unicodedata.category(ch) == "Zs" else ch for ch in value)
    return _SPACE_RUN.sub(" ", normalised).strip()


def cut_at_word(text: str, length: int) -> str:
    """A plain-text excerpt of at most ``length`` characters, cut at a word boundary.

    Text that already fits is returned whole, without an ellipsis; anything cut ends with one,
    after removing trailing punctuation that would otherwise sit oddly before it.
    """
    flat = _SPACE_RUN.sub(" ", text).strip()
    if len(flat) <= length:
        return flat
    cut = flat[: length + 1]
    boundary = cut.rfind(" ")
    cut = cut[:boundary] if boundary > 0 else flat[:length]
    return cut.rstrip(" ,;:.-\u2013\u2014([{") + _ELLIPSIS


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
# The sanitiser's output is canonical: "<" only ever opens a tag (text and attribute values
# escape it) and every attribute value is double-quoted without a '"' inside. So a tag or a
# run of text is one match here, which reads rendered posts several times faster than
# html.parser, whose generality this input never needs.
_TAG_OR_TEXT_RE = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>"]|"[^"]*")*)>|([^<]+)')
_CLASS_ATTRIBUTE_RE = re.compile(r'\sclass="([^"]*)"')
_PUNCTUATION_RUN_RE = re.compile(r"(?<!\S)[^\s\w]+(?!\S)")


# What an excerpt leaves out: headings, code, tables and footnotes are not prose, and a
# description made of them reads as noise on a card or in a search result.
_NOT_PROSE = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "pre", "table", "section"})
_FOOTNOTE_MARKER = ("sup", "footnote-ref")


class _TextCollector:
    def __init__(self, skip: frozenset[str] = frozenset()) -> None:
        self.lines: list[str] = []
        self._pending: list[str] = []
        self._skipping: list[bool] = []
        self._pre_depth = 0
        self._skip = skip

    def end_line(self) -> None:
        for line in "".join(self._pending).split("\n"):
            if stripped := line.strip():
                self.lines.append(stripped)
        self._pending = []

    def start(self, tag: str, attributes: str) -> None:
        if tag == "br":
            self._pending.append("\n")
        if tag in _BLOCK_TAGS:
            self.end_line()
        if tag in _VOID_TAGS:
            return
        decoration = False
        if tag in _DECORATION_CLASSES and (found := _CLASS_ATTRIBUTE_RE.search(attributes)):
            decoration = bool(set(unescape(found[1]).split()) & _DECORATION_CLASSES[tag])
        skipped = decoration or tag in self._skip
        if self._skip and tag == _FOOTNOTE_MARKER[0]:
            found = _CLASS_ATTRIBUTE_RE.search(attributes)
            skipped = skipped or bool(found and _FOOTNOTE_MARKER[1] in found[1].split())
        self._skipping.append(skipped or (bool(self._skipping) and self._skipping[-1]))
        if tag == "pre":
            self._pre_depth += 1

    def end(self, tag: str) -> None:
        if tag in _VOID_TAGS:
            return
        if self._skipping:
            self._skipping.pop()
        if tag == "pre":
            self._pre_depth -= 1
        if tag in _BLOCK_TAGS:
            self.end_line()
        elif tag in _CELL_TAGS and self._pending and not self._pending[-1].endswith(" "):
            # Keeps adjacent cells from running together when the markup has no whitespace.
            self._pending.append(" ")

    def text(self, data: str) -> None:
        if self._skipping and self._skipping[-1]:
            return
        if self._pre_depth:
            self._pending.append(unescape(data))
            return
        text = _SPACE_RUN.sub(" ", unescape(data))
        if text.startswith(" ") and self._pending and self._pending[-1].endswith(" "):
            text = text[1:]
        self._pending.append(text)


def extract_text(html: str) -> str:
    """Plain text of sanitised HTML, one line per block, without the pipeline's decorations."""
    return "\n".join(_collect(html, _TextCollector(), enough=None))


def prose_excerpt(html: str, length: int) -> str:
    """An excerpt of at most ``length`` characters from the prose of sanitised HTML: its
    paragraphs, lists and quotes, never its headings, code, tables or footnotes."""
    lines = _collect(html, _TextCollector(skip=_NOT_PROSE), enough=length)
    return cut_at_word(" ".join(lines), length)


def _collect(html: str, collector: _TextCollector, *, enough: int | None) -> list[str]:
    """The lines of text in ``html``; with ``enough``, reading stops once more than that many
    characters are in hand, so an excerpt of a long post costs no more than a short one."""
    gathered = counted = 0
    for match in _TAG_OR_TEXT_RE.finditer(html):
        closing, tag, attributes, data = match.groups()
        if data is not None:
            collector.text(data)
        elif closing:
            collector.end(tag.lower())
            if enough is not None and tag.lower() in _BLOCK_TAGS:
                gathered += sum(map(len, collector.lines[counted:]))
                counted = len(collector.lines)
                if gathered > enough:
                    break
        else:
            collector.start(tag.lower(), attributes)
    collector.end_line()
    return collector.lines


def count_words(text: str) -> int:
    """Runs of characters with at least one letter, digit or underscore in them.

    Runs of punctuation such as "->" or "—" are not words: every run, less the runs with no
    word character. Both counts are linear (the second pattern starts only where a run does);
    a pattern such as \\S*\\w\\S* would backtrack over every run that has no word character.
    """
    return len(text.split()) - len(_PUNCTUATION_RUN_RE.findall(text))
