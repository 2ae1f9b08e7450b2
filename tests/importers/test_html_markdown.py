"""The HTML-to-Markdown converter every HTML source shares, rule by rule."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from linernotes.content.markdown import render_markdown
from linernotes.importers.html_markdown import html_to_markdown


def md(html: str) -> str:
    return html_to_markdown(html).markdown


def rendered(markdown: str) -> BeautifulSoup:
    return BeautifulSoup(render_markdown(markdown).html, "html.parser")


def test_headings_are_atx_and_paragraphs_are_separated_by_one_blank_line() -> None:
    assert md("<h1>One</h1><p>First</p>\n\n\n<p>Second</p><h3>Three</h3>") == (
        "# One\n\nFirst\n\nSecond\n\n### Three\n"
    )


def test_heading_id_is_kept_only_when_it_differs_from_the_sites_own() -> None:
    markdown = md('<h2 id="what-s-next">What’s next</h2><h2 id="intro">Intro</h2>')
    assert markdown == "## What’s next {#what-s-next}\n\n## Intro\n"


def test_repeated_heading_ids_follow_the_sites_numbering() -> None:
    markdown = md('<h2 id="setup">Setup</h2><h2 id="setup-1">Setup</h2><h2 id="x">Setup</h2>')
    assert markdown == "## Setup\n\n## Setup\n\n## Setup {#x}\n"


def test_heading_text_ending_in_braces_is_not_read_as_attributes() -> None:
    assert md("<h2>Sets {a}</h2>") == "## Sets \\{a}\n"


def test_emphasis_strong_strikethrough_and_inline_code() -> None:
    markdown = md("<p><em>a</em> <strong>b</strong> <del>c</del> <s>d</s> <code>e`f</code></p>")
    assert markdown == "*a* **b** ~~c~~ ~~d~~ `` e`f ``\n"


@pytest.mark.parametrize(
    "text",
    [
        "*not emphasis*",
        "_nor this_",
        "[not](a link)",
        "# not a heading",
        "1. not a list",
        "- nor this",
        "+ nor this",
        "<b>not a tag</b>",
        "`not code`",
        "a | b",
        "&amp; stays literal",
        "~~not struck~~",
        "back\\slash",
    ],
)
def test_text_that_looks_like_markup_stays_text(text: str) -> None:
    html = "<p>" + text.replace("&", "&amp;").replace("<", "&lt;") + "</p>"
    paragraph = rendered(md(html)).find("p")
    assert paragraph is not None
    assert paragraph.get_text() == text
    assert paragraph.find(True) is None


def test_links_keep_their_title_and_awkward_addresses() -> None:
    markdown = md('<p><a href="https://x.test/a b(c)" title="Say &quot;hi&quot;">go</a></p>')
    assert markdown == '[go](<https://x.test/a b(c)> "Say \\"hi\\"")\n'
    link = rendered(markdown).find("a")
    assert link["href"] == "https://x.test/a%20b(c)"
    assert link["title"] == 'Say "hi"'


def test_nested_and_numbered_lists() -> None:
    markdown = md('<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul><ol start="3"><li>x</li></ol>')
    assert markdown == "- a\n  - b\n- c\n\n3. x\n"


def test_blockquote_with_paragraphs() -> None:
    assert md("<blockquote><p>q</p><p>r</p></blockquote>") == "> q\n>\n> r\n"


def test_simple_table_becomes_a_pipe_table() -> None:
    result = html_to_markdown(
        "<table><thead><tr><th>A</th><th>B</th></tr></thead>"
        "<tbody><tr><td>1 | 2</td><td><b>3</b></td></tr></tbody></table>"
    )
    assert result.markdown == "| A | B |\n| --- | --- |\n| 1 \\| 2 | **3** |\n"
    assert result.kept_html == []
    cells = [cell.get_text() for cell in rendered(result.markdown).find_all("td")]
    assert cells == ["1 | 2", "3"]


def test_table_without_header_row_gets_an_empty_one() -> None:
    markdown = md("<table><tr><td>1</td><td>2</td></tr></table>")
    assert markdown == "|  |  |\n| --- | --- |\n| 1 | 2 |\n"


@pytest.mark.parametrize(
    "table",
    [
        '<table><tr><td colspan="2">wide</td></tr><tr><td>a</td><td>b</td></tr></table>',
        '<table><tr><td rowspan="2">tall</td></tr></table>',
        "<table><tr><td><ul><li>list in a cell</li></ul></td></tr></table>",
        "<table><tr><td><table><tr><td>inner</td></tr></table></td></tr></table>",
    ],
)
def test_complex_table_is_kept_as_html_and_listed(table: str) -> None:
    result = html_to_markdown(table + "<p>after</p>")
    assert result.markdown.startswith("<table>")
    assert result.markdown.endswith("\n\nafter\n")
    assert len(result.kept_html) == 1
    assert "<table>" in result.kept_html[0]


def test_images_keep_alt_and_title_and_are_listed() -> None:
    result = html_to_markdown('<p><img src="/up/a.jpg" alt="A [b]" title="T"></p>')
    assert result.markdown == '![A \\[b\\]](/up/a.jpg "T")\n'
    assert result.images == ["/up/a.jpg"]


def test_figure_caption_becomes_an_italic_line_under_the_image() -> None:
    markdown = md(
        '<figure><img src="/a.jpg" alt="A"><figcaption>A <b>cat</b></figcaption></figure>'
    )
    assert markdown == "![A](/a.jpg)\n\n*A **cat***\n"


@pytest.mark.parametrize(
    ("html", "language"),
    [
        ('<pre><code class="language-python">x = 1</code></pre>', "python"),
        ('<pre class="lang-go">x := 1</pre>', "go"),
        ('<pre class="brush: ruby; gutter: false">x = 1</pre>', "ruby"),
        ('<pre data-language="Rust">let x = 1;</pre>', "rust"),
        ('<pre class="wp-block-code"><code>x = 1</code></pre>', ""),
    ],
)
def test_code_blocks_are_fenced_with_their_language(html: str, language: str) -> None:
    markdown = md(html)
    assert markdown.startswith(f"```{language}\n")
    assert markdown.endswith("\n```\n")


def test_code_block_keeps_markup_characters_and_blank_lines() -> None:
    markdown = md("<pre><code>a *b* &lt;c&gt;\n\n\n```\nd</code></pre>")
    assert markdown == "````\na *b* <c>\n\n\n```\nd\n````\n"


def test_line_breaks_become_hard_breaks_but_not_at_the_end_of_a_paragraph() -> None:
    assert md("<p>a<br>b<br></p>") == "a\\\nb\n"


def test_horizontal_rule() -> None:
    assert md("<p>a</p><hr><p>b</p>") == "a\n\n---\n\nb\n"


def test_video_frames_become_privacy_friendly_embeds() -> None:
    result = html_to_markdown('<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>')
    frame = rendered(result.markdown).find("iframe")
    assert frame["src"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert result.kept_html == []


@pytest.mark.parametrize(
    "html",
    [
        '<iframe src="https://maps.example/embed"></iframe>',
        "<script>alert(1)</script>",
        "<style>p { color: red }</style>",
        '<form action="/x"><input name="q"></form>',
    ],
)
def test_frames_scripts_forms_and_styles_are_dropped_and_listed(html: str) -> None:
    result = html_to_markdown(f"<p>before</p>{html}<p>after</p>")
    assert result.markdown == "before\n\nafter\n"
    assert len(result.kept_html) == 1
    assert result.kept_html[0].endswith("dropped")


def test_what_markdown_cannot_say_is_kept_as_html_without_blank_lines() -> None:
    result = html_to_markdown(
        "<details><summary>More</summary>\n\n<p>x</p></details><p>H<sub>2</sub>O</p>"
    )
    assert (
        result.markdown
        == "<details><summary>More</summary>\n<p>x</p></details>\n\nH<sub>2</sub>O\n"
    )
    assert len(result.kept_html) == 2
    html = rendered(result.markdown)
    assert html.find("details") is not None or "More" in html.get_text()


def test_footnote_references_and_notes_become_markdown_footnotes() -> None:
    html = (
        '<p>Claim<sup id="fnref1"><a href="#fn1">1</a></sup>.</p>'
        '<div class="footnotes"><hr><ol><li id="fn1">Source <a href="#fnref1">↩</a></li></ol></div>'
    )
    markdown = md(html)
    assert markdown == "Claim[^1].\n\n[^1]: Source\n"
    notes = rendered(markdown).find("section", class_="footnotes")
    assert notes is not None
    assert "Source" in notes.get_text()


def test_wordpress_footnotes_block_is_recognised() -> None:
    html = (
        '<p>Text<sup data-fn="a1" class="fn"><a href="#a1" id="a1-link">1</a></sup></p>'
        '<ol class="wp-block-footnotes"><li id="a1">Note <a href="#a1-link">↩︎</a></li></ol>'
    )
    assert md(html) == "Text[^1]\n\n[^1]: Note\n"


def test_unmatched_superscript_links_are_kept() -> None:
    result = html_to_markdown('<p>x<sup><a href="#nowhere">1</a></sup></p>')
    assert "[^" not in result.markdown
    assert "<sup>" in result.markdown


def test_output_has_no_trailing_spaces_and_one_final_newline() -> None:
    markdown = md("<p>a   </p>\n\n<p>  b</p>   <div><p>c</p></div>\n\n\n")
    assert markdown == "a\n\nb\n\nc\n"


def test_empty_input_gives_empty_markdown() -> None:
    assert html_to_markdown("  \n").markdown == ""


def test_very_deep_nesting_is_kept_rather_than_recursed() -> None:
    result = html_to_markdown("<div>" * 3000 + "deep" + "</div>" * 3000)
    assert "deep" in result.markdown
    assert any("nested too deeply" in line for line in result.kept_html)


def test_large_body_converts_in_proportion_to_its_size() -> None:
    chunk = (
        '<h2>T</h2><p>Some <b>bold</b> text_1 and <a href="/x">a link</a>.</p><ul><li>i</li></ul>'
    )
    small = len(md(chunk * 100))
    large = md(chunk * 10_000)  # about a megabyte of HTML
    assert len(large) == pytest.approx(small * 100, rel=0.01)
    assert large.count("\n## T\n") == 10_000 - 1
