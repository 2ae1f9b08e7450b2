"""The HTML allow-list applied to every rendered post, and the ids a post may not take.

Authors may write raw HTML in Markdown, so the sanitiser, not the Markdown parser, is the
security boundary: anything not listed here is removed after rendering. Form controls are
never listed: the task-list checkboxes are added by the renderer after sanitising.
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
        *("ul", "ol", "li", "dl", "dt", "dd", "label"),
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
    "th": {"class", "colspan", "rowspan", "scope"},
    "td": {"class", "colspan", "rowspan"},
    "ol": {"start", "class"},
    "ul": {"class"},
    "li": {"id", "class"},
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

# Forced values: images load lazily. One per tag, because nh3 adds forced attributes in a
# per-process random order, and stored HTML must not change between two renders of the same
# source. Attributes that may only take one value but need not be present are pinned in
# _filter_attribute instead.
FORCED_ATTRIBUTES = {"img": {"loading": "lazy"}}
_PINNED_VALUES = {("img", "decoding"): "async"}

# "data" is only here so raster images can be inlined; _filter_attribute rejects it elsewhere.
URL_SCHEMES = frozenset({"http", "https", "mailto", "data"})

# Table-cell alignment travels as a class: a Content-Security-Policy without 'unsafe-inline'
# blocks style attributes, and the theme's stylesheet styles these instead.
ALIGNMENT_CLASSES = frozenset({"align-left", "align-center", "align-right"})

_FIXED_CLASSES: dict[str, frozenset[str]] = {
    "a": frozenset({"header-anchor", "footnote-backref"}),
    "li": frozenset({"task-list-item", "footnote-item"}),
    "ul": frozenset({"contains-task-list"}),
    "ol": frozenset({"contains-task-list", "footnotes-list"}),
    "th": ALIGNMENT_CLASSES,
    "td": ALIGNMENT_CLASSES,
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
_NUMERIC_ATTRIBUTES = frozenset({"width", "height", "colspan", "rowspan", "start"})

# Ids the site's own templates give elements of its pages; tests/site/test_body_ids.py renders
# every page type and fails when one is missing here. A post's generated heading ids and the
# ids of its raw HTML never take one, so skip links, labels, scripts and fragment links keep
# reaching the site's element rather than the post's.
RESERVED_IDS = frozenset(
    {
        *("main", "site-search-input", "newsletter-signup-heading", "newsletter-heading"),
        *("intro-heading", "featured-title", "latest-heading", "cards", "other-categories"),
        *("post-title", "related-heading", "page-title", "error-heading", "topics"),
        *("search-heading", "search-input", "search-help", "search-category", "search-author"),
        *("search-year", "search-status", "search-results", "search-empty"),
        *("search-empty-heading", "suggested-posts", "suggested-categories"),
        *("newsletter-page-topics-help", "newsletter-preferences-topics-help"),
        *(
            f"newsletter-{placement}-{field}"
            for placement in ("footer", "page")
            for field in ("email", "email-error", "consent", "website")
        ),
    }
)
# Ids the templates number: cards and search results by post, and Django's form field ids.
RESERVED_ID_PATTERN = re.compile(r"(?:card|result)-[0-9]+|id_\w+")


def is_reserved_id(value: str) -> bool:
    """Whether the site itself may use ``value`` as an element id on one of its pages."""
    return value in RESERVED_IDS or RESERVED_ID_PATTERN.fullmatch(value) is not None


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


# What a link taken from a URL field (an author's website, a link post's article) may lead to.
WEB_SCHEMES = frozenset({"http", "https"})


def safe_href(url: str) -> str:
    """``url`` as a browser reads it if it leads to a web page (http or https), otherwise "".

    URL fields are checked on input, but rows written another way (imports, the ORM, older
    data) are not, so every place that puts one into an href asks this first.
    """
    return _normalise_url(url) if url_scheme(url) in WEB_SCHEMES else ""


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


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if (tag, attribute) in _PINNED_VALUES:
        return _PINNED_VALUES[tag, attribute]
    if attribute == "class":
        return _filter_classes(tag, value)
    if attribute == "id":
        # The page's own ids must stay unique, or its links and labels would point at the post.
        return None if is_reserved_id(value) else value
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
