"""WordPress post content (classic editor, Gutenberg blocks, shortcodes) to Markdown.

WordPress stores what the author typed, not what readers saw: classic posts have no <p> tags
(``wpautop`` adds them when the page is shown), blocks are marked with HTML comments, and
shortcodes are expanded by plugins at display time. This module does those steps itself, so
the shared HTML converter sees the HTML a reader saw.
"""

from __future__ import annotations

import bisect
import html
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from linernotes.importers import embeds
from linernotes.importers.html_markdown import html_to_markdown, normalise, plain_text

# SyntaxHighlighter's shortcodes: [code], [sourcecode] and one per language ([python]...).
CODE_SHORTCODES = frozenset(
    {"code", "sourcecode", "source", "python", "php", "js", "javascript", "bash", "shell"}
    | {"css", "html", "xml", "java", "ruby", "sql", "cpp", "c", "csharp", "go", "perl"}
    | {"plain", "text", "yaml", "json", "diff", "powershell", "scala", "swift", "kotlin"}
    | {"typescript", "rust", "haskell", "lua", "r", "objc", "vb", "delphi", "erlang"}
)
EMBED_SHORTCODES = frozenset({"youtube", "vimeo", "embed", "gist", "tweet"})
FIGURE_SHORTCODES = frozenset({"caption", "wp_caption", "gallery"})
BLOCK_TAGS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map"
    "|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside"
    "|hgroup|header|footer|nav|figure|figcaption|details|menu|summary"
)
_BLOCK_OPEN = re.compile(rf"(<(?:{BLOCK_TAGS})[\s/>])", re.IGNORECASE)
_BLOCK_CLOSE = re.compile(rf"(</(?:{BLOCK_TAGS})>)", re.IGNORECASE)
_P_AROUND_BLOCK = re.compile(
    rf"<p>\s*(</?(?:{BLOCK_TAGS})[^>]*>)|(</?(?:{BLOCK_TAGS})[^>]*>)\s*</p>"
)
_BR_AFTER_BLOCK = re.compile(rf"(</?(?:{BLOCK_TAGS})[^>]*>)\s*<br />")
_BR_BEFORE_CLOSE = re.compile(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)")
_TAG = re.compile(r"<[^<>]*>")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SHORTCODE = re.compile(r"\[(/?)([A-Za-z][\w-]*)((?:[\s=][^\[\]]*)?)\]")
_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))|"([^"]*)"|(\S+)""")
_CAPTIONED_IMAGE = re.compile(r"^\s*((?:<a\s[^>]*>\s*)?<img\s[^>]*>(?:\s*</a>)?)(.*)$", re.DOTALL)
_PRE_OPEN = re.compile(r"<pre\b", re.IGNORECASE)
_MORE = re.compile(r"<!--more(?:\s[^>]*)?-->")
_BLOCK_DELIMITER = re.compile(
    r"(/)?wp:([a-z][\w-]*(?:/[a-z][\w-]*)?)(?:\s+(\{.*\}))?\s*(/)?", re.DOTALL
)
_PLACEHOLDER = re.compile(r"wpsnippet\w+?x\d+x")


@dataclass
class WordPressBody:
    markdown: str
    summary: str = ""  # the text before <!--more-->, as plain text
    images: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class _Pass:
    """What one body's conversion collects on its way: Markdown snippets and notes."""

    notes: list[str] = field(default_factory=list)
    snippets: dict[str, str] = field(default_factory=dict)
    nonce: str = field(default_factory=lambda: secrets.token_hex(6))

    def placeholder(self, markdown: str) -> str:
        # Letters and digits only, so the converter passes it through untouched.
        key = f"wpsnippet{self.nonce}x{len(self.snippets)}x"
        self.snippets[key] = markdown
        return f"\n\n<p>{key}</p>\n\n"


def attributes(text: str) -> dict[str, str]:
    """A shortcode's attributes; positional values are numbered "0", "1"..."""
    found: dict[str, str] = {}
    position = 0
    for match in _ATTRIBUTE.finditer(text.strip().removeprefix("=")):
        name, double, single, bare, quoted, word = match.groups()
        if name:
            found[name.lower()] = next(v for v in (double, single, bare) if v is not None)
        else:
            found[str(position)] = quoted if quoted is not None else word
            position += 1
    return found


def _code_block(code: str, language: str) -> str:
    # The visual editor stores code entity-encoded; the text editor stores it as typed.
    if "<" not in code and re.search(r"&(?:lt|gt|amp|quot|#\d+);", code):
        code = html.unescape(code)
    safe = re.sub(r"[^\w+#.-]", "", language.lower())
    return f'\n\n<pre data-language="{safe}">{html.escape(code.strip(chr(10)))}</pre>\n\n'


