"""Property tests: whatever an author writes, the output keeps the sanitiser's guarantees.

Inputs are built from hostile fragments (script and event-handler markup, dangerous URL
schemes in every spelling, broken and nested tags, form controls, the site's own ids) mixed
with random text and task lists, then the output is parsed and every element and attribute
is checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import lxml.html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml.html import HtmlElement

from linernotes.content.markdown import render_markdown
from linernotes.content.sanitise import (
    ALIGNMENT_CLASSES,
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    FORCED_ATTRIBUTES,
    RESERVED_IDS,
    is_reserved_id,
    sanitise_html,
)

FORBIDDEN_TAGS = frozenset(
    {"script", "style", "iframe", "object", "embed", "form", "svg", "math", "base", "meta"}
)
# The two checkboxes a task list item may start with, attribute for attribute.
TASK_CHECKBOXES = [
    {"class": "task-list-item-checkbox", "type": "checkbox", "disabled": "disabled"},
    {
        "class": "task-list-item-checkbox",
        "type": "checkbox",
        "disabled": "disabled",
        "checked": "checked",
    },
]
RASTER_DATA_RE = re.compile(r"data:image/(png|jpeg|gif|webp|avif)[;,]", re.IGNORECASE)
# What a browser ignores when reading a URL's scheme (WHATWG URL parsing).
URL_IGNORED_RE = re.compile(r"[\t\n\r]")
URL_TRIMMED = "".join(chr(code) for code in range(0x21))
SCHEME_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
# lxml refuses text that XML cannot hold; these characters carry no markup either way.
XML_INCOMPATIBLE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

URL_PREFIXES = [
    "javascript:",
    "JaVaScRiPt:",
    " javascript:",
    "java\tscript:",
    "java\nscript:",
    "\x01javascript:",
    "javascript&colon;",
    "&#106;avascript:",
    "&#x6A;avascript&#58;",
    "jav&#x09;ascript:",
    "vbscript:",
    "VBScript:",
    "data:text/html,",
    "data:text/html;base64,",
    "da\tta:text/html,",
    " data:text/html,",
    "DATA:image/svg+xml,",
    "data:image/svg+xml;base64,",
    "data:image/png;base64,",
    "https://example.com/",
    "http:",
    "mailto:",
    "/relative/",
    "//protocol-relative.example/",
    "#",
]
PAYLOADS = ["alert(1)", "<svg onload=alert(1)>", "%0aalert(1)", "", "x"]
TAGS = [
    *("a", "img", "div", "p", "span", "td", "th", "table", "tr", "code", "pre", "input"),
    *("script", "style", "iframe", "object", "embed", "form", "svg", "math", "base", "meta"),
    *("details", "summary", "textarea", "noscript", "template", "select", "button", "link"),
    *("label", "li", "ul", "h2", "h3"),
]
ATTRIBUTES = [
    *("href", "src", "style", "class", "id", "onerror", "onclick", "OnLoad", "onmouseover"),
    *("formaction", "action", "srcset", "xlink:href", "data-language", "background", "type"),
    *("name", "value", "disabled", "for"),
    *("width", "height", "poster", "target", "rel", "checked", "open", "start"),
]
STYLES = [
    "text-align:right",
    "text-align: center;",
    "text-align:right;position:fixed",
    "background:url(javascript:alert(1))",
    "color:red",
    "expression(alert(1))",
]
PUNCTUATION = [
    *("<", ">", "</", "/>", '"', "'", "`", "=", "&", ";", "<!--", "-->", "<![CDATA[", "]]>"),
    *("<?", "?>", "\n", "\n\n", "```", "~~~", "    ", "> ", "- ", "1. ", "|", "---", "[", "]"),
    *("(", ")", "!", "*", "_", "~~", "[^1]", "[^1]: ", "&lt;script&gt;", "\\"),
]

urls = st.builds(
    lambda prefix, payload: prefix + payload,
    st.sampled_from(URL_PREFIXES),
    st.sampled_from(PAYLOADS),
)
words = st.text(max_size=12)
# Values that look like what the pipeline emits, so raw HTML can try to pass for it.
LOOKALIKES = [
    *("checkbox", "text", "task-list-item-checkbox", "task-list-item", "contains-task-list"),
    *("align-right", "align-center", "header-anchor", "disabled", "checked", "card-1"),
    *sorted(RESERVED_IDS),
]
attribute_values = st.one_of(urls, st.sampled_from(STYLES), st.sampled_from(LOOKALIKES), words)


@st.composite
def raw_tags(draw: st.DrawFn) -> str:
    tag = draw(st.sampled_from(TAGS))
    pairs = draw(st.lists(st.tuples(st.sampled_from(ATTRIBUTES), attribute_values), max_size=3))
    quote = draw(st.sampled_from(['"', "'", ""]))
    rendered = "".join(f" {name}={quote}{value}{quote}" for name, value in pairs)
    closing = draw(st.sampled_from(["", f"</{tag}>", "/>"]))
    body = draw(words)
    return f"<{tag}{rendered}>{body}{closing}"


# Allowed tags carrying one risky attribute each, so every guarantee is exercised often.
EVENT_HANDLERS = ["onerror", "onclick", "OnLoad", "onmouseover", "onfocus"]
TEXT_TEMPLATES = [
    "<p {}>text</p>",
    "<span {}>text</span>",
    "<code {}>text</code>",
    "<table><tr><td {}>cell</td></tr></table>",
    "<table><tr><th {}>head</th></tr></table>",
]
url_tags = st.one_of(
    st.builds('<a href="{}">link</a>'.format, urls),
    st.builds("<img src='{}' alt=x>".format, urls),
    st.builds("[link]({})".format, urls),
    st.builds("![image]({})".format, urls),
)
risky_tags = st.one_of(
    url_tags,
    st.builds(
        lambda template, handler: template.format(f"{handler}=alert(1)"),
        st.sampled_from([*TEXT_TEMPLATES, "<img src=x {}>", "<a href=/ {}>x</a>"]),
        st.sampled_from(EVENT_HANDLERS),
    ),
    st.builds(
        lambda template, style: template.format(f'style="{style}"'),
        st.sampled_from(TEXT_TEMPLATES),
        st.sampled_from(STYLES),
    ),
)


# The renderer's own checkboxes, and raw HTML written to look like them.
TASK_FRAGMENTS = [
    "- [ ] ",
    "- [x] ",
    "* [X] ",
    "1. [ ] ",
    "\n- [ ] ",
    "  - [x] ",
    "<input>",
    '<input type="checkbox" class="task-list-item-checkbox" checked disabled>',
    '<input class="task-list-item-checkbox" checked="checked" type="checkbox" disabled="disabled">',
    '<li class="task-list-item"><label><input type=checkbox>',
    "<label><input type=text value=x></label>",
]
id_tags = st.builds(
    '<{0} id="{1}">{1}</{0}>'.format,
    st.sampled_from(["h2", "h3", "a", "li", "p"]),
    st.sampled_from(sorted(RESERVED_IDS)),
)

markdown_fragments = st.one_of(
    st.sampled_from(TASK_FRAGMENTS),
    id_tags,
    st.builds("## {}\n".format, st.sampled_from(sorted(RESERVED_IDS))),
    risky_tags,
    st.builds("[{}]({})".format, words, urls),
    st.builds("[{}](<{}>)".format, words, urls),
    st.builds("![{}]({})".format, words, urls),
    st.builds("<{}>".format, urls),
    st.builds("[ref]: {}\n\n[{}][ref]\n".format, urls, words),
    raw_tags(),
    st.sampled_from(PUNCTUATION),
    words,
)


@st.composite
def mixed_case(draw: st.DrawFn, fragments: st.SearchStrategy[str]) -> str:
    parts = draw(st.lists(fragments, max_size=10))
    case_changes: list[Callable[[str], str]] = [str, str.upper, str.lower, str.swapcase]
    change_case = draw(st.sampled_from(case_changes))
    return change_case("".join(parts))


def url_scheme(url: str) -> str | None:
    match = SCHEME_RE.match(URL_IGNORED_RE.sub("", url).strip(URL_TRIMMED))
    return match[1].lower() if match else None


def parse(html: str) -> HtmlElement:
    cleaned = XML_INCOMPATIBLE_RE.sub("\ufffd", html)
    body = lxml.html.document_fromstring(f"<html><body>{cleaned}</body></html>").find("body")
    assert isinstance(body, HtmlElement)
    return body


def check_task_checkbox(element: HtmlElement) -> None:
    # The only form control a post may contain, and only where a task list item starts.
    assert dict(element.attrib) in TASK_CHECKBOXES, dict(element.attrib)
    label = element.getparent()
    assert label is not None
    assert label.tag == "label"
    # In the list item whose marker it replaced: the nearest item around it, since a loose
    # list holds paragraphs, and an author's unclosed tag (a raw "<a" just before the list)
    # can wrap the renderer's markup in an element of its own.
    item = next(label.iterancestors("li"), None)
    assert item is not None
    assert "task-list-item" in item.get("class", "").split()
    assert label.index(element) == 0
    assert not (label.text or "").strip()


def check_attribute(element: HtmlElement, name: str, value: str) -> None:
    assert not name.lower().startswith("on"), f"event handler {name} on <{element.tag}>"
    allowed = ALLOWED_ATTRIBUTES.get(element.tag, set()) | set(
        FORCED_ATTRIBUTES.get(element.tag, {})
    )
    assert name in allowed, f"{name} is not allowed on <{element.tag}>"
    if name == "class" and element.tag in {"th", "td"}:
        assert set(value.split()) <= ALIGNMENT_CLASSES, value
    if name == "id":
        assert not is_reserved_id(value), value
    if name == "href":
        assert url_scheme(value) not in {"javascript", "vbscript", "data"}, value
    if name == "src" and url_scheme(value) == "data":
        assert element.tag == "img"
        cleaned = URL_IGNORED_RE.sub("", value).strip(URL_TRIMMED)
        assert RASTER_DATA_RE.match(cleaned), value


def assert_guarantees(html: str) -> None:
    body = parse(html)
    for element in body.iterdescendants():
        if not isinstance(element.tag, str):
            raise AssertionError(f"comment or processing instruction kept: {element!r}")
        assert element.tag not in FORBIDDEN_TAGS, element.tag
        if element.tag == "input":
            check_task_checkbox(element)
            continue
        assert element.tag in ALLOWED_TAGS, element.tag
        for name, value in element.attrib.items():
            check_attribute(element, name, value)


FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(mixed_case(markdown_fragments))
def test_hostile_markdown_keeps_guarantees(source: str) -> None:
    assert_guarantees(render_markdown(source).html)


@FAST
@given(mixed_case(st.one_of(risky_tags, raw_tags(), st.sampled_from(PUNCTUATION), words)))
def test_hostile_html_keeps_guarantees_without_markdown(html: str) -> None:
    assert_guarantees(sanitise_html(html))


@FAST
@given(url_tags)
def test_every_url_spelling_keeps_guarantees(source: str) -> None:
    assert_guarantees(render_markdown(source).html)


@FAST
@given(st.text())
def test_random_text_renders_safely(source: str) -> None:
    result = render_markdown(source)
    assert_guarantees(result.html)
    lines = result.text.split("\n") if result.text else []
    assert all(line and line == line.strip() for line in lines)
    assert (result.word_count == 0) == (not any(ch.isalnum() or ch == "_" for ch in result.text))


@FAST
@given(mixed_case(st.one_of(st.sampled_from(TASK_FRAGMENTS), words)), st.booleans())
def test_checkboxes_come_only_from_task_list_markers(source: str, checked: bool) -> None:
    marker = "[x]" if checked else "[ ]"
    # The test's own task comes first: what follows cannot swallow it (an HTML block such as
    # "<?" runs to the end of the document, as CommonMark says).
    html = render_markdown(f"- {marker} a task\n\n{source}\n").html
    assert_guarantees(html)
    first_list = parse(html).xpath("(//ul | //ol)[1]")[0]
    boxes = first_list.xpath("./li/label/input | ./li/p/label/input")
    assert [box.get("checked") == "checked" for box in boxes][:1] == [checked]


@FAST
@given(mixed_case(st.one_of(id_tags, st.sampled_from(TASK_FRAGMENTS), words)))
def test_raw_html_never_takes_a_reserved_id_or_a_form_control(html: str) -> None:
    body = parse(sanitise_html(html))
    assert not body.xpath("//input | //select | //textarea | //button")
    assert not [value for value in body.xpath("//@id") if is_reserved_id(value)]
