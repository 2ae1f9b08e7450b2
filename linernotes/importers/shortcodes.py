"""Liquid tags (Jekyll) and shortcodes (Hugo, Zola) in Markdown bodies, turned into Markdown.

Liner Notes runs no template language in posts, so what the generator would have expanded is
expanded here: code blocks, embeds (through ``importers.embeds``), links to other posts and
site values. Anything else is kept where it was, visibly (as inline code in prose, verbatim in
code), and reported with its line, so nothing silently disappears or runs.

Every pattern is bounded, so a body is scanned in time proportional to its length.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from html import escape
from typing import Any

from linernotes.importers import embeds

# A link target ("2010-07-21-name", "_posts/x.md", "posts/x.md") -> the target's old path.
Resolver = Callable[[str], str | None]

LIQUID = re.compile(r"\{%-?\s*([\s\S]{0,2000}?)\s*-?%\}|\{\{-?\s*([\s\S]{0,2000}?)\s*-?\}\}")
HUGO = re.compile(
    r"\{\{([<%])/\*([\s\S]{0,2000}?)\*/([>%])\}\}|\{\{([<%])\s*([\s\S]{0,2000}?)\s*[>%]\}\}"
)
ZOLA_ARGS = r"((?:\"[^\"\n]*\"|'[^'\n]*'|`[^`\n]*`|[^)\"'`\n]){0,2000})"
ZOLA = re.compile(
    r"\{\{/\*([\s\S]{0,2000}?)\*/\}\}|\{%/\*([\s\S]{0,2000}?)\*/%\}"
    rf"|\{{\{{\s*([A-Za-z_]\w*)\({ZOLA_ARGS}\)\s*\}}\}}"
    rf"|\{{%\s*([A-Za-z_]\w*)\({ZOLA_ARGS}\)\s*%\}}|\{{%\s*end\s*%\}}"
)
ZOLA_LINK = re.compile(r"\]\(@/([^)\s#]{1,500})(#[^)\s]{0,200})?\)")
# key=value or a lone value; values may be "double", 'single' or `raw` quoted.
ARGUMENT = re.compile(
    r"(?:([\w.-]+)\s*=\s*)?(\"(?:[^\"\\]|\\.)*\"|'[^']*'|`[^`]*`|\[[^\]]*\]|[^\s,]+)"
)
FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
BLANK_LINES = re.compile(r"\n(?:[ \t]*\n){2,}")
QUOTED_PATH = re.compile(r"^([\"'])(.*)\1$")
URL_FILTERS = {"relative_url", "absolute_url"}


@dataclass(frozen=True)
class Problem:
    line: int  # in the converted text, counting from 1
    message: str


@dataclass
class Conversion:
    markdown: str
    problems: list[Problem] = field(default_factory=list)


def inline_code(text: str) -> str:
    """``text`` as a CommonMark code span, with a fence longer than any backtick run inside."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def fenced_code(code: str, language: str = "", *, html: bool = False) -> str:
    """A code block; in an HTML body, the ``<pre>`` the body's conversion will read."""
    code = code.strip("\n")
    if html:
        kind = f' class="language-{escape(language)}"' if language else ""
        return f"<pre><code{kind}>{escape(code)}</code></pre>"
    longest = max((len(run) for run in re.findall(r"`{3,}", code)), default=2)
    ticks = "`" * (longest + 1)
    return f"\n\n{ticks}{language}\n{code}\n{ticks}\n\n"


def parse_arguments(text: str) -> tuple[list[str], dict[str, str]]:
    """Positional and named arguments of a tag or shortcode, with their quotes removed."""
    positional: list[str] = []
    named: dict[str, str] = {}
    for found in ARGUMENT.finditer(text):
        value = found.group(2)
        if len(value) > 1 and value[0] in "\"'`" and value[-1] == value[0]:
            value = value[1:-1].replace('\\"', '"')
        if found.group(1):
            named[found.group(1).lower()] = value
        else:
            positional.append(value)
    return positional, named


