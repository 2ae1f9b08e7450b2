"""Rendering costs time in proportion to the body, whatever its shape.

Timings are compared with themselves rather than with a clock: rendering four times the input
must take about four times as long, never sixteen (docs/benchmarks.md has the measurements).
The shapes are those that were once quadratic, in markdown-it plugins, in the word count or in
the HTML5 parser behind the sanitiser, plus others that stress the same machinery.
"""

from __future__ import annotations

import gc
import re
import time
from collections.abc import Callable
from functools import partial

import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st

from linernotes.content.markdown import RAW_HTML_TAG_LIMIT, render_markdown
from linernotes.content.text import count_words

# Linear code grows 4x on 4x the input; quadratic code 16x. The margin absorbs a busy machine.
EMBED = (
    '\n<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="t" width="560"'
    ' height="315" loading="lazy" allowfullscreen></iframe>\n\n'
)
MAX_GROWTH = 8.0
MIN_SMALL_SECONDS = 0.02


def cpu_seconds(function: Callable[[], object]) -> float:
    """The least processor time of three runs, with the collector out of the way."""
    best = float("inf")
    for _ in range(3):
        gc.collect()
        gc.disable()
        try:
            start = time.process_time()
            function()
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best


def growth(make: Callable[[int], str], size: int) -> float:
    """How much longer four times the input takes, from a small input that is not too small.

    The size doubles until the small render takes long enough that scheduling and timer noise
    on a shared machine is a small part of it.
    """
    while True:
        small = make(size)
        small_seconds = cpu_seconds(partial(render_markdown, small))
        if small_seconds >= MIN_SMALL_SECONDS:
            break
        size *= 2
    large = make(4 * size)
    return cpu_seconds(partial(render_markdown, large)) / small_seconds


SHAPES = {
    "punctuation": (lambda n: "." * n, 4_000),
    "identical headings": (lambda n: "## Same\n\n" * n, 500),
    "task list": (lambda n: "- [ ] write it\n" * n, 1_000),
    "unclosed divs": (lambda n: "<div>x" * n, 8_000),
    "unclosed list items": (lambda n: "<ul><li>x" * n, 1_500),
    "brackets": (lambda n: "[" * n, 4_000),
    "images in brackets": (lambda n: "![" * n, 2_000),
    "emphasis delimiters": (lambda n: "*a **b " * n, 1_000),
    "table rows": (lambda n: "| a | b |\n|:-|-:|\n" + "| 1 | 2 |\n" * n, 1_000),
    "footnotes": (lambda n: "".join(f"x[^{i}]\n\n[^{i}]: note\n\n" for i in range(n)), 300),
    "nested quotes": (lambda n: ">" * 30 + " deep\n\n" + "> q\n\n" * n, 1_000),
    "headings naming ids": (lambda n: "## Same {#same}\n\n" * n, 500),
    "tildes": (lambda n: "~" * n, 20_000),
    "tilde pairs": (lambda n: "~a~~ ~b " * n, 1_000),
    "bare addresses": (lambda n: "www.example.com/a *b* " * n, 1_000),
    "schemes without links": (lambda n: "x!://" * n, 2_000),
    "schemes without hosts": (lambda n: "http://!" * n, 2_000),
    "addresses in one word": (lambda n: "http://a.io/*" * n, 500),
    "www addresses in one word": (lambda n: "www.a.io/*" * n, 500),
    "addresses in words": (lambda n: ("http://a.io/*" * 150 + " ") * n, 4),
    "embeds": (lambda n: EMBED * n, 200),
    "frames in text": (lambda n: f"a {EMBED.strip()} b " * n, 200),
}


@pytest.mark.parametrize(("make", "size"), SHAPES.values(), ids=SHAPES.keys())
def test_rendering_grows_linearly(make: Callable[[int], str], size: int) -> None:
    assert growth(make, size) < MAX_GROWTH


def test_ten_thousand_identical_headings_get_ten_thousand_ids() -> None:
    tree = lxml.html.fragment_fromstring(
        render_markdown("## Same\n\n" * 10_000).html, create_parent="div"
    )
    headings = tree.xpath("//h2")
    expected = ["same", *(f"same-{number}" for number in range(1, 10_000))]
    assert [heading.get("id") for heading in headings] == expected
    links = [heading.find("a").get("href") for heading in headings]
    assert links == [f"#{slug}" for slug in expected]


def test_numbered_titles_do_not_collide_with_numbered_duplicates() -> None:
    tree = lxml.html.fragment_fromstring(
        render_markdown("## A\n\n## A 1\n\n## A\n\n## A-2\n\n## A\n").html, create_parent="div"
    )
    assert [h2.get("id") for h2 in tree.xpath("//h2")] == ["a", "a-1", "a-2", "a-2-1", "a-3"]


@given(st.text(alphabet=st.sampled_from(" \n\t\u00a0.,-—_a1é"), max_size=40))
def test_the_word_count_is_the_one_it_always_was(text: str) -> None:
    # The rule stays "a run of non-space characters with a word character in it".
    assert count_words(text) == len(re.findall(r"\S*\w\S*", text))


def test_raw_html_past_the_limit_is_shown_as_text() -> None:
    pairs = RAW_HTML_TAG_LIMIT // 2
    result = render_markdown("Press <kbd>K</kbd>. " * (pairs + 10))
    tree = lxml.html.fragment_fromstring(result.html, create_parent="div")
    assert len(tree.xpath("//kbd")) == pairs
    assert result.text.count("<kbd>K</kbd>") == 10


def test_unclosed_formatting_elements_cannot_multiply_the_output() -> None:
    # The HTML5 parser copies open formatting elements into each block that follows them.
    opened = "".join(f"<b title={n}>" for n in range(400))
    source = f"<div>{opened}</div>" + "<div>y</div>" * 400
    html = render_markdown(source).html
    assert len(html) < 20 * len(source)


def test_a_hundred_thousand_headings_naming_one_id_get_unique_ids() -> None:
    html = render_markdown("## Step {#step}\n" * 100_000).html
    ids = re.findall(r'<h2 id="([^"]+)">', html)
    assert ids == ["step", *(f"step-{number}" for number in range(1, 100_000))]


def test_a_megabyte_of_tildes_stays_text() -> None:
    # After a word, so that the run is not a code fence.
    source = "Tildes " + "~" * 1_000_000
    result = render_markdown(source)
    assert "<del>" not in result.html
    assert result.text == source


def test_a_megabyte_of_bare_addresses_is_linked() -> None:
    count = 1_000_000 // len("www.example.com ")
    html = render_markdown("www.example.com " * count).html
    assert html.count('<a href="http://www.example.com">www.example.com</a>') == count


def test_a_thousand_embeds_all_render() -> None:
    html = render_markdown(EMBED * 1_000).html
    assert html.count('<div class="embed"><iframe ') == 1_000
