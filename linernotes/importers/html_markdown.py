"""HTML bodies (WordPress, Ghost) to Markdown.

markdownify does the walking; the converters below make its output safe for the site's own
Markdown pipeline: text is escaped so it never turns into markup, code keeps its language,
simple tables become pipe tables, and whatever Markdown cannot say is kept as HTML (which the
pipeline sanitises when it renders) and listed in ``Converted.kept_html`` for the report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from markdownify import MarkdownConverter
from mdit_py_plugins.anchors.index import slugify

from linernotes.importers import embeds
from linernotes.importers.html_footnotes import mark_footnotes


@dataclass
class Converted:
    markdown: str
    # One line per fragment kept as (sanitised-on-render) HTML because Markdown cannot say it.
    kept_html: list[str] = field(default_factory=list)
    # Image addresses exactly as they appear in the Markdown, for the media the body needs.
    images: list[str] = field(default_factory=list)
    # Things converted only approximately (an embed that became a link), for the report.
    notes: list[str] = field(default_factory=list)


# Elements whose content is not meant to be read as text, or that the sanitiser would strip.
DROPPED = frozenset(
    {"script", "style", "noscript", "template", "form", "object", "embed", "applet", "link"}
    | {"meta", "input", "button", "select", "textarea", "canvas", "svg", "iframe", "frame"}
)
KEPT_BLOCKS = frozenset({"details", "video", "audio", "dl", "math", "map"})
KEPT_INLINE = frozenset({"sup", "sub", "mark", "abbr", "ruby"})
# What a pipe-table cell cannot hold: anything that needs lines of its own.
TABLE_BREAKERS = frozenset(
    {"table", "ul", "ol", "pre", "blockquote", "hr", "dl", "figure", "div", "details", "caption"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "iframe", "video", "audio", "section"}
)
# markdownify recurses per element; deeper than this is not prose, and would exhaust the stack.
MAX_DEPTH = 80

_ALWAYS_ESCAPED = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_MARKERS = re.compile(r"(^|\s)(#{1,6}|[-+=]+)(?=\s|$)")
_ORDERED_MARKER = re.compile(r"((?:^|\s)\d{1,9})([.)])(?=\s|$)")
_LANGUAGE_CLASS = re.compile(r"(?:^|\s)(?:language|lang)-([\w+#.-]+)")
_BRUSH = re.compile(r"brush:\s*([\w+#.-]+)")
_SAFE_LANGUAGE = re.compile(r"[\w+#.-]{1,40}")
_SAFE_ID = re.compile(r"[A-Za-z0-9_][\w:.-]{0,200}")
_BLANK_LINES = re.compile(r"\n[ \t]*\n+")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_BACKTICK_RUN = re.compile(r"`+")


# markdownify's walking methods, which its type stubs leave out.
_WALK_TAG: Callable[..., str] = MarkdownConverter.__dict__["process_tag"]
_WALK_ELEMENT: Callable[..., str] = MarkdownConverter.__dict__["process_element"]


def _chomp(text: str) -> tuple[str, str, str]:
    # Spaces at the edges of a link's text belong outside the brackets.
    prefix = " " if text.startswith(" ") else ""
    suffix = " " if text.endswith(" ") else ""
    return prefix, suffix, text.strip()


def escape_text(text: str) -> str:
    """``text`` with every character that could start Markdown markup backslash-escaped."""
    text = _ALWAYS_ESCAPED.sub(r"\\\1", text)
    text = _ENTITY_LIKE.sub(r"\\&", text)
    text = _LINE_MARKERS.sub(r"\1\\\2", text)
    return _ORDERED_MARKER.sub(r"\1\\\2", text)


def _destination(url: str) -> str:
    url = url.strip().replace("\n", "").replace("\r", "")
    if re.search(r"[\s()<>]", url):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def _title_part(title: object) -> str:
    if not isinstance(title, str) or not title.strip():
        return ""
    return ' "' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _classes(tag: Tag) -> str:
    value = tag.get("class")
    return " ".join(value) if isinstance(value, list) else str(value or "")


def code_language(pre: Tag) -> str:
    """The language a code block declares in any of the usual spellings, or ""."""
    inner = pre.find("code")
    for element in (pre, inner) if isinstance(inner, Tag) else (pre,):
        declared = element.get("data-language") or element.get("data-lang")
        if isinstance(declared, str) and _SAFE_LANGUAGE.fullmatch(declared.strip()):
            return declared.strip().lower()
        classes = _classes(element)
        found = _LANGUAGE_CLASS.search(classes) or _BRUSH.search(classes)
        if found:
            return found.group(1).lower()
    return ""


def _code_text(pre: Tag) -> str:
    parts: list[str] = []
    for node in pre.descendants:
        if isinstance(node, Tag):
            if node.name == "br":
                parts.append("\n")
        elif not isinstance(node, Comment):
            parts.append(str(node))
    # HTML ignores one newline straight after <pre>.
    return "".join(parts).removeprefix("\n").rstrip()


def fenced_code(code: str, language: str = "") -> str:
    """A fenced code block that no run of backticks inside ``code`` can close early."""
    longest = max((len(run) for run in _BACKTICK_RUN.findall(code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"\n\n{fence}{language}\n{code}\n{fence}\n\n"


def _as_html_block(tag: Tag) -> str:
    # A blank line would end the HTML block early and turn the rest into Markdown.
    return "\n\n" + _BLANK_LINES.sub("\n", str(tag).strip()) + "\n\n"


def _describe(tag: Tag) -> str:
    text = " ".join(tag.get_text(" ").split())
    src = tag.get("src") or tag.get("href") or tag.get("action")
    detail = f" {src}" if isinstance(src, str) and src else ""
    return f"<{tag.name}>{detail}" + (f": {text[:60]}" if text else "")


def _is_simple_table(table: Tag) -> bool:
    if table.find(TABLE_BREAKERS):
        return False
    for cell in table.find_all(["td", "th"]):
        for span in ("colspan", "rowspan"):
            if str(cell.get(span) or "1").strip() not in {"", "1"}:
                return False
        if len(cell.find_all("p")) > 1:
            return False
    return True


class _Converter(MarkdownConverter):
    def __init__(self, result: Converted) -> None:
        super().__init__(heading_style="atx", bullets="-", newline_style="backslash")
        self.result = result
        self.depth = 0
        self.list_numbers: dict[int, int] = {}
        self.table_heads: dict[int, tuple[bool, int]] = {}
        self.heading_ids: dict[str, int] = {}

    def escape(self, text: str, parent_tags: set[str]) -> str:
        return escape_text(text) if text else ""

    def keep(self, tag: Tag, why: str, *, inline: bool = False) -> str:
        self.result.kept_html.append(f"{_describe(tag)} kept as HTML ({why})")
        return str(tag) if inline else _as_html_block(tag)

    def process_tag(self, node: Tag, parent_tags: set[str] | None = None) -> str:
        parent_tags = parent_tags if parent_tags is not None else set()
        if self.depth >= MAX_DEPTH:
            return self.keep(node, "nested too deeply to convert")
        special = self.convert_special(node, parent_tags)
        if special is not None:
            return special
        self.depth += 1
        try:
            return str(_WALK_TAG(self, node, parent_tags))
        finally:
            self.depth -= 1

    def convert_special(self, node: Tag, parent_tags: set[str]) -> str | None:
        """Elements converted from the element itself rather than from their converted text."""
        name = node.name
        if name == "iframe":
            frame = embeds.video(str(node.get("src") or ""), str(node.get("title") or ""))
            if frame is not None:
                return frame
        if name in DROPPED:
            self.result.kept_html.append(f"{_describe(node)} dropped")
            return ""
        if name in KEPT_BLOCKS:
            return self.keep(node, "Markdown has no equivalent")
        if name in KEPT_INLINE:
            return self.keep(node, "Markdown has no equivalent", inline=True)
        if name == "pre":
            return fenced_code(_code_text(node), code_language(node))
        if name == "figure":
            return self.convert_figure(node, parent_tags)
        if name == "table":
            if not _is_simple_table(node):
                return self.keep(node, "merged cells or blocks inside cells")
            self.remember_table_head(node)
        return None

    def remember_table_head(self, table: Tag) -> None:
        rows = table.find_all("tr")
        if not rows:
            return
        width = max(len(row.find_all(["td", "th"], recursive=False)) for row in rows)
        first = rows[0]
        cells = first.find_all(["td", "th"], recursive=False)
        is_head = bool(cells) and (
            all(cell.name == "th" for cell in cells)
            or (isinstance(first.parent, Tag) and first.parent.name == "thead")
        )
        self.table_heads[id(first)] = (is_head, max(width, 1))

    def children_markdown(self, nodes: Iterable[object], parent_tags: set[str]) -> str:
        tags = {*parent_tags, "figure"}
        parts = [
            _WALK_ELEMENT(self, child, tags)
            for child in nodes
            if isinstance(child, Tag) or (isinstance(child, NavigableString) and child.strip())
        ]
        return "".join(part for part in parts if part)

    def convert_figure(self, figure: Tag, parent_tags: set[str]) -> str:
        classes = _classes(figure)
        if "wp-block-embed" in classes and not figure.find("iframe"):
            wrapper = figure.find(class_="wp-block-embed__wrapper") or figure
            url = " ".join(wrapper.get_text(" ").split())
            if url.startswith(("http://", "https://")):
                return self.embed(url)
        caption = figure.find("figcaption")
        body = self.children_markdown(
            (child for child in figure.children if child is not caption), parent_tags
        ).strip()
        if not isinstance(caption, Tag):
            return f"\n\n{body}\n\n"
        text = " ".join(self.children_markdown(caption.children, {"_inline"}).split())
        return f"\n\n{body}\n\n*{text}*\n\n" if text else f"\n\n{body}\n\n"

    def embed(self, url: str) -> str:
        frame = embeds.video(url)
        if frame is not None:
            return frame
        self.result.notes.append(f"embed of {url} became a link")
        return f"\n\n[{escape_text(url)}]({_destination(url)})\n\n"

    def convert_hN(self, n: int, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = " ".join(text.split())
        if "_inline" in parent_tags or not text:
            return text
        if text.endswith("}") and "{" in text:
            cut = text.rindex("{")
            text = text[:cut] + "\\" + text[cut:]
        title = " ".join(el.get_text(" ").split())
        base = slugify(title) or "section"
        seen = self.heading_ids.get(base, 0)
        self.heading_ids[base] = seen + 1
        own_id = base if not seen else f"{base}-{seen}"
        explicit = str(el.get("id") or "").strip()
        if explicit and explicit != own_id and _SAFE_ID.fullmatch(explicit):
            text += f" {{#{explicit}}}"
        return f"\n\n{'#' * max(1, min(6, n))} {text}\n\n"

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_noformat" in parent_tags:
            return text
        prefix, suffix, text = _chomp(text)
        href = str(el.get("href") or "").strip()
        if not text or not href:
            return f"{prefix}{text}{suffix}"
        return f"{prefix}[{text}]({_destination(href)}{_title_part(el.get('title'))}){suffix}"

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        src = str(el.get("src") or "").strip()
        if not src:
            return ""
        alt = str(el.get("alt") or "").replace("\\", "\\\\")
        alt = " ".join(alt.replace("[", "\\[").replace("]", "\\]").split())
        if not src.startswith("data:"):
            self.result.images.append(src)
        return f"![{alt}]({_destination(src)}{_title_part(el.get('title'))})"

    def convert_li(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        parent = el.parent
        if isinstance(parent, Tag) and parent.name == "ol":
            start = str(parent.get("start") or "1").strip()
            number = self.list_numbers.get(id(parent), int(start) if start.isdigit() else 1)
            self.list_numbers[id(parent)] = number + 1
            bullet = f"{number}. "
        else:
            bullet = "- "
        text = (text or "").strip()
        if not text:
            return "\n"
        indent = " " * len(bullet)
        lines = text.split("\n")
        rest = [indent + line if line else "" for line in lines[1:]]
        return "\n".join([bullet + lines[0], *rest]) + "\n"

    def convert_td(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return " " + " ".join(text.split()) + " |"

    convert_th = convert_td

    def convert_tr(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        row = "|" + text + "\n"
        head = self.table_heads.get(id(el))
        if head is None:
            return row
        is_head, width = head
        missing = width - len(el.find_all(["td", "th"], recursive=False))
        rule = "|" + " --- |" * width + "\n"
        if is_head:
            return "|" + text + "  |" * missing + "\n" + rule
        return "|" + "  |" * width + "\n" + rule + row

    def convert_table(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return "\n\n" + text.strip() + "\n\n"

    def convert_strike(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        prefix, suffix, text = _chomp(text)
        return f"{prefix}~~{text}~~{suffix}" if text else ""

    def convert_br(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return " " if "_inline" in parent_tags else "\\\n"

    def convert_footnote_ref(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return f"[^{el.get('data-label')}]"

    def convert_footnote_def(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        lines = text.strip().split("\n")
        rest = ["    " + line if line else "" for line in lines[1:]]
        return "\n\n" + "\n".join([f"[^{el.get('data-label')}]: {lines[0]}", *rest]) + "\n\n"

    def convert_footnote_list(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return "\n\n" + text + "\n\n"


def _ends_with_hard_break(line: str) -> bool:
    stripped = line.rstrip()
    return (len(stripped) - len(stripped.rstrip("\\"))) % 2 == 1


def normalise(markdown: str) -> str:
    """No trailing spaces, at most one blank line between blocks, one final newline."""
    lines = [line.rstrip() for line in markdown.split("\n")]
    out: list[str] = []
    fence = ""
    for index, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
            out.append(line)
            continue
        if opening:
            fence = opening.group(1)
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        # A line break before a blank line (or alone on a line) would show as a backslash.
        if not fence and _ends_with_hard_break(line) and (not following or line.strip() == "\\"):
            line = line.rstrip()[:-1].rstrip()
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    text = "\n".join(out).strip("\n")
    return text + "\n" if text else ""


def html_to_markdown(html: str) -> Converted:
    """Markdown for an HTML fragment, plus what could not be converted and which images it uses."""
    result = Converted(markdown="")
    if not html.strip():
        return result
    soup = BeautifulSoup(html, "lxml")
    mark_footnotes(soup)
    result.markdown = normalise(_Converter(result).process_tag(soup, set()))
    return result


def plain_text(source: str) -> str:
    """One line of plain text from Markdown or HTML, for summaries: read with the site's own
    renderer and text extraction, so it says what readers would see."""
    from linernotes.content.markdown import render_markdown

    return " ".join(render_markdown(source).text.split()) if source.strip() else ""
