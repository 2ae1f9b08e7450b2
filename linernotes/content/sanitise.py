"""The HTML allow-list applied to every rendered post, and the ids a post may not take.

Authors may write raw HTML in Markdown, so the sanitiser, not the Markdown parser, is the
security boundary: anything not listed here is removed after rendering. Form controls are
never listed: the task-list checkboxes are added by the renderer after sanitising. The one
frame kept is a video player of YouTube (without cookies) or Vimeo (without tracking).
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
        "iframe",
    }
)

# These are dropped together with their content: their text is code or markup, never prose.
REMOVED_WITH_CONTENT = frozenset(
    {"script", "style", "object", "noscript", "template", "textarea", "svg", "math"}
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
    # srcdoc is listed only so that a frame carrying its own document can be seen and removed.
    "iframe": {"src", "title", "width", "height", "loading", "allowfullscreen", "srcdoc"},
}

# Forced values: images load lazily. One per tag, because nh3 adds forced attributes in a
# per-process random order, and stored HTML must not change between two renders of the same
# source. Attributes that may only take one value but need not be present are pinned in
# _filter_attribute instead.
FORCED_ATTRIBUTES = {"img": {"loading": "lazy"}}
_PINNED_VALUES = {
    ("img", "decoding"): "async",
    ("iframe", "loading"): "lazy",
    ("iframe", "allowfullscreen"): "",
    ("iframe", "srcdoc"): "",
}

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
    "div": frozenset({"highlight", "code-block", "embed"}),
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
        *("main", "site-menu", "site-search-input", "newsletter-signup-heading"),
        "newsletter-heading",
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


# The players' embed addresses: an 11-character YouTube id (and a start time in seconds), or a
# Vimeo id with its do-not-track flag. Checked exactly as written: anything else is not one.
_EMBED_SOURCE_RE = re.compile(
    r"https://www\.youtube-nocookie\.com/embed/[A-Za-z0-9_-]{11}(?:\?start=[0-9]{1,6})?"
    r"|https://player\.vimeo\.com/video/[0-9]{1,12}\?dnt=1"
)


def is_allowed_embed_source(url: str) -> bool:
    """Whether ``url`` is the address of a video player a post may embed in a frame."""
    return _EMBED_SOURCE_RE.fullmatch(url) is not None


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
    if attribute == "src" and tag == "iframe":
        return value if is_allowed_embed_source(value) else None
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
    cleaned = _CLEANER.clean(html)
    return _settle_frames(cleaned) if "<iframe" in cleaned else cleaned


# A frame as nh3 writes it. Its content is raw text that cannot contain "</iframe", and nh3
# escapes "<" everywhere else (text and attribute values), so every "<iframe" found here
# opens a real frame and the first "</iframe>" after it closes that frame.
_SERIALISED_FRAME_RE = re.compile(r'<iframe((?:\s[a-z-]+(?:="[^"]*")?)*)>.*?</iframe>', re.DOTALL)
_SERIALISED_ATTRIBUTE_RE = re.compile(r'([a-z-]+)(?:="([^"]*)")?')
# The frame runs the player's scripts in the player's own origin, and tells it no more of
# the reader's page than its origin.
_FRAME_POLICY = (
    'referrerpolicy="strict-origin-when-cross-origin"'
    ' sandbox="allow-scripts allow-same-origin allow-presentation"'
)


def _settled_frame(match: re.Match[str]) -> str:
    attributes = dict(_SERIALISED_ATTRIBUTE_RE.findall(match[1]))
    # Without an allowed player's address (removed above) a frame is not an embed at all.
    if "src" not in attributes or "srcdoc" in attributes:
        return ""
    kept = [f'src="{attributes["src"]}"']
    kept += [
        f'{name}="{attributes[name]}"'
        for name in ("title", "width", "height")
        if name in attributes
    ]
    kept.append('loading="lazy"')
    if "allowfullscreen" in attributes:
        kept.append('allowfullscreen=""')
    # In a fixed order, so stored HTML does not change between two renders of the same source.
    return f"<iframe {' '.join(kept)} {_FRAME_POLICY}></iframe>"


def _settle_frames(html: str) -> str:
    """Remove frames that are not embeds, and write the others' attributes in one form."""
    return _SERIALISED_FRAME_RE.sub(_settled_frame, html)


_YOUTUBE_PLAYER_RE = re.compile(
    r"https://www\.youtube-nocookie\.com/embed/(?P<id>[A-Za-z0-9_-]{11})(?:\?start=(?P<start>[0-9]+))?"
)
_VIMEO_PLAYER_RE = re.compile(r"https://player\.vimeo\.com/video/(?P<id>[0-9]+)\?dnt=1")
_STORED_EMBED_RE = re.compile(
    rf'<div class="embed">{_SERIALISED_FRAME_RE.pattern}</div>|{_SERIALISED_FRAME_RE.pattern}',
    re.DOTALL,
)


def _video_page(src: str) -> tuple[str, str]:
    """The address of the page showing the video a player plays, and the site's name."""
    if youtube := _YOUTUBE_PLAYER_RE.fullmatch(src):
        start = f"&amp;t={youtube['start']}s" if youtube["start"] else ""
        return f"https://www.youtube.com/watch?v={youtube['id']}{start}", "YouTube"
    if vimeo := _VIMEO_PLAYER_RE.fullmatch(src):
        return f"https://vimeo.com/{vimeo['id']}", "Vimeo"
    return src, "the video's site"


def _frame_as_link(match: re.Match[str]) -> str:
    attributes = dict(_SERIALISED_ATTRIBUTE_RE.findall(match[1] or match[2] or ""))
    src = attributes.get("src")
    if src is None:
        return ""
    page, site = _video_page(src)
    # Values are as nh3 wrote them, already escaped for an attribute, and so for text too.
    link = f'<a href="{page}">{attributes.get("title") or f"Watch the video on {site}"}</a>'
    # A wrapped frame stood alone and was a block; a bare one sat in a line of text.
    return f"<p>{link}</p>" if match[1] is not None else link


def frames_as_links(html: str) -> str:
    """Stored post HTML with each video frame replaced by a link to the video's page.

    For readers outside the site: mail clients show no frames, and feed readers drop them.
    """
    return _STORED_EMBED_RE.sub(_frame_as_link, html) if "<iframe" in html else html