def _embed(url: str, name: str, state: _Pass) -> str:
    url = url.strip()
    if name == "gist":
        return state.placeholder(embeds.gist(url))
    if name == "tweet" or re.match(r"https?://(?:www\.)?(?:twitter|x)\.com/", url):
        tweet_url = url if "/" in url else f"https://twitter.com/i/status/{url}"
        return state.placeholder(embeds.tweet(tweet_url))
    frame = embeds.video(url)
    if frame is not None:
        return state.placeholder(frame)
    if not url.startswith(("http://", "https://")):
        state.notes.append(f"[{name}] embed without an address left out")
        return ""
    state.notes.append(f"embed of {url} became a link")
    return f'\n\n<p><a href="{html.escape(url)}">{html.escape(url)}</a></p>\n\n'


def _figure(name: str, attrs: dict[str, str], content: str, gallery: Callable[[str], str]) -> str:
    if name == "gallery":
        return gallery(attrs.get("ids", ""))
    match = _CAPTIONED_IMAGE.match(content)
    if match is None:
        return content
    caption = attrs.get("caption") or match.group(2).strip()
    return f"\n\n<figure>{match.group(1)}<figcaption>{caption}</figcaption></figure>\n\n"


def expand_shortcodes(text: str, state: _Pass, gallery: Callable[[str], str]) -> str:
    """Known shortcodes replaced by their HTML; unknown ones left as written and noted."""
    tags = list(_SHORTCODE.finditer(text))
    closers: dict[str, list[int]] = {}
    for index, tag in enumerate(tags):
        if tag.group(1):
            closers.setdefault(tag.group(2).lower(), []).append(index)
    out: list[str] = []
    position = 0
    index = 0
    unknown: set[str] = set()
    while index < len(tags):
        tag = tags[index]
        index += 1
        name = tag.group(2).lower()
        if tag.group(1) or tag.start() < position:
            continue
        if (
            tag.start() > 0
            and text[tag.start() - 1] == "["
            and text[tag.end() : tag.end() + 1] == "]"
        ):
            out.append(text[position : tag.start() - 1] + tag.group(0))  # [[x]] shows [x]
            position = tag.end() + 1
            continue
        known = name in CODE_SHORTCODES | EMBED_SHORTCODES | FIGURE_SHORTCODES
        if not known:
            unknown.add(name)
            continue
        attrs = attributes(tag.group(3).rstrip("/"))
        content, end = "", tag.end()
        later = closers.get(name, [])
        following = bisect.bisect_right(later, index - 1)
        if not tag.group(3).endswith("/") and following < len(later):
            closer = tags[later[following]]
            content, end = text[tag.end() : closer.start()], closer.end()
            index = later[following] + 1
        out.append(text[position : tag.start()])
        if name in CODE_SHORTCODES:
            language = attrs.get("lang") or attrs.get("language") or attrs.get("brush") or ""
            language = language or ("" if name in {"code", "sourcecode", "source"} else name)
            out.append(_code_block(content, language))
        elif name in EMBED_SHORTCODES:
            url = attrs.get("url") or attrs.get("id") or attrs.get("0") or content
            out.append(_embed(url.split("&")[0] if name == "youtube" else url, name, state))
        else:
            out.append(_figure(name, attrs, content, gallery))
        position = end
    out.append(text[position:])
    state.notes.extend(f"unknown shortcode [{name}] kept as text" for name in sorted(unknown))
    return "".join(out)


def _protect_pre(text: str, state: _Pass) -> tuple[str, dict[str, str]]:
    # <pre> keeps its newlines: cut them out before adding paragraphs, put them back after.
    kept: dict[str, str] = {}
    out: list[str] = []
    position = 0
    for match in _PRE_OPEN.finditer(text):
        if match.start() < position:
            continue
        close = text.lower().find("</pre>", match.start())
        end = len(text) if close < 0 else close + len("</pre>")
        key = f"<pre-kept-{state.nonce}-{len(kept)}>"
        kept[key] = text[match.start() : end]
        out.append(text[position : match.start()] + key)
        position = end
        if close < 0:
            break
    out.append(text[position:])
    return "".join(out), kept