class _Output:
    """The converted text, the problems found, and where in the source the scan is."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.parts: list[str] = []
        self.problems: list[Problem] = []
        self.line = 1
        self._counted = 0
        self.in_block = False  # inside a code block a tag opened (highlight)
        self._fences = _fenced_ranges(source)
        self._fence = 0

    def at(self, position: int) -> None:
        self.line += self.source.count("\n", self._counted, position)
        self._counted = position
        while self._fence < len(self._fences) and self._fences[self._fence][1] <= position:
            self._fence += 1

    def in_code(self, position: int) -> bool:
        if self.in_block:
            return True
        return self._fence < len(self._fences) and self._fences[self._fence][0] <= position

    def report(self, message: str) -> None:
        self.problems.append(Problem(self.line, message))

    def keep(self, text: str, position: int, what: str = "") -> None:
        """Keep ``text`` visibly where it was, and report it as ``what``, if given."""
        self.parts.append(text if self.in_code(position) else inline_code(text))
        if what:
            self.report(f"{what} kept as text: {_short(text)}")

    def result(self) -> Conversion:
        return Conversion(tidy_blank_lines("".join(self.parts)), self.problems)


def _fenced_ranges(text: str) -> list[tuple[int, int]]:
    """Offsets of fenced code blocks: tags in them are kept as written, not as inline code."""
    ranges: list[tuple[int, int]] = []
    opened: tuple[int, str] | None = None
    offset = 0
    for line in text.split("\n"):
        found = FENCE.match(line)
        if found and opened is None:
            opened = (offset, found.group(1))
        elif found and opened and found.group(1).startswith(opened[1]) and not line.strip("`~ "):
            ranges.append((opened[0], offset + len(line)))
            opened = None
        offset += len(line) + 1
    if opened:
        ranges.append((opened[0], len(text)))
    return ranges


def tidy_blank_lines(text: str) -> str:
    """Runs of blank lines (left around expanded blocks) made one, except inside code."""
    parts: list[str] = []
    position = 0
    for start, end in _fenced_ranges(text):
        parts += [BLANK_LINES.sub("\n\n", text[position:start]), text[start:end]]
        position = end
    parts.append(BLANK_LINES.sub("\n\n", text[position:]))
    return "".join(parts)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 80 else f"{text[:77]}..."


def _tokens(pattern: re.Pattern[str], text: str, out: _Output) -> Iterator[re.Match[str]]:
    """Each match in order, with the text before it already written to ``out``."""
    position = 0
    for found in pattern.finditer(text):
        out.parts.append(text[position : found.start()])
        out.at(found.start())
        yield found
        position = found.end()
    out.parts.append(text[position:])


def _link(target: str, resolve: Resolver, out: _Output, what: str) -> str:
    path = resolve(target)
    if path is None:
        out.report(f"{what} {target!r} matches no post or page; kept as written")
        return target
    return path


def _lookup(values: Mapping[str, Any], dotted: str) -> object:
    value: object = values
    for part in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part, value.get(part.lower()))
    return value


def _embed(name: str, positional: list[str], named: dict[str, str]) -> str | None:
    """The Markdown of a YouTube, Vimeo, gist or tweet embed, or None if it is not one."""
    first = named.get("id") or named.get("url") or (positional[0] if positional else "")
    title = named.get("title", "")
    if name in {"youtube", "youtube.html"}:
        return embeds.youtube(first, title)
    if name in {"vimeo", "vimeo.html", "vimeo_simple"}:
        return embeds.vimeo(first, title)
    if name in {"gist", "gist.html"} and first:
        file = named.get("file") or (positional[1] if len(positional) > 1 else "")
        return embeds.gist(first, file)
    if name in {"tweet", "twitter", "tweet.html"} and first.startswith("http"):
        return embeds.tweet(first)
    return None


def convert_liquid(
    body: str, *, site: Mapping[str, Any], resolve: Resolver, html: bool = False
) -> Conversion:
    """A Jekyll body with its Liquid tags and ``{{ }}`` outputs expanded.

    ``html`` says the body is HTML (a post written as ``.html``), so code blocks stay HTML.
    """
    out = _Output(body)
    main = out.parts
    code: list[str] | None = None
    language = hiding = ""
    hidden_from = 0
    for found in _tokens(LIQUID, body, out):
        tag, expression = found.group(1), found.group(2)
        name = tag.split(maxsplit=1)[0] if tag else ""
        if hiding:
            if name == f"end{hiding}":
                if hiding == "comment":
                    del out.parts[hidden_from:]
                hiding = ""
            elif hiding == "raw":
                out.parts.append(found.group(0))
        elif name in {"raw", "comment"}:
            hiding, hidden_from = name, len(out.parts)
        elif name == "highlight" and code is None:
            language, code = (tag.split()[1:2] or [""])[0], []
            out.parts, out.in_block = code, True
        elif name == "endhighlight" and code is not None:
            out.parts, out.in_block = main, False
            main.append(fenced_code("".join(code), language, html=html))
            code = None
        elif expression is not None:
            out.parts.append(_liquid_output(expression, found, site, out))
        else:
            out.parts.append(_liquid_tag(tag, found, resolve, out))
    if hiding or code is not None:
        out.report(f"{{% {hiding or 'highlight'} %}} is never closed; the rest was kept as it is")
    if code is not None:
        main.append(fenced_code("".join(code), language, html=html))
        out.parts = main
    return out.result()


def _liquid_tag(tag: str, found: re.Match[str], resolve: Resolver, out: _Output) -> str:
    name, _, rest = tag.partition(" ")
    rest = rest.strip()
    if name in {"post_url", "link"} and rest:
        return _link(rest, resolve, out, f"{{% {name} %}}")
    if name == "include":
        include, _, rest = rest.partition(" ")
        name = include
    positional, named = parse_arguments(rest)
    markdown = _embed(name, positional, named)
    if markdown is None:
        out.keep(found.group(0), found.start(), "Liquid tag")
        return ""
    return markdown


def _liquid_output(
    expression: str, found: re.Match[str], site: Mapping[str, Any], out: _Output
) -> str:
    subject, *filters = [part.strip() for part in expression.split("|")]
    quoted = QUOTED_PATH.match(subject)
    value: object = None
    if quoted:
        value = quoted.group(2)
    elif subject in {"site.baseurl", "site.url"}:
        value = site.get(subject.removeprefix("site.")) or ""
    elif subject.startswith("site."):
        value = _lookup(site, subject.removeprefix("site."))
    if value is None or isinstance(value, Mapping | list) or set(filters) - URL_FILTERS:
        out.keep(found.group(0), found.start(), "Liquid output")
        return ""
    text = str(value)
    if filters and not text.startswith(("http://", "https://")):
        # relative_url puts the site's base path in front; absolute_url its address too.
        base = str(site.get("baseurl") or "").strip("/")
        text = "/" + "/".join(part for part in (base, text.lstrip("/")) if part)
        if "absolute_url" in filters:
            text = str(site.get("url") or "").rstrip("/") + text
    return text


def convert_hugo(body: str, *, params: Mapping[str, Any], resolve: Resolver) -> Conversion:
    """A Hugo body with its ``{{< >}}`` and ``{{% %}}`` shortcodes expanded."""
    out = _Output(body)
    main = out.parts
    code: list[str] = []
    language = ""
    for found in _tokens(HUGO, body, out):
        if found.group(2) is not None:  # {{</* x */>}} shows the shortcode itself
            out.parts.append(f"{{{{{found.group(1)}{found.group(2)}{found.group(3)}}}}}")
            continue
        positional, named = parse_arguments(found.group(5))
        name = positional.pop(0).lower() if positional else ""
        if out.parts is code:
            if name == "/highlight":
                out.parts = main
                out.parts.append(fenced_code("".join(code), language))
            else:
                out.parts.append(found.group(0))
        elif name == "highlight":
            language, code = (positional[:1] or [""])[0], []
            out.parts = code
        else:
            out.parts.append(_hugo_shortcode(name, positional, named, found, params, resolve, out))
    if out.parts is code:
        out.report("{{< highlight >}} is never closed; the rest of the text is its code")
        main.append(fenced_code("".join(code), language))
        out.parts = main
    return out.result()


def _hugo_shortcode(
    name: str,
    positional: list[str],
    named: dict[str, str],
    found: re.Match[str],
    params: Mapping[str, Any],
    resolve: Resolver,
    out: _Output,
) -> str:
    if name in {"ref", "relref"}:
        target = named.get("path") or (positional[0] if positional else "")
        return _link(target, resolve, out, f"{{{{< {name} >}}}}")
    if name == "param":
        value = _lookup(params, positional[0]) if positional else None
        if value is not None and not isinstance(value, Mapping | list):
            return str(value)
    elif name == "figure":
        return _figure(named)
    elif name in {"tweet", "x"}:
        status = named.get("id") or (positional[-1] if positional else "")
        user = named.get("user") or (positional[0] if len(positional) > 1 else "i")
        host = "x.com" if name == "x" else "twitter.com"
        if status.isdigit():
            return embeds.tweet(f"https://{host}/{user}/status/{status}")
    elif name == "gist" and len(positional) >= 2:
        return embeds.gist(f"{positional[0]}/{positional[1]}", (positional[2:3] or [""])[0])
    else:
        markdown = _embed(name, positional, named)
        if markdown is not None:
            return markdown
    # The closing tag of a shortcode kept as text shows too; its opening tag was reported.
    out.keep(found.group(0), found.start(), "" if name.startswith("/") else "Shortcode")
    return ""


def _figure(named: dict[str, str]) -> str:
    source = named.get("src", "")
    alt = (named.get("alt") or named.get("caption") or named.get("title") or "").replace("]", "\\]")
    target = f"<{source}>" if " " in source else source
    title = named.get("title", "").replace('"', "'")
    image = f'![{alt}]({target} "{title}")' if title else f"![{alt}]({target})"
    if named.get("link"):
        image = f"[{image}]({named['link']})"
    caption = named.get("caption") or named.get("title") or ""
    return f"\n\n{image}\n\n*{caption.strip()}*\n\n" if caption.strip() else f"\n\n{image}\n\n"


def convert_zola(body: str, *, resolve: Resolver) -> Conversion:
    """A Zola body with its shortcodes expanded and its ``@/`` internal links resolved."""
    out = _Output(body)
    for found in _tokens(ZOLA, body, out):
        if found.group(1) is not None:
            out.parts.append(f"{{{{{found.group(1)}}}}}")
        elif found.group(2) is not None:
            out.parts.append(f"{{%{found.group(2)}%}}")
        elif found.group(3):
            positional, named = parse_arguments(found.group(4))
            markdown = _embed(found.group(3), positional, named)
            if markdown is None:
                out.keep(found.group(0), found.start(), "Shortcode")
            else:
                out.parts.append(markdown)
        elif found.group(5):
            out.keep(found.group(0), found.start(), "Shortcode")
        else:
            out.keep(found.group(0), found.start())
    converted = out.result()
    return Conversion(_zola_links(converted, resolve), converted.problems)


def _zola_links(converted: Conversion, resolve: Resolver) -> str:
    text = converted.markdown
    parts: list[str] = []
    position, line = 0, 1
    for found in ZOLA_LINK.finditer(text):
        line += text.count("\n", position, found.start())
        parts.append(text[position : found.start()])
        path = resolve(found.group(1))
        if path is None:
            converted.problems.append(Problem(line, f"link to @/{found.group(1)} matches no page"))
            parts.append(found.group(0))
        else:
            parts.append(f"]({path}{found.group(2) or ''})")
        position = found.end()
    parts.append(text[position:])
    return "".join(parts)
