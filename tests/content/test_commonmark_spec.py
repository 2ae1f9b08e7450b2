"""Every CommonMark 0.31.2 spec example, rendered through the full pipeline.

Both sides are parsed and serialised canonically. Normalisation only undoes what the
pipeline adds on purpose (heading ids and permalinks, lazy-loading image attributes, the
highlighting wrapper around code); everything else has to match, or be listed below.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from lxml.etree import _Element

from linernotes.content.markdown import render_markdown
from tests.shared_data import shared_file

SPEC_PATH = shared_file("testdata/markdown-spec/commonmark-0.31.2/spec.json")

EXAMPLES: list[dict[str, Any]] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))

FRONT_MATTER = "a document opening with a --- block is read as front matter, which is skipped"
RAW_HTML_REMOVED = "raw HTML element or attribute outside the sanitiser's allow-list is removed"
COMMENT_REMOVED = "HTML comment, processing instruction, declaration or CDATA is removed"
SCHEME_REMOVED = "autolink with a scheme other than http, https or mailto loses its href"
BARE_ADDRESS_LINKED = "a bare web or e-mail address is linked, as GitHub's autolink extension does"
# The sanitiser parses with an HTML5 parser, so unclosed or broken raw tags come out the way
# a browser would read the spec's HTML: an unclosed <a> is reopened after its paragraph, a
# tag cut off by the end of input is dropped, stray rows and blocks are moved.
MALFORMED_HTML_REPARSED = "malformed raw HTML is re-serialised as an HTML5 parser reads it"

EXPECTED_DIFFERENCES: dict[int, str] = {
    **dict.fromkeys((96, 98), FRONT_MATTER),
    **dict.fromkeys(
        (150, 152, 153, 154, 163, 164, 169, 170, 171, 172, 173, 176, 178, 201, 491, 524),
        RAW_HTML_REMOVED,
    ),
    **dict.fromkeys((536, 613, 614, 615, 616, 617), RAW_HTML_REMOVED),
    **dict.fromkeys((177, 179, 180, 182, 183, 308, 309, 625, 626, 627, 628, 629), COMMENT_REMOVED),
    **dict.fromkeys((596, 598, 599, 601), SCHEME_REMOVED),
    **dict.fromkeys((602, 608, 611, 612), BARE_ADDRESS_LINKED),
    **dict.fromkeys(
        (148, 156, 157, 158, 174, 175, 187, 191, 344, 476, 477, 494, 630, 631, 642, 643),
        MALFORMED_HTML_REPARSED,
    ),
}

_BLOCK_TAGS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "body", "details", "dd", "div", "dl"),
        *("dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4"),
        *("h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section"),
        *("summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"),
    }
)
_PIPELINE_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _undo_pipeline_additions(body: _Element) -> None:
    for anchor in body.xpath('.//a[@class="header-anchor"]'):
        anchor.drop_tree()
    for heading in body.iter(*_PIPELINE_HEADINGS):
        heading.attrib.pop("id", "")
    for image in body.iter("img"):
        image.attrib.pop("loading", "")
        image.attrib.pop("decoding", "")
    wrappers = './/div[@class="highlight"][@data-language] | .//div[@class="code-block"]'
    for wrapper in body.xpath(wrappers):
        for span in wrapper.xpath(".//code//span"):
            span.drop_tag()
        wrapper.drop_tag()


def _wrap_bare_rows(body: _Element) -> None:
    # HTML5 parsers (and browsers) put a <tr> written directly in <table> into a <tbody>;
    # the sanitiser's parser does, the one used here does not.
    for table in body.iter("table"):
        rows = [child for child in table if child.tag == "tr"]
        if rows:
            tbody = table.makeelement("tbody", {})
            rows[0].addprevious(tbody)
            tbody.extend(rows)


def _is_block(node: Any) -> bool:
    return isinstance(node, _Element) and node.tag in _BLOCK_TAGS


def _text(value: str | None, before: Any, after: Any, in_pre: bool) -> str:
    # Whitespace-only text between block elements is formatting, not content.
    if not value or in_pre:
        return value or ""
    if not value.strip() and (_is_block(before) or _is_block(after)):
        return ""
    return value


def _serialise(node: _Element, in_pre: bool = False) -> str:
    if not isinstance(node.tag, str):
        return f"<!--{node.text}-->"
    in_pre = in_pre or node.tag == "pre"
    pairs = sorted((str(name), str(value)) for name, value in node.attrib.items())
    attributes = "".join(f' {name}="{value}"' for name, value in pairs)
    children = list(node)
    parts = [f"<{node.tag}{attributes}>"]
    parts.append(_text(node.text, node, children[0] if children else node, in_pre))
    for index, child in enumerate(children):
        parts.append(_serialise(child, in_pre))
        following = children[index + 1] if index + 1 < len(children) else node
        parts.append(_text(child.tail, child, following, in_pre))
    parts.append(f"</{node.tag}>")
    return "".join(parts)


def normalise(html: str) -> str:
    body = lxml.html.document_fromstring(f"<html><body>{html}</body></html>").find("body")
    assert body is not None
    _undo_pipeline_additions(body)
    _wrap_bare_rows(body)
    return re.sub(r"^<body>|</body>$", "", _serialise(body))


def _example_id(example: dict[str, Any]) -> str:
    return f"{example['example']}-{example['section']}"


@pytest.mark.parametrize("example", EXAMPLES, ids=_example_id)
def test_spec_example(example: dict[str, Any]) -> None:
    number = example["example"]
    actual = normalise(render_markdown(example["markdown"]).html)
    expected = normalise(example["html"])
    if number in EXPECTED_DIFFERENCES:
        assert actual != expected, (
            f"Example {number} now matches the spec; remove it from EXPECTED_DIFFERENCES."
        )
    else:
        assert actual == expected, f"Markdown: {example['markdown']!r}"


def test_expected_differences_are_real_examples() -> None:
    numbers = {example["example"] for example in EXAMPLES}
    assert set(EXPECTED_DIFFERENCES) <= numbers


def test_the_documented_pass_count_is_the_measured_one() -> None:
    writing = Path(__file__).resolve().parents[2] / "docs" / "writing.md"
    passing = len(EXAMPLES) - len(EXPECTED_DIFFERENCES)
    text = " ".join(writing.read_text(encoding="utf-8").split())
    assert f"{passing} of the {len(EXAMPLES)} examples" in text
    assert f"The {len(EXPECTED_DIFFERENCES)} that differ" in text