def automatic_paragraphs(text: str, state: _Pass) -> str:
    """WordPress's ``wpautop``: blank lines make paragraphs, single newlines make <br>."""
    text, kept = _protect_pre(text.replace("\r\n", "\n").replace("\r", "\n"), state)
    text = _TAG.sub(lambda tag: tag.group(0).replace("\n", " "), text)
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    chunks = [chunk.strip() for chunk in _PARAGRAPH_BREAK.split(text)]
    text = "".join(f"<p>{chunk}</p>\n" for chunk in chunks if chunk)
    text = _P_AROUND_BLOCK.sub(lambda match: match.group(1) or match.group(2), text)
    text = re.sub(r"<p>(<pre-kept-[^>]+>)</p>", r"\1", text)
    text = re.sub(r"(?<!<br />)\s*\n(?!$)", "<br />\n", text)
    text = _BR_AFTER_BLOCK.sub(r"\1", text)
    text = _BR_BEFORE_CLOSE.sub(r"\1", text)
    for key, pre in kept.items():
        text = text.replace(key, pre)
    return text


def _block_attributes(text: str | None) -> dict[str, object]:
    try:
        found = json.loads(text) if text else {}
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _footnotes_list(footnotes: str) -> str:
    # The footnotes block is dynamic: its notes live in the post's "footnotes" meta as JSON.
    try:
        notes = json.loads(footnotes) if footnotes else []
    except ValueError:
        notes = []
    items = [
        f'<li id="{html.escape(str(note.get("id")))}">{note.get("content", "")} '
        f'<a href="#{html.escape(str(note.get("id")))}-link">↩︎</a></li>'
        for note in notes
        if isinstance(note, dict) and note.get("id")
    ]
    return f'\n\n<ol class="wp-block-footnotes">{"".join(items)}</ol>\n\n' if items else ""


def _special_block(name: str, attrs: dict[str, object], inner: str, state: _Pass) -> str:
    language = attrs.get("language") or attrs.get("lang")
    if (
        isinstance(language, str)
        and language
        and (name in {"code", "preformatted"} or "code" in name)
    ):
        safe = re.sub(r"[^\w+#.-]", "", language.lower())
        return _PRE_OPEN.sub(f'<pre data-language="{safe}"', inner, count=1)
    url = attrs.get("url")
    if (name == "embed" or name.startswith("core-embed/")) and isinstance(url, str):
        return _embed(url, "embed", state)
    if name == "gallery":
        state.notes.append("gallery block kept as separate images")
    return inner


def render_blocks(content: str, *, footnotes: str, state: _Pass) -> str:
    """Block markup without its comments, with the blocks that need it rewritten as HTML."""
    out: list[str] = []
    stack: list[tuple[str, dict[str, object], int]] = []
    position = 0
    while (start := content.find("<!--", position)) >= 0:
        end = content.find("-->", start + 4)
        if end < 0:
            break
        match = _BLOCK_DELIMITER.fullmatch(content[start + 4 : end].strip())
        out.append(content[position : start if match else end + 3])
        position = end + 3
        if match is None:
            continue
        closing, name, attrs_text, void = match.groups()
        if void:
            if name == "footnotes":
                out.append(_footnotes_list(footnotes))
            elif name not in {"more", "nextpage", "spacer", "separator"}:
                state.notes.append(f"dynamic block wp:{name} left out")
        elif not closing:
            stack.append((name, _block_attributes(attrs_text), len(out)))
        else:
            while stack and stack[-1][0] != name:
                stack.pop()
            if stack:
                _, attrs, at = stack.pop()
                if name in {"code", "preformatted", "embed", "gallery"} or "/" in name:
                    inner = "".join(out[at:])
                    del out[at:]
                    out.append(_special_block(name, attrs, inner, state))
    out.append(content[position:])
    return "".join(out)


def _plain_summary(html_text: str) -> str:
    return plain_text(_PLACEHOLDER.sub("", html_text))


def convert_body(
    content: str,
    *,
    footnotes: str = "",
    gallery: Callable[[str], str] = lambda ids: "",
) -> WordPressBody:
    """Markdown for a post's ``content:encoded``; ``footnotes`` is its "footnotes" postmeta."""
    state = _Pass()
    is_blocks = "<!-- wp:" in content
    if is_blocks:
        content = render_blocks(content, footnotes=footnotes, state=state)
    content = expand_shortcodes(content, state, gallery)
    if not is_blocks:
        content = automatic_paragraphs(content, state)
    more = _MORE.search(content)
    summary = _plain_summary(content[: more.start()]) if more else ""
    content = _MORE.sub("", content)
    converted = html_to_markdown(content)
    markdown = converted.markdown
    for key, snippet in state.snippets.items():
        markdown = markdown.replace(key, snippet)
    notes = list(dict.fromkeys([*state.notes, *converted.notes, *converted.kept_html]))
    return WordPressBody(normalise(markdown), summary, converted.images, notes)
