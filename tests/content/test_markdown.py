"""Behaviour of the Markdown pipeline, checked on parsed HTML rather than on strings."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import lxml.html
import pytest
from lxml.html import HtmlElement

from linernotes.content.highlighting import stylesheet
from linernotes.content.markdown import RenderedMarkdown, render_markdown
from tests.processes import run_python

REPOSITORY = Path(__file__).resolve().parents[2]
CODE_CSS = REPOSITORY / "linernotes/site/static/linernotes/code.css"
REGENERATE_CSS = (
    'python -c "from linernotes.content.highlighting import stylesheet; '
    "print(stylesheet(), end='')\" > linernotes/site/static/linernotes/code.css"
)


def parse(html: str) -> HtmlElement:
    return lxml.html.fragment_fromstring(html, create_parent="div")


def render_tree(source: str) -> HtmlElement:
    return parse(render_markdown(source).html)


def only(tree: HtmlElement, path: str) -> HtmlElement:
    matches = tree.xpath(path)
    assert len(matches) == 1, f"expected one {path}, found {len(matches)}"
    element: HtmlElement = matches[0]
    return element


def classes(element: HtmlElement) -> set[str]:
    return set(element.get("class", "").split())


def test_result_is_a_frozen_dataclass() -> None:
    result = render_markdown("Hello *world*")
    assert isinstance(result, RenderedMarkdown)
    with pytest.raises(AttributeError):
        result.html = ""  # type: ignore[misc]


def test_table_keeps_column_alignment_as_classes() -> None:
    tree = render_tree(
        "| Left | Centre | Right | None |\n|:-----|:------:|------:|---|\n| a | b | c | d |\n"
    )
    headers = tree.xpath("//table/thead/tr/th")
    assert [th.text for th in headers] == ["Left", "Centre", "Right", "None"]
    expected = ["align-left", "align-center", "align-right", None]
    for row in tree.xpath("//table//tr"):
        assert [cell.get("class") for cell in row] == expected
    # A Content-Security-Policy without 'unsafe-inline' would block style attributes.
    assert not tree.xpath("//*[@style]")


def test_strikethrough() -> None:
    tree = render_tree("This is ~~wrong~~ right.")
    assert only(tree, "//p/del").text == "wrong"


def test_task_list_checkboxes_are_labelled_and_read_only() -> None:
    tree = render_tree("- [ ] write the post\n- [x] pick a title\n")
    task_list = only(tree, "//ul")
    assert "contains-task-list" in classes(task_list)
    items = task_list.xpath("./li")
    assert all("task-list-item" in classes(item) for item in items)
    boxes = [only(item, "./label/input") for item in items]
    assert all(box.get("type") == "checkbox" for box in boxes)
    assert all(box.get("disabled") is not None for box in boxes)
    assert [box.get("checked") is not None for box in boxes] == [False, True]
    assert [item.text_content().strip() for item in items] == ["write the post", "pick a title"]


def test_footnotes_link_both_ways() -> None:
    result = render_markdown("A claim.[^source]\n\n[^source]: The evidence.\n")
    tree = parse(result.html)
    reference = only(tree, "//sup[@class='footnote-ref']/a")
    assert reference.get("href") == "#fn1"
    assert reference.get("id") == "fnref1"
    section = only(tree, "//section[@class='footnotes']")
    assert section.get("aria-label") == "Footnotes"
    note = only(section, ".//li[@id='fn1']")
    backref = only(note, ".//a[@class='footnote-backref']")
    assert backref.get("href") == "#fnref1"
    assert backref.get("aria-label") == "Back to reference 1"
    assert result.text == "A claim.[1]\nThe evidence."


def test_headings_two_to_four_get_ids_and_accessible_permalinks() -> None:
    source = "# Title\n\n## Getting started\n\n### Install it\n\n#### Why?\n\n##### Too deep\n"
    tree = render_tree(source)
    # Every level has an id to link to; only sections offer a permalink.
    assert only(tree, "//h1").get("id") == "title"
    assert only(tree, "//h5").get("id") == "too-deep"
    expected = {"h2": "getting-started", "h3": "install-it", "h4": "why"}
    for tag, slug in expected.items():
        heading = only(tree, f"//{tag}")
        assert heading.get("id") == slug
        permalink = only(heading, "./a[@class='header-anchor']")
        assert permalink.get("href") == f"#{slug}"
        assert heading.text_content().removesuffix("#") in permalink.get("aria-label")
    assert not tree.xpath("//h1/a | //h5/a")


def test_heading_ids_are_unique_and_never_empty() -> None:
    tree = render_tree("## Notes\n\n## Notes\n\n## ???\n")
    assert [h2.get("id") for h2 in tree.xpath("//h2")] == ["notes", "notes-1", "section"]


HIGHLIGHTED_SNIPPETS = [
    pytest.param("python", "def answer():\n    return 42\n", {"k", "nf", "mi"}, id="python"),
    pytest.param("javascript", "const answer = () => 42;\n", {"kd", "nx", "mf"}, id="js"),
    pytest.param("sql", "SELECT id FROM posts WHERE id = 1;\n", {"k", "n", "mi"}, id="sql"),
    pytest.param("bash", 'echo "hello" | grep h\n', {"nb", "s2"}, id="bash"),
    pytest.param("go", "func main() {\n\tfmt.Println(42)\n}\n", {"kd", "nx", "mi"}, id="go"),
]


@pytest.mark.parametrize(("language", "code", "token_classes"), HIGHLIGHTED_SNIPPETS)
def test_fenced_code_is_highlighted_with_css_classes(
    language: str, code: str, token_classes: set[str]
) -> None:
    tree = render_tree(f"```{language}\n{code}```\n")
    wrapper = only(tree, "//div[@class='highlight']")
    assert wrapper.get("data-language") == language
    code_element = only(wrapper, "./pre/code")
    assert code_element.get("class") == f"language-{language}"
    used = {name for span in code_element.iter("span") for name in classes(span)}
    assert token_classes <= used
    assert code_element.text_content() == code
    assert not code_element.xpath(".//*[@style]")


def test_unknown_language_is_escaped_and_not_guessed() -> None:
    code = 'def looks_like_python():\n    return "<b>bold</b> & more"\n'
    for info in ("no-such-language", ""):
        tree = render_tree(f"```{info}\n{code}```\n")
        assert not tree.xpath("//div[@class='highlight'] | //span | //b")
        code_element = only(tree, "//pre/code")
        assert code_element.text_content() == code
        expected_class = f"language-{info}" if info else None
        assert code_element.get("class") == expected_class


def test_every_block_with_a_language_names_it_for_its_label() -> None:
    tree = render_tree("```mermaid\ngraph TD\n```\n\n```python\nx = 1\n```\n\n```\nplain\n```\n")
    plain, highlighted = (
        tree.xpath("//div[@class='code-block']"),
        tree.xpath("//div[@class='highlight']"),
    )
    assert [wrapper.get("data-language") for wrapper in plain + highlighted] == [
        "mermaid",
        "python",
    ]
    assert only(plain[0], "./pre/code").get("class") == "language-mermaid"
    assert only(plain[0], "./pre/code").text_content() == "graph TD\n"
    # Without a language there is nothing to name: the block is a bare <pre>.
    bare = [pre for pre in tree.xpath("//pre") if not pre.getparent().get("data-language")]
    assert [pre.text_content() for pre in bare] == ["plain\n"]


def test_a_language_the_sanitiser_would_not_keep_leaves_no_label() -> None:
    tree = render_tree('```"><b>x</b>\ncode\n```\n')
    wrapper = only(tree, "//div[@class='code-block']")
    assert wrapper.get("data-language") is None
    assert not tree.xpath("//b")


@pytest.mark.parametrize("info", ["python linenos", "python {linenos}", "python{linenos}"])
def test_line_numbers_on_request(info: str) -> None:
    result = render_markdown(f"```{info}\nfirst = 1\nsecond = 2\nthird = 3\n```\n")
    code_element = only(parse(result.html), "//div[@class='highlight']/pre/code")
    numbers = code_element.xpath(".//span[@class='linenos']")
    assert [span.text.strip() for span in numbers] == ["1", "2", "3"]
    assert code_element.get("class") == "language-python"
    assert result.text == "first = 1\nsecond = 2\nthird = 3"


def test_no_line_numbers_by_default() -> None:
    tree = render_tree("```python\nx = 1\n```\n")
    assert not tree.xpath("//span[@class='linenos']")


def test_images_load_lazily_with_known_dimensions() -> None:
    seen: list[str] = []

    def image_size(src: str) -> tuple[int, int] | None:
        seen.append(src)
        return (1200, 630) if src == "/media/chart.png" else None

    source = "![Latency chart](/media/chart.png)\n\n![Unknown](/media/other.png)\n"
    tree = parse(render_markdown(source, image_size=image_size).html)
    chart, other = tree.xpath("//img")
    assert chart.get("alt") == "Latency chart"
    assert (chart.get("width"), chart.get("height")) == ("1200", "630")
    assert (other.get("width"), other.get("height")) == (None, None)
    for image in (chart, other):
        assert image.get("loading") == "lazy"
        assert image.get("decoding") == "async"
    assert seen == ["/media/chart.png", "/media/other.png"]


def test_images_without_resolver_keep_alt_text() -> None:
    image = only(render_tree('![A "quoted" alt](/a.png "Title")'), "//img")
    assert image.get("alt") == 'A "quoted" alt'
    assert image.get("title") == "Title"
    assert image.get("width") is None


def test_front_matter_is_never_rendered() -> None:
    result = render_markdown("---\ntitle: Secret title\ndraft: true\n---\n\nBody text.\n")
    assert "Secret" not in result.html
    assert not parse(result.html).xpath("//hr")
    assert result.text == "Body text."


def test_text_has_one_line_per_block_without_decorations() -> None:
    source = (
        "## Why we *moved*\n\nWe moved\nto Postgres.[^1]\n\n- fast\n- boring\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n```python linenos\nprint('hi')\n```\n\n"
        "[^1]: Eventually.\n"
    )
    result = render_markdown(source)
    assert result.text == (
        "Why we moved\nWe moved to Postgres.[1]\nfast\nboring\na b\n1 2\nprint('hi')\nEventually."
    )
    assert result.word_count == 15


def test_word_count_ignores_punctuation_runs() -> None:
    assert render_markdown("Fast -> faster — *fastest*!").word_count == 3
    assert render_markdown("").word_count == 0


def test_links_carry_no_rel_or_target() -> None:
    tree = render_tree(
        '[external](https://example.com) [internal](/about)\n\n<a href="/x" target="_blank">x</a>'
    )
    for link in tree.xpath("//a"):
        assert link.get("rel") is None
        assert link.get("target") is None
    assert [link.get("href") for link in tree.xpath("//a")] == [
        "https://example.com",
        "/about",
        "/x",
    ]


def test_mailto_and_relative_links_survive() -> None:
    tree = render_tree("[mail](mailto:team@example.com) [up](../index.html) [frag](#top)")
    hrefs = [link.get("href") for link in tree.xpath("//a")]
    assert hrefs == ["mailto:team@example.com", "../index.html", "#top"]


FORBIDDEN_TAGS = ("script", "style", "iframe", "object", "embed", "form", "svg")

HOSTILE_SOURCES = [
    pytest.param("<script>alert(1)</script>", id="script-block"),
    pytest.param("Hi <script>alert(1)</script> there", id="script-inline"),
    pytest.param('<img src="x" onerror="alert(1)">', id="img-onerror"),
    pytest.param('<a href="/" onclick="alert(1)" onmouseover="x()">hi</a>', id="onclick"),
    pytest.param("[x](javascript:alert(1))", id="md-javascript"),
    pytest.param("[x](JAVASCRIPT:alert(1))", id="md-javascript-upper"),
    pytest.param("[x](javascript&colon;alert(1))", id="md-entity-colon"),
    pytest.param('<a href="javascript&colon;alert(1)">x</a>', id="html-entity-colon"),
    pytest.param('<a href="&#106;avascript:alert(1)">x</a>', id="html-entity-j"),
    pytest.param('<a href="jav&#x09;ascript:alert(1)">x</a>', id="html-entity-tab"),
    pytest.param('<a href=" vbscript:msgbox(1)">x</a>', id="vbscript"),
    pytest.param("[x](data:text/html;base64,PHNjcmlwdD4=)", id="md-data-link"),
    pytest.param('<a href="data:text/html,<script>x</script>">x</a>', id="html-data-link"),
    pytest.param("[x](data:image/png;base64,iVBORw0KGgo=)", id="md-data-image-as-link"),
    pytest.param("![x](data:image/svg+xml;base64,PHN2Zz4=)", id="md-svg-data-image"),
    pytest.param('<img src="data:image/svg+xml,<svg onload=alert(1)>">', id="html-svg-data-image"),
    pytest.param('<p style="position:fixed;top:0">cover</p>', id="style-attribute"),
    pytest.param(
        '<table><tr><td style="text-align:right;background:url(x)">x</td></tr></table>',
        id="style-smuggled",
    ),
    pytest.param("<style>body { display: none }</style>", id="style-element"),
    pytest.param('<iframe src="https://evil.example"></iframe>', id="iframe"),
    pytest.param('<object data="x.swf"></object><embed src="x.swf">', id="object-embed"),
    pytest.param('<form action="/steal"><input type="password"></form>', id="form"),
    pytest.param("<svg><script>alert(1)</script></svg>", id="svg-script"),
    pytest.param("<scr<script>ipt>alert(1)</script>", id="nested-script"),
    pytest.param('<div class="site-header" id="main">spoof</div>', id="site-classes"),
]


def assert_neutralised(tree: HtmlElement) -> None:
    assert not tree.xpath(" | ".join(f"//{tag}" for tag in FORBIDDEN_TAGS))
    for element in tree.iter():
        for name in element.attrib:
            assert not name.startswith("on"), name
            assert name != "style", element.tag
        href = "".join(element.get("href", "").split()).lower()
        assert not href.startswith(("javascript:", "vbscript:", "data:")), href
        src = element.get("src", "").strip().lower()
        if src.startswith("data:"):
            assert src.startswith(("data:image/png", "data:image/jpeg", "data:image/gif"))


@pytest.mark.parametrize("source", HOSTILE_SOURCES)
def test_hostile_input_is_neutralised(source: str) -> None:
    result = render_markdown(source)
    tree = parse(result.html)
    assert_neutralised(tree)
    assert "alert(1)" not in " ".join(
        value for element in tree.iter() for value in element.attrib.values()
    )


def test_author_classes_and_ids_on_other_elements_are_dropped() -> None:
    tree = render_tree('<div class="site-header visually-hidden" id="main">spoof</div>')
    div = only(tree, "./div")
    assert div.attrib == {}


def test_script_content_is_dropped_not_shown() -> None:
    result = render_markdown("Before\n\n<script>alert('boo')</script>\n\nAfter")
    assert result.text == "Before\nAfter"


def test_raster_data_images_are_allowed() -> None:
    png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    image = only(render_tree(f"![dot]({png})"), "//img")
    assert image.get("src") == png


@pytest.mark.parametrize(
    ("source", "path"),
    [
        ("Press <kbd>Ctrl</kbd>+<kbd>C</kbd>.", "//p/kbd"),
        ("<details>\n<summary>More</summary>\n\nHidden *detail*.\n\n</details>", "//details"),
        ("H<sub>2</sub>O and E = mc<sup>2</sup>", "//p/sub"),
        ('<abbr title="HyperText Markup Language">HTML</abbr>', "//p/abbr[@title]"),
        ("This is <mark>important</mark>.", "//p/mark"),
    ],
)
def test_allowed_raw_html_is_kept(source: str, path: str) -> None:
    assert render_tree(source).xpath(path)


def test_details_keep_summary_and_markdown_body() -> None:
    tree = render_tree("<details>\n<summary>More</summary>\n\nHidden *detail*.\n\n</details>")
    details = only(tree, "//details")
    assert only(details, "./summary").text == "More"
    assert only(details, "./p/em").text == "detail"


def test_rendering_is_thread_safe() -> None:
    def render(width: int) -> str | None:
        result = render_markdown(
            f"## Heading {width}\n\n![x](/{width}.png)", image_size=lambda _src: (width, width)
        )
        return only(parse(result.html), "//img").get("width")

    widths = list(range(1, 201))
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(render, widths)) == [str(width) for width in widths]


def test_imports_and_renders_without_django_settings() -> None:
    environment = {key: value for key, value in os.environ.items() if "DJANGO" not in key}
    script = (
        "from linernotes.content.markdown import render_markdown; "
        "print(render_markdown('*ok*').html, end='')"
    )
    assert run_python(script, env=environment).stdout == "<p><em>ok</em></p>\n"


def test_output_is_identical_across_processes() -> None:
    # Hash maps are seeded per process; stored HTML must not depend on the seed, or every
    # rerender would report changes that are not there.
    source = '- [x] done\n- [ ] <input type="text">\n\n![A chart](/chart.png) <img src="/b.png">'
    script = (
        "import sys; from linernotes.content.markdown import render_markdown; "
        "print(render_markdown(sys.stdin.read()).html, end='')"
    )
    outputs = {run_python(script, stdin=source).stdout for _ in range(6)}
    assert len(outputs) == 1, outputs
    tree = parse(outputs.pop())
    # The author's own <input> is removed; only the two task checkboxes remain.
    assert [box.get("type") for box in tree.xpath("//input")] == ["checkbox"] * 2
    assert all(box.get("disabled") is not None for box in tree.xpath("//input"))
    assert [image.get("loading") for image in tree.xpath("//img")] == ["lazy", "lazy"]


def test_stylesheet_covers_light_and_dark_themes() -> None:
    css = stylesheet()
    assert ".highlight .k {" in css
    assert "@media (prefers-color-scheme: dark)" in css
    assert '[data-theme="dark"] .highlight .k {' in css


def test_committed_stylesheet_is_current() -> None:
    assert CODE_CSS.is_file(), f"{CODE_CSS} is missing; regenerate it with:\n{REGENERATE_CSS}"
    assert CODE_CSS.read_text(encoding="utf-8") == stylesheet(), (
        f"{CODE_CSS.name} is out of date; regenerate it with:\n{REGENERATE_CSS}"
    )
