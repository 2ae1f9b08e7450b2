"""What imported posts need of the pipeline: GitHub's autolinks and strikethrough, ids for every
heading (also ones a heading names itself), and video embeds that only two players may fill.

The GFM 0.29 spec's autolink and strikethrough examples run the way the CommonMark ones do.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from django.test import Client
from lxml.html import HtmlElement

from linernotes.content.addresses import absolute_links
from linernotes.content.markdown import heading_id, render_markdown
from linernotes.content.sanitise import frames_as_links, sanitise_html
from linernotes.importers.embeds import vimeo, youtube
from linernotes.newsletter.emails import render_post
from tests.content.test_commonmark_spec import normalise
from tests.factories import CategoryFactory, PostFactory
from tests.seo.validators import parse_feed
from tests.shared_data import shared_file

REPOSITORY = Path(__file__).resolve().parents[2]
GFM_EXTENSIONS = {"autolink", "strikethrough"}

# linkify-it, which finds bare addresses, takes only hosts under a top-level domain it knows;
# GitHub takes any name with a dot in it.
UNKNOWN_DOMAIN = "e-mail address under a made-up top-level domain (.baz, .example, .b) stays text"
GFM_DIFFERENCES: dict[int, str] = {
    625: "linkify-it ends an address at a ')' closing its '(' even if more text follows",
    626: "linkify-it keeps a trailing '&name;' in the address, GitHub leaves it as text",
    628: "ftp:// addresses stay text: a link could not keep an ftp address in the sanitiser",
    **dict.fromkeys((629, 630, 631), UNKNOWN_DOMAIN),
}

YOUTUBE_SRC = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
VIMEO_SRC = "https://player.vimeo.com/video/76979871?dnt=1"
WATCH_URL = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
FRAME_POLICY = {
    "referrerpolicy": "strict-origin-when-cross-origin",
    "sandbox": "allow-scripts allow-same-origin allow-presentation",
}


def tree(html: str) -> HtmlElement:
    return lxml.html.fragment_fromstring(html, create_parent="div")


def render_tree(source: str) -> HtmlElement:
    return tree(render_markdown(source).html)


def gfm_examples() -> list[dict[str, Any]]:
    path = shared_file("testdata/markdown-spec/gfm-0.29/spec.json")
    examples: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return [example for example in examples if GFM_EXTENSIONS & set(example["extensions"])]


EXAMPLES = gfm_examples()


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: str(example["example"]))
def test_gfm_extension_example(example: dict[str, Any]) -> None:
    actual = normalise(render_markdown(example["markdown"]).html)
    expected = normalise(example["html"])
    if example["example"] in GFM_DIFFERENCES:
        assert actual != expected, f"Example {example['example']} now matches; unlist it."
    else:
        assert actual == expected, f"Markdown: {example['markdown']!r}"


def test_gfm_differences_are_autolink_or_strikethrough_examples() -> None:
    assert len(EXAMPLES) == 13
    assert set(GFM_DIFFERENCES) <= {example["example"] for example in EXAMPLES}


@pytest.mark.parametrize(
    ("source", "struck"),
    [
        ("~one~ and ~~two~~", ["one", "two"]),
        ("~~~three~~~ and ~~~~four~~~~", []),
        ("No ~mismatch~~ here", []),
        ("This ~is ~ legit~", ["is ~ legit"]),
    ],
)
def test_one_or_two_tildes_strike_as_del(source: str, struck: list[str]) -> None:
    result = render_tree(source)
    assert [element.text_content() for element in result.xpath("//del")] == struck
    assert result.xpath("//s") == []


def test_struck_and_inserted_html_is_kept() -> None:
    html = sanitise_html("<p><del>a</del> <s>b</s> <ins>c</ins></p>")
    assert [element.tag for element in tree(html).xpath("//p/*")] == ["del", "s", "ins"]


@pytest.mark.parametrize(
    ("source", "href"),
    [
        ("Visit www.example.com today", "http://www.example.com"),
        ("See https://example.com/a_b_c.", "https://example.com/a_b_c"),
        ("Mail ops@example.com", "mailto:ops@example.com"),
    ],
)
def test_bare_addresses_become_links(source: str, href: str) -> None:
    links = render_tree(source).xpath("//a")
    assert [link.get("href") for link in links] == [href]


@pytest.mark.parametrize(
    "source",
    [
        "Edit setup.py and README.md",
        "Protocol-relative //example.com",
        "ftp://example.com/file",
        "javascript:alert(1)//example.com",
        "`www.example.com` in code",
        "[already linked](https://example.org) and <a href='/x'>www.example.com</a>",
    ],
)
def test_only_what_github_links_becomes_a_link(source: str) -> None:
    hrefs = [link.get("href") for link in render_tree(source).xpath("//a")]
    assert all(href in {"https://example.org", "/x"} for href in hrefs), hrefs


def test_linked_addresses_keep_the_link_rules() -> None:
    # The sanitiser sees linked addresses like any other link: no target, no rel, no scheme
    # outside the allow-list.
    link = render_tree("www.example.com").xpath("//a")[0]
    assert dict(link.attrib) == {"href": "http://www.example.com"}


def test_every_heading_level_gets_an_id() -> None:
    source = "# One\n\n## Two\n\n### Three\n\n#### Four\n\n##### Five\n\n###### Six\n"
    headings = render_tree(source).xpath("//h1|//h2|//h3|//h4|//h5|//h6")
    assert [heading.get("id") for heading in headings] == [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
    ]
    with_permalinks = [heading.tag for heading in headings if heading.xpath("./a")]
    assert with_permalinks == ["h2", "h3", "h4"]


def test_a_heading_names_its_own_id() -> None:
    result = render_tree("## What's next {#what-s-next}\n\n### Ünïcode ok {#über_1}\n")
    h2, h3 = result.xpath("//h2")[0], result.xpath("//h3")[0]
    assert (h2.get("id"), h2.text) == ("what-s-next", "What's next")
    assert h2.find("a").get("href") == "#what-s-next"
    assert "{#" not in h2.text_content()
    assert (h3.get("id"), h3.text) == ("über_1", "Ünïcode ok")


@pytest.mark.parametrize(
    "source",
    [
        "## Title {#has space}",
        '## Title {#x"onclick="y}',
        "## Title {#<b>}",
        "## Title{#glued}",
        r"## Title \{#escaped}",
        "## {#alone}",
        "## Title {#-leading}",
    ],
)
def test_an_invalid_custom_id_is_left_as_text(source: str) -> None:
    heading = render_tree(source).xpath("//h2")[0]
    assert "{#" in heading.text_content()
    assert heading.get("id") == heading_id(heading.text_content().removesuffix("#"))


def test_custom_ids_are_still_unique_and_avoid_the_pages_ids() -> None:
    source = "## Intro\n\n## Introduction {#intro}\n\n## Again {#intro}\n\n## Skip {#main}\n"
    ids = [heading.get("id") for heading in render_tree(source).xpath("//h2")]
    # An id a heading names wins over one generated from an earlier heading's text.
    assert ids == ["intro-2", "intro", "intro-1", "main-1"]


@pytest.mark.parametrize(
    "title",
    ["Getting started", "What's next?", "  Spaced  out ", "Ünïcode & émoji 🚀", "???", "C++/Rust"],
)
def test_heading_id_is_the_id_the_pipeline_generates(title: str) -> None:
    heading = render_tree(f"### {title.strip()}\n").xpath("//h3")[0]
    assert heading.get("id") == heading_id(title.strip())


def embed_of(source: str) -> HtmlElement:
    wrappers = render_tree(source).xpath("//div[@class='embed']")
    assert len(wrappers) == 1
    frames = wrappers[0].xpath("./iframe")
    assert len(frames) == 1
    frame: HtmlElement = frames[0]
    return frame


@pytest.mark.parametrize(
    ("markdown", "src", "title"),
    [
        (youtube("https://youtu.be/dQw4w9WgXcQ", "Launch & demo"), YOUTUBE_SRC, "Launch & demo"),
        (vimeo("https://vimeo.com/76979871"), VIMEO_SRC, "Vimeo video"),
    ],
)
def test_the_importers_embeds_survive_rendering(markdown: str | None, src: str, title: str) -> None:
    assert markdown is not None
    frame = embed_of(f"Before.\n{markdown}After.")
    assert dict(frame.attrib) == {
        "src": src,
        "title": title,
        "width": "560",
        "height": "315",
        "loading": "lazy",
        "allowfullscreen": "",
        **FRAME_POLICY,
    }


def test_an_embed_renders_the_same_every_time_and_survives_sanitising_again() -> None:
    html = render_markdown(youtube("dQw4w9WgXcQ", "T") or "").html
    assert render_markdown(youtube("dQw4w9WgXcQ", "T") or "").html == html
    assert sanitise_html(html) == html


def test_a_youtube_start_time_is_allowed() -> None:
    frame = embed_of(f'<iframe src="{YOUTUBE_SRC}?start=30" title="t"></iframe>')
    assert frame.get("src") == f"{YOUTUBE_SRC}?start=30"


def test_embeds_do_not_count_against_the_raw_html_limit() -> None:
    source = "<kbd>x</kbd>" * 600 + "\n\n" + (youtube("dQw4w9WgXcQ") or "")
    assert len(render_tree(source).xpath("//div[@class='embed']/iframe")) == 1


HOSTILE_FRAMES = [
    pytest.param('<iframe src="https://evil.example/embed/dQw4w9WgXcQ"></iframe>', id="host"),
    pytest.param(
        '<iframe src="http://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></iframe>', id="http"
    ),
    pytest.param('<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>', id="cookies"),
    pytest.param('<iframe src="https://player.vimeo.com/video/76979871"></iframe>', id="no-dnt"),
    pytest.param('<iframe src="javascript:alert(1)"></iframe>', id="javascript"),
    pytest.param('<iframe srcdoc="<script>alert(1)</script>"></iframe>', id="srcdoc"),
    pytest.param(f'<iframe src="{YOUTUBE_SRC}" srcdoc="<b>x</b>"></iframe>', id="src-and-srcdoc"),
    pytest.param("<iframe>fallback</iframe>", id="no-src"),
    pytest.param(f'<iframe src="{YOUTUBE_SRC}x"></iframe>', id="long-id"),
    pytest.param(f'<iframe src="{YOUTUBE_SRC}?autoplay=1"></iframe>', id="other-query"),
    pytest.param(f'<iframe src="{YOUTUBE_SRC}?start=1&amp;x=2"></iframe>', id="extra-query"),
    pytest.param(f'<iframe src="{YOUTUBE_SRC}/../../x"></iframe>', id="path"),
    pytest.param(f'<iframe src=" {YOUTUBE_SRC}"></iframe>', id="space"),
    pytest.param(f'<IFRAME SRC="https://evil.example/{YOUTUBE_SRC}"></IFRAME>', id="upper"),
    pytest.param(
        '<iframe src="https://www.youtube-nocookie.com.evil.example/embed/dQw4w9WgXcQ">',
        id="suffix",
    ),
]


@pytest.mark.parametrize("source", HOSTILE_FRAMES)
def test_other_frames_are_removed_entirely(source: str) -> None:
    result = render_tree(f"{source}\n\nText {source} more\n\n<div>{source}</div>\n")
    assert result.xpath("//iframe") == []
    assert result.xpath("//div[@class='embed']") == []
    assert "fallback" not in result.text_content()


def test_an_allowed_frame_loses_every_other_attribute() -> None:
    source = (
        f'<iframe src="{YOUTUBE_SRC}" onload="alert(1)" allow="camera" style="x" class="site"'
        ' loading="eager" sandbox="allow-top-navigation" referrerpolicy="unsafe-url" name="n">'
        "</iframe>"
    )
    frames = render_tree(source).xpath("//iframe")
    assert [dict(frame.attrib) for frame in frames] == [
        {"src": YOUTUBE_SRC, "loading": "lazy", **FRAME_POLICY}
    ]


def test_a_frame_in_an_attribute_value_is_only_text() -> None:
    source = f'<a title="<iframe x>" href="/a">a</a> "b" <iframe src="{VIMEO_SRC}"></iframe> "c"'
    result = render_tree(source)
    assert result.xpath("//a")[0].get("title") == "<iframe x>"
    assert [frame.get("src") for frame in result.xpath("//iframe")] == [VIMEO_SRC]
    assert result.text_content().count('"') == 4


def test_the_stylesheet_keeps_embeds_at_sixteen_by_nine() -> None:
    css = (REPOSITORY / "linernotes/site/static/linernotes/site.css").read_text(encoding="utf-8")
    assert ".prose .embed { margin: 1.5rem 0; aspect-ratio: 16 / 9; }" in css


def test_frames_become_links_to_the_videos_for_feeds_and_mail() -> None:
    body = render_markdown(
        (youtube("dQw4w9WgXcQ", "Launch & demo") or "")
        + (vimeo("76979871") or "")
        + f'Inline <iframe src="{YOUTUBE_SRC}?start=30"></iframe> frame.\n'
    ).html
    result = tree(absolute_links(body, "https://blog.example.com/2025/01/post/"))
    assert result.xpath("//iframe") == []
    links = [(link.get("href"), link.text) for link in result.xpath("//a")]
    assert links == [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "Launch & demo"),
        ("https://vimeo.com/76979871", "Vimeo video"),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=30s", "Watch the video on YouTube"),
    ]
    assert [p.tag for p in result.xpath("//p[a]")] == ["p", "p", "p"]
    assert frames_as_links("<p>No frames</p>") == "<p>No frames</p>"


@pytest.mark.django_db
def test_the_policy_lets_only_the_two_players_be_framed(client: Client) -> None:
    header = client.get("/")["Content-Security-Policy"]
    directives = {name: sources for name, *sources in (d.split() for d in header.split(";"))}
    assert directives["frame-src"] == [
        "'self'",
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ]
    assert directives["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_feeds_and_emails_link_to_an_embedded_video(client: Client) -> None:
    post = PostFactory.create(
        title="Launch",
        body=f"Watch it.\n{youtube('dQw4w9WgXcQ', 'Launch demo')}Done.",
        categories=[CategoryFactory.create()],
    )
    assert '<div class="embed"><iframe' in post.body_html
    feed = get_json_feed(client)
    rss = parse_feed(client.get("/feed/").content)
    email = render_post(post)
    # feedparser drops frames itself, so the JSON feed shows what the site sends.
    for html in (feed["items"][0]["content_html"], rss.entries[0].content[0].value, email.html):
        assert "<iframe" not in html
        links = lxml.html.document_fromstring(html).xpath("//a[text()='Launch demo']")
        assert [link.get("href") for link in links] == [WATCH_URL]
    assert "Launch demo" in email.text
    assert WATCH_URL in email.text


def get_json_feed(client: Client) -> dict[str, Any]:
    response = client.get("/feed/json/")
    assert response.status_code == 200
    document: dict[str, Any] = json.loads(response.content)
    return document
