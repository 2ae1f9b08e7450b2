"""The HTML allow-list applied to every rendered post.

Authors may write raw HTML in Markdown, so the sanitiser, not the Markdown parser, is the
security boundary: anything not listed here is removed after rendering.
"""

from __future__ import annotations

import re

import nh3
from pygments.token import STANDARD_TYPES

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")

ALLOWED_TAGS = frozenset(
    {
        *_HEADINGS,
        *("p", "blockquote", "pre", "hr", "br", "div", "section"),
        *("ul", "ol", "li", "dl", "dt", "dd", "input", "label"),
        *("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"),
        *("details", "summary", "figure", "figcaption"),
        *("a", "img", "code", "kbd", "samp", "var", "span"),
        *("em", "strong", "b", "i", "u", "del", "s", "ins", "mark", "small"),
        *("sub", "sup", "abbr", "cite", "dfn", "q"),
    }
)

# These are dropped together with their content: their text is code or markup, never prose.
REMOVED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "noscript", "template", "textarea", "svg", "math"}
)

ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    **{heading: {"id"} for heading in _HEADINGS},
    "a": {"href", "title", "id", "class", "aria-label"},
    "img": {"src", "alt", "title", "width", "height", "decoding"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "td": {"style", "colspan", "rowspan"},
    "ol": {"start", "class"},
    "ul": {"class"},
    "li": {"id", "class"},
    "input": {"checked", "class", "type"},
    "code": {"class"},
    "span": {"class"},
    "div": {"class", "data-language"},
    "sup": {"class"},
    "section": {"class", "aria-label"},
    "hr": {"class"},
    "abbr": {"title"},
    "dfn": {"title"},
    "details": {"open"},
}

# Forced values: images load lazily, and inputs are display-only whatever the author wrote.
# One per tag, because nh3 adds forced attributes in a per-process random order, and stored
# HTML must not change between two renders of the same source. Attributes that may only take
# one value but need not be present are pinned in _filter_attribute instead.
FORCED_ATTRIBUTES = {"img": {"loading": "lazy"}, "input": {"disabled": "disabled"}}
_PINNED_VALUES = {("img", "decoding"): "async", ("input", "type"): "checkbox"}

# "data" is only here so raster images can be inlined; _filter_attribute rejects it elsewhere.
URL_SCHEMES = frozenset({"http", "https", "mailto", "data"})

_FIXED_CLASSES: dict[str, frozenset[str]] = {
    "a": frozenset({"header-anchor", "footnote-backref"}),
    "li": frozenset({"task-list-item", "footnote-item"}),
    "ul": frozenset({"contains-task-list"}),
    "ol": frozenset({"contains-task-list", "footnotes-list"}),
    "input": frozenset({"task-list-item-checkbox"}),
    "sup": frozenset({"footnote-ref"}),
    "section": frozenset({"footnotes"}),
    "hr": frozenset({"footnotes-sep"}),
    "div": frozenset({"highlight"}),
}
_PYGMENTS_CLASSES = frozenset({name for name in STANDARD_TYPES.values() if name}) | {
    "linenos",
    "special",
    "hll",
}
# Pygments names token subtypes it has no short name for as a short name plus a suffix.
_PYGMENTS_DERIVED_RE = re.compile(r"(?P<base>[a-z][a-z0-9]{0,3})[A-Z][A-Za-z0-9]*")
_LANGUAGE_CLASS_RE = re.compile(r"language-\S+")
_NUMBER_RE = re.compile(r"[0-9]{1,9}")
_LANGUAGE_RE = re.compile(r"[\w+#.-]{1,64}")
_TEXT_ALIGN_RE = re.compile(r"\s*text-align\s*:\s*(left|right|center)\s*;?\s*", re.IGNORECASE)
_NUMERIC_ATTRIBUTES = frozenset({"width", "height", "colspan", "rowspan", "start"})

# Browsers ignore these when reading a URL, so they must not hide a scheme from us.
_URL_IGNORED_RE = re.compile(r"[\t\n\r]")
_URL_TRIMMED = "".join(chr(code) for code in range(0x21))
_SCHEME_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_RASTER_DATA_RE = re.compile(r"data:image/(png|jpeg|gif|webp|avif)[;,]", re.IGNORECASE)


def _normalise_url(url: str) -> str:
    return _URL_IGNORED_RE.sub("", url).strip(_URL_TRIMMED)


def url_scheme(url: str) -> str | None:
    """The lower-cased scheme of ``url`` as a browser would read it, or None if relative."""
    match = _SCHEME_RE.match(_normalise_url(url))
    return match[1].lower() if match else None


def is_allowed_image_source(url: str) -> bool:
    if url_scheme(url) != "data":
        return True
    # SVG can carry script, so only raster formats may be inlined.
    return _RASTER_DATA_RE.match(_normalise_url(url)) is not None


def _is_allowed_class(tag: str, name: str) -> bool:
    if tag == "code":
        return _LANGUAGE_CLASS_RE.fullmatch(name) is not None
    if tag == "span":
        if name in _PYGMENTS_CLASSES:
            return True
        derived = _PYGMENTS_DERIVED_RE.fullmatch(name)
        return derived is not None and derived["base"] in _PYGMENTS_CLASSES
    return name in _FIXED_CLASSES.get(tag, frozenset())


def _filter_classes(tag: str, value: str) -> str | None:
    # Arbitrary classes would let posts borrow the site's own styling, e.g. to hide text.
    kept = [name for name in value.split() if _is_allowed_class(tag, name)]
    return " ".join(kept) or None


def _filter_style(value: str) -> str | None:
    # Only the table-cell alignment markdown-it emits; any other CSS can restyle the page.
    match = _TEXT_ALIGN_RE.fullmatch(value)
    return f"text-align:{match[1].lower()}" if match else None


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if (tag, attribute) in _PINNED_VALUES:
        return _PINNED_VALUES[tag, attribute]
    if attribute == "class":
        return _filter_classes(tag, value)
    if attribute == "style":
        return _filter_style(value)
    if attribute == "href":
        return None if url_scheme(value) == "data" else value
    if attribute == "src":
        return value if is_allowed_image_source(value) else None
    if attribute == "data-language":
        return value if _LANGUAGE_RE.fullmatch(value) else None
    if attribute in _NUMERIC_ATTRIBUTES:
        return value.strip() if _NUMBER_RE.fullmatch(value.strip()) else None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(REMOVED_WITH_CONTENT),
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    strip_comments=True,
    # No target attribute is allowed, so links cannot open new windows and need no rel.
    link_rel=None,
    set_tag_attribute_values=FORCED_ATTRIBUTES,
    url_schemes=set(URL_SCHEMES),
)


def sanitise_html(html: str) -> str:
    """Reduce rendered HTML to the allow-list above."""
    return _CLEANER.clean(html)
