"""Rules of the sanitiser that concern what the page around a post relies on.

Form controls, ids and inline styles written in a post could otherwise reach into the page:
a text box in an article, a heading that steals the page's own #main, a style attribute that
a strict Content-Security-Policy blocks.
"""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from lxml.html import HtmlElement

from linernotes.content.markdown import render_markdown
from linernotes.content.sanitise import ALIGNMENT_CLASSES, sanitise_html

REPOSITORY = Path(__file__).resolve().parents[2]
STYLESHEETS = [
    REPOSITORY / "linernotes/site/static/linernotes/site.css",
    REPOSITORY / "linernotes/newsletter/templates/newsletter/email/base.html",
]


def tree(html: str) -> HtmlElement:
    return lxml.html.fragment_fromstring(html, create_parent="div")


@pytest.mark.parametrize(
    "source",
    [
        "<input>",
        '<input type="text" value="x">',
        '<input type="checkbox" class="task-list-item-checkbox" checked disabled>',
        '<input class="task-list-item-checkbox" checked="checked" type="checkbox">',
        '<ul class="contains-task-list"><li class="task-list-item"><label><input>x</label></ul>',
        "<select><option>a</option></select> <button>b</button>",
    ],
)
def test_form_controls_written_in_html_are_removed(source: str) -> None:
    html = render_markdown(f"Before {source} after\n\n{source}\n").html
    assert not tree(html).xpath("//input | //select | //button | //option")


def test_task_list_items_still_get_their_checkboxes() -> None:
    html = render_markdown("- [x] done\n- [ ] <input type=text> todo\n  - [X] nested\n").html
    boxes = tree(html).xpath("//li[@class='task-list-item']/label/input")
    assert [box.get("checked") for box in boxes] == ["checked", None, "checked"]
    assert all(box.get("disabled") == "disabled" for box in boxes)
    assert len(tree(html).xpath("//input")) == 3


def test_a_task_list_that_html_turned_into_text_stays_text() -> None:
    # <xmp> keeps what it holds as text; the list inside must not grow a checkbox there.
    source = "<xmp>\n\n- [ ] hidden\n\n</xmp>\n\n- [x] shown\n"
    first, second = render_markdown(source).html, render_markdown(source).html
    assert first == second
    assert len(tree(first).xpath("//input")) == 1
    assert "[ ] hidden" in tree(first).text_content()


@pytest.mark.parametrize("taken", ["main", "post-title", "cards", "card-12", "id_email"])
def test_raw_html_cannot_take_the_pages_ids(taken: str) -> None:
    html = sanitise_html(f'<h2 id="{taken}">Heading</h2><a id="{taken}" href="/">link</a>')
    assert tree(html).xpath("//@id") == []


def test_raw_html_keeps_ids_of_its_own() -> None:
    html = sanitise_html('<h2 id="install">Install</h2><li id="step-1">one</li>')
    assert tree(html).xpath("//@id") == ["install", "step-1"]


def test_generated_heading_ids_avoid_the_pages_ids_and_footnotes() -> None:
    source = (
        "## Main\n\n## Post title\n\n## Cards\n\n## card-3\n\n## fn1\n\n## Main\n\nx[^1]\n\n[^1]: y"
    )
    headings = tree(render_markdown(source).html).xpath("//h2")
    ids = ["main-1", "post-title-1", "cards-1", "card-3-1", "fn1-1", "main-2"]
    assert [heading.get("id") for heading in headings] == ids
    assert [heading.find("a").get("href") for heading in headings] == [f"#{i}" for i in ids]


@pytest.mark.parametrize(
    ("cell", "kept"),
    [
        ('<td class="align-right">', "align-right"),
        ('<td class="align-center site-header">', "align-center"),
        ('<td class="visually-hidden">', None),
        ('<td style="text-align:right">', None),
    ],
)
def test_cells_keep_only_alignment_classes(cell: str, kept: str | None) -> None:
    td = tree(sanitise_html(f"<table><tr>{cell}x</td></tr></table>")).xpath("//td")[0]
    assert td.get("class") == kept
    assert td.get("style") is None


@pytest.mark.parametrize("stylesheet", STYLESHEETS, ids=["site", "newsletter-email"])
def test_the_stylesheets_align_cells_by_class(stylesheet: Path) -> None:
    css = stylesheet.read_text(encoding="utf-8")
    # Left is the default in both; the others need rules of their own.
    for name in ALIGNMENT_CLASSES - {"align-left"}:
        assert f".{name} {{ text-align: {name.removeprefix('align-')}; }}" in css
