"""Server-side syntax highlighting for fenced code blocks, and the matching stylesheet.

Highlighting uses CSS classes rather than inline styles so the sanitiser never has to
allow ``style`` attributes on code, and so light and dark themes can share one markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from html import escape

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import find_lexer_class_by_name
from pygments.util import ClassNotFound

CSS_CLASS = "highlight"
# The wrapper of a block in a language Pygments does not know.
PLAIN_CSS_CLASS = "code-block"
LIGHT_STYLE = "default"
DARK_STYLE = "github-dark"

# Authors may write ```python linenos, ```python {linenos} or ```python{linenos}.
_INFO_RE = re.compile(r"(?P<language>[^\s{]*)(?P<options>.*)", re.DOTALL)
_OPTION_SPLIT_RE = re.compile(r"[\s{},]+")
_LINE_NUMBERS_OPTION = "linenos"

# The media query must not override an explicit light choice made by the site's theme
# switcher, which sets data-theme on the root element.
_DARK_SCOPES = (
    ("@media (prefers-color-scheme: dark) {", ':root:not([data-theme="light"]) .highlight', "}"),
    ("", '[data-theme="dark"] .highlight', ""),
)


class _CodeFormatter(HtmlFormatter):
    """Wraps highlighted lines as ``<pre><code class="language-x">`` like unhighlighted code.

    ``wrap`` is Pygments' documented extension point; keeping the ``language-`` class on
    ``<code>`` means highlighted and plain blocks expose the language the same way.
    """

    def __init__(self, language: str, *, line_numbers: bool) -> None:
        super().__init__(cssclass=CSS_CLASS, linenos="inline" if line_numbers else False)
        self.language = language

    def wrap(self, source: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str]]:
        yield 0, f'<pre><code class="language-{escape(self.language)}">'
        yield from source
        yield 0, "</code></pre>"


def parse_info(info: str) -> tuple[str, bool]:
    """Split a fence info string into its language and whether line numbers were asked for."""
    match = _INFO_RE.fullmatch(info.strip())
    if match is None:
        return "", False
    options = set(_OPTION_SPLIT_RE.split(match["options"]))
    return match["language"], _LINE_NUMBERS_OPTION in options


@lru_cache(maxsize=256)
def _lexer_class(language: str) -> type[Lexer] | None:
    # Cached because a miss makes Pygments scan plugin entry points, which is slow.
    try:
        return find_lexer_class_by_name(language)
    except ClassNotFound:
        return None


# Lexers and formatters keep no state between blocks, and making a formatter builds its whole
# style table, so each is made once per language.
@lru_cache(maxsize=256)
def _lexer(lexer_class: type[Lexer]) -> Lexer:
    # stripnl=False keeps leading blank lines, as CommonMark requires for code blocks.
    return lexer_class(stripnl=False)


@lru_cache(maxsize=512)
def _formatter(language: str, line_numbers: bool) -> _CodeFormatter:
    return _CodeFormatter(language, line_numbers=line_numbers)


def prepare_languages(infos: Iterable[str]) -> None:
    """Make the lexers of these fence info strings now: Pygments compiles a lexer's patterns
    on first use, once per process, so processes forked afterwards (a bulk import's) start
    with them compiled instead of each compiling its own."""
    for info in infos:
        language, line_numbers = parse_info(info)
        lexer_class = _lexer_class(language.lower()) if language else None
        if lexer_class is not None:
            _lexer(lexer_class)
            _formatter(language, line_numbers)


def render_code_block(code: str, info: str) -> str:
    """Render fenced code: highlighted when the language is known, escaped verbatim otherwise.

    The language is never guessed from the content; a wrong guess is worse than none. A block
    with a language, known or not, is wrapped in a ``<div>`` whose ``data-language`` is the
    name written after the fence, which the theme shows as the block's label.
    """
    language, line_numbers = parse_info(info)
    lexer_class = _lexer_class(language.lower()) if language else None
    if lexer_class is None:
        if not language:
            return f"<pre><code>{escape(code, quote=False)}</code></pre>\n"
        # Not highlighted, but named like highlighted code, so the theme labels it the same.
        return (
            f'<div class="{PLAIN_CSS_CLASS}" data-language="{escape(language)}">'
            f'<pre><code class="language-{escape(language)}">{escape(code, quote=False)}'
            "</code></pre></div>\n"
        )
    html = highlight(code, _lexer(lexer_class), _formatter(language, line_numbers))
    opening = f'<div class="{CSS_CLASS}">'
    if not html.startswith(opening):
        raise RuntimeError(f"Unexpected Pygments wrapper: {html[:60]!r}")
    labelled = f'<div class="{CSS_CLASS}" data-language="{escape(language)}">'
    return labelled + html.removeprefix(opening)


def _style_rules(style: str, scope: str) -> list[str]:
    formatter = HtmlFormatter(style=style, cssclass=CSS_CLASS)
    # Pygments emits its line-number rules unscoped; scope them so the two styles coexist.
    lines = [
        *(f"{scope} {line}" for line in formatter.get_linenos_style_defs()),
        *formatter.get_background_style_defs(scope),
        *formatter.get_token_style_defs(scope),
    ]
    return [str(line) for line in lines]


def _dark_rules(scope: str) -> list[str]:
    # Tokens the light style decorates but the dark one leaves plain would otherwise keep
    # their light colours; this reset outranks light rules and loses to dark ones.
    reset = (
        f"{scope} span {{ color: inherit; background-color: transparent; font-weight: inherit;"
        " font-style: inherit; text-decoration: inherit; border: none }"
    )
    return [reset, *_style_rules(DARK_STYLE, scope)]


def stylesheet() -> str:
    """CSS for highlighted code: the light style by default, the dark one when asked for."""
    lines = [
        f"/* Code highlighting: Pygments '{LIGHT_STYLE}' (light) and '{DARK_STYLE}' (dark). */",
        "/* Generated by linernotes.content.highlighting.stylesheet(); do not edit. */",
        *_style_rules(LIGHT_STYLE, f".{CSS_CLASS}"),
        f".{CSS_CLASS} span.linenos {{ user-select: none }}",
    ]
    for opening, scope, closing in _DARK_SCOPES:
        rules = _dark_rules(scope)
        if opening:
            lines.extend([opening, *(f"  {rule}" for rule in rules), closing])
        else:
            lines.extend(rules)
    return "\n".join(lines) + "\n"
