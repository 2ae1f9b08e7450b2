"""The Ghost source: real exports of every Ghost version, and small documents written here."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from mdit_py_plugins.anchors.index import slugify

from linernotes.importers.ghost_content import (
    HeadingAnchors,
    ghost_heading_id,
    lexical_to_markdown,
    mobiledoc_to_markdown,
)
from linernotes.importers.records import ImportedSite, PostStatus, UnreadableSource
from linernotes.importers.sources import ghost
from tests.shared_data import shared_file

FIXTURES = "testdata/ghost/ghost-core-4.12"
READABLE = [
    "export_v2_export.json",
    "export_v3_export.json",
    "export_v4_export.json",
    "export_valid.json",
    "import_import-data-1.json",
    "import_import-data-lts.json",
]
BROKEN = ["export_broken.json"]
NOW = datetime(2024, 6, 1, tzinfo=UTC)


def _raw_tables(document: dict[str, Any]) -> dict[str, Any]:
    if "db" in document:
        return dict(document["db"][0]["data"])
    data = document["data"]
    return dict(data["data"]) if "posts" not in data else dict(data)


def test_the_fixture_folder_holds_the_files_these_tests_know() -> None:
    folder = shared_file(FIXTURES)
    assert sorted(path.name for path in folder.glob("*.json")) == sorted(READABLE + BROKEN)


@pytest.mark.parametrize("name", READABLE)
def test_every_export_reads_with_the_counts_of_its_json(name: str) -> None:
    path = shared_file(f"{FIXTURES}/{name}")
    tables = _raw_tables(json.loads(path.read_text()))
    pages = [p for p in tables["posts"] if p.get("type") == "page" or p.get("page") in (1, True)]
    tags = [t for t in tables.get("tags", []) if not t["name"].startswith("#")]

    site = ghost.read(path, now=NOW)

    assert len(site.posts) == len(tables["posts"]) - len(pages)
    assert len(site.pages) == len(pages)
    assert len(site.categories) == len(tags)
    assert len(site.authors) == len(tables.get("users", []))
    assert site.source == "ghost"
    assert site.origin == f"ghost:{name}"
    assert all(post.body.strip() for post in site.posts)
    assert all(post.key.startswith("post:") and post.old_paths for post in site.posts)


@pytest.mark.parametrize("name", BROKEN)
def test_a_broken_export_is_unreadable_and_names_the_file(name: str) -> None:
    path = shared_file(f"{FIXTURES}/{name}")
    with pytest.raises(UnreadableSource) as raised:
        ghost.read(path)
    assert name in str(raised.value)
    assert "data.posts" in raised.value.problem


def test_the_v4_export_keeps_its_metadata() -> None:
    site = ghost.read(shared_file(f"{FIXTURES}/export_v4_export.json"), now=NOW)
    welcome = next(post for post in site.posts if post.slug == "welcome")
    assert welcome.status == PostStatus.PUBLISHED
    assert welcome.published_at == datetime(2021, 3, 24, 4, 34, 15, tzinfo=UTC)
    assert welcome.summary.startswith("We've crammed the most important information")
    assert welcome.category_keys == ["tag:605ac140a2d5a6aa9e101e63"]
    assert [credit.author_key for credit in welcome.credits] == ["user:5951f5fca366002ebd5dbef7"]
    assert welcome.old_paths == ["/welcome/", "/welcome/amp/"]
    assert welcome.hero_image is not None
    assert welcome.hero_image.url.startswith("https://static.ghost.org/")
    assert {page.slug for page in site.pages} == {"about", "contact", "privacy", "contribute"}
    assert site.categories[0].old_paths == ["/tag/getting-started/"]
    author = next(a for a in site.authors if a.slug == "ghost")
    assert (author.name, author.website) == ("Ghost", "https://ghost.org")
    assert author.avatar is not None
    assert author.avatar.url == "https://static.ghost.org/v4.0.0/images/ghost-user.png"


def test_ghost_heading_ids_match_those_in_every_exports_html() -> None:
    """The rule of each version, checked against the ids Ghost itself wrote."""
    checked = 0
    for name in READABLE[:4]:
        export = json.loads(shared_file(f"{FIXTURES}/{name}").read_text())["db"][0]
        major = int(export["meta"]["version"].split(".")[0])
        for post in export["data"]["posts"]:
            expected = re.findall(r'<h\d id="([^"]*)"', post["html"])
            body = mobiledoc_to_markdown(post["mobiledoc"], HeadingAnchors(major)).markdown
            found = []
            for line in body.splitlines():
                heading = re.fullmatch(r"#{1,6} (.*?)(?: \{#([^}]*)\})?", line)
                if heading:
                    title = " ".join(re.sub(r"[*\\]", "", heading.group(1)).split())
                    found.append(heading.group(2) or slugify(title))
            assert found == expected, post["slug"]
            checked += len(found)
    assert checked > 50


@pytest.mark.parametrize(
    ("text", "major", "kind", "expected"),
    [
        ("What's next", 3, "rich", "what-s-next"),
        ("What's next", 4, "rich", "whats-next"),
        ("Creating footnotes", 1, "markdown", "creatingfootnotes"),
        ("Tags & authors", 3, "rich", "tags-authors"),
        ("Tags & authors", 5, "rich", "tags-authors"),
        ("“Quoted” — text", 6, "rich", "quoted-text"),
    ],
)
def test_ghost_heading_id_rules(text: str, major: int, kind: str, expected: str) -> None:
    assert ghost_heading_id(text, major, kind) == expected


def test_a_heading_id_is_written_out_only_when_ghosts_differs_from_ours() -> None:
    anchors = HeadingAnchors(5)
    assert anchors.suffix("Getting help", 2, "rich") == ""
    assert anchors.suffix("What's next", 2, "rich") == ""
    assert HeadingAnchors(3).suffix("What's next", 2, "rich") == " {#what-s-next}"
    assert anchors.suffix("Tags & authors", 2, "rich") == " {#tags-authors}"
    # Liner Notes gives no id to a first-level heading, so Ghost's is always kept there.
    assert anchors.suffix("Overview", 1, "rich") == " {#overview}"
    # An id Ghost's rendered HTML recorded wins over the rule.
    recorded = HeadingAnchors(5, '<h2 id="custom-id">Getting help</h2>')
    assert recorded.suffix("Getting help", 2, "rich") == " {#custom-id}"


def _text(value: str, format_bits: int = 0) -> dict[str, Any]:
    return {"type": "text", "text": value, "format": format_bits}


def _lexical(*children: dict[str, Any]) -> str:
    return json.dumps({"root": {"type": "root", "children": list(children)}})


LEXICAL = _lexical(
    {"type": "heading", "tag": "h2", "children": [_text("Tags & authors")]},
    {
        "type": "paragraph",
        "children": [
            _text("bold", 1),
            _text(" "),
            _text("italic", 2),
            _text(" "),
            _text("gone", 4),
            _text(" "),
            _text("call()", 16),
            {"type": "linebreak"},
            {"type": "link", "url": "https://example.com/", "children": [_text("a link")]},
        ],
    },
    {
        "type": "list",
        "listType": "bullet",
        "children": [
            {"type": "listitem", "children": [_text("outer")]},
            {
                "type": "listitem",
                "children": [
                    {
                        "type": "list",
                        "listType": "number",
                        "children": [{"type": "listitem", "children": [_text("inner")]}],
                    }
                ],
            },
        ],
    },
    {"type": "quote", "children": [_text("A quote")]},
    {"type": "code", "language": "python", "children": [_text("x = 1")]},
    {"type": "image", "src": "__GHOST_URL__/content/images/a.png", "alt": "A chart"},
    {"type": "markdown", "markdown": "Kept *as written*"},
    {"type": "html", "html": "<p>From <strong>HTML</strong></p>"},
    {"type": "codeblock", "code": "fn main() {}", "language": "rust"},
    {"type": "embed", "url": "https://www.youtube.com/watch?v=hmH3XMlms8E"},
    {"type": "embed", "url": "https://www.instagram.com/p/abc/"},
    {
        "type": "bookmark",
        "url": "https://ghost.org/",
        "metadata": {"title": "Ghost", "description": "Publishing"},
    },
    {"type": "callout", "calloutEmoji": "💡", "calloutText": "<p>Remember this</p>"},
    {"type": "toggle", "heading": "<span>More</span>", "content": "<p>Hidden text</p>"},
    {"type": "horizontalrule"},
    {"type": "gallery", "images": [{"src": "/g1.jpg", "alt": "One"}, {"src": "/g2.jpg"}]},
    {"type": "button", "buttonText": "Subscribe", "buttonUrl": "https://example.com/join"},
    {"type": "header", "header": "Big news", "subheader": "Read on"},
    {"type": "signup", "header": "Join us"},
    {"type": "mystery"},
)


def test_a_lexical_document_converts_every_card() -> None:
    body = lexical_to_markdown(LEXICAL, HeadingAnchors(5))
    markdown = body.markdown
    assert markdown.startswith("## Tags & authors {#tags-authors}\n")
    assert "**bold** *italic* ~~gone~~ `call()`" in markdown
    assert "[a link](https://example.com/)" in markdown
    assert "- outer\n  1. inner" in markdown
    assert "> A quote" in markdown
    assert "```python\nx = 1\n```" in markdown
    assert "![A chart](/content/images/a.png)" in markdown
    assert "Kept *as written*" in markdown
    assert "From **HTML**" in markdown
    assert "```rust\nfn main() {}\n```" in markdown
    assert "youtube-nocookie.com/embed/hmH3XMlms8E" in markdown
    assert "[https://www.instagram.com/p/abc/](https://www.instagram.com/p/abc/)" in markdown
    assert "> **[Ghost](https://ghost.org/)**\n> Publishing" in markdown
    assert "> 💡 Remember this" in markdown
    assert (
        "<details>\n<summary><span>More</span></summary>\n\nHidden text\n\n</details>" in markdown
    )
    assert "\n***\n" in markdown
    assert "![One](/g1.jpg)\n\n![](/g2.jpg)" in markdown
    assert "[Subscribe](https://example.com/join)" in markdown
    assert "**Big news**\n\nRead on" in markdown
    assert "Join us" in markdown
    notes = "\n".join(body.notes)
    for expected in ("instagram", "gallery of 2", "button", "header", "signup", "mystery"):
        assert expected in notes
    assert any("details" in kept for kept in body.kept_html)


MOBILEDOC = json.dumps(
    {
        "version": "0.3.1",
        "atoms": [["soft-return", "", {}]],
        "markups": [["strong"], ["em"], ["a", ["href", "https://example.com/"]], ["code"], ["s"]],
        "cards": [
            ["card-markdown", {"markdown": "## Legacy heading\n\nText"}],
            ["code", {"code": "SELECT 1;", "language": "sql"}],
            ["image", {"src": "/content/images/b.png", "alt": "Bee", "caption": "A caption"}],
            ["html", {"html": "<p>Raw <em>html</em></p>"}],
            ["embed", {"url": "https://vimeo.com/76979871", "html": "<iframe></iframe>"}],
            ["hr", {}],
            ["gallery", {"images": [{"src": "/c.jpg"}]}],
            ["bookmark", {"url": "https://example.org/", "metadata": {"title": "Example"}}],
        ],
        "sections": [
            [1, "h2", [[0, [], 0, "Tags & authors"]]],
            [
                1,
                "p",
                [
                    [0, [0], 1, "strong"],
                    [0, [], 0, " and "],
                    [0, [1], 1, "em"],
                    [1, [], 0, 0],
                    [0, [2], 0, "link "],
                    [0, [3], 2, "code"],
                    [0, [4], 1, " struck"],
                ],
            ],
            [1, "blockquote", [[0, [], 0, "Quoted"]]],
            [3, "ul", [[[0, [], 0, "one"]], [[0, [], 0, "two"]]]],
            [3, "ol", [[[0, [], 0, "first"]]]],
            *([10, index] for index in range(8)),
        ],
    }
)


def test_a_mobiledoc_document_converts_every_section_and_card() -> None:
    body = mobiledoc_to_markdown(MOBILEDOC, HeadingAnchors(2))
    markdown = body.markdown
    assert markdown.startswith("## Tags & authors {#tags-authors}\n")
    assert "**strong** and *em*\\\n[link `code`](https://example.com/) ~~struck~~" in markdown
    assert "> Quoted" in markdown
    assert "- one\n- two" in markdown
    assert "1. first" in markdown
    # Ghost before 4 gave Markdown headings ids without dashes.
    assert "## Legacy heading {#legacyheading}" in markdown
    assert "```sql\nSELECT 1;\n```" in markdown
    assert "![Bee](/content/images/b.png)\n\n*A caption*" in markdown
    assert "Raw *html*" in markdown
    assert "player.vimeo.com/video/76979871" in markdown
    assert "\n***\n" in markdown
    assert "![](/c.jpg)" in markdown
    assert "> **[Example](https://example.org/)**" in markdown
    assert any("gallery" in note for note in body.notes)


def test_an_unusable_document_is_refused() -> None:
    with pytest.raises(ValueError, match="nested more than"):
        lexical_to_markdown("[" * 500 + "]" * 500, HeadingAnchors(5))
    with pytest.raises(ValueError, match="no sections"):
        mobiledoc_to_markdown('{"version": "0.3.1"}', HeadingAnchors(4))


def _export(folder: Path, version: str = "5.80.0", **data: Any) -> Path:
    path = folder / "site.ghost.json"
    data.setdefault("posts", [])
    path.write_text(json.dumps({"db": [{"meta": {"version": version}, "data": data}]}))
    return path


def _post(ghost_id: str, **fields: Any) -> dict[str, Any]:
    row = {"id": ghost_id, "uuid": f"uuid-{ghost_id}", "title": f"Post {ghost_id}"}
    row |= {"slug": f"post-{ghost_id}", "type": "post", "status": "published"}
    row |= {"visibility": "public", "published_at": "2023-05-01T10:00:00.000Z"}
    row |= {"html": "<p>Hello</p>"}
    return row | fields


def _messages(site: ImportedSite, where: str) -> str:
    return "\n".join(notice.message for notice in site.notices if notice.where == where)


def test_co_authors_are_credited_in_ghosts_order(tmp_path: Path) -> None:
    users = [{"id": "u1", "name": "Ada", "slug": "ada"}, {"id": "u2", "name": "Bo", "slug": "bo"}]
    links = [
        {"post_id": "p1", "author_id": "u1", "sort_order": 1},
        {"post_id": "p1", "author_id": "u2", "sort_order": 0},
        {"post_id": "p1", "author_id": "gone", "sort_order": 2},
    ]
    path = _export(tmp_path, posts=[_post("p1")], users=users, posts_authors=links)
    site = ghost.read(path, now=NOW)
    assert [credit.author_key for credit in site.posts[0].credits] == ["user:u2", "user:u1"]
    assert "author gone is not among the export's users" in _messages(site, "post p1")


def test_the_first_tag_is_primary_and_internal_tags_are_skipped(tmp_path: Path) -> None:
    tags = [
        {"id": "t1", "name": "Data", "slug": "data"},
        {"id": "t2", "name": "Platform", "slug": "platform"},
        {"id": "t3", "name": "#hidden", "slug": "hash-hidden", "visibility": "internal"},
    ]
    links = [
        {"post_id": "p1", "tag_id": "t3", "sort_order": 0},
        {"post_id": "p1", "tag_id": "t1", "sort_order": 2},
        {"post_id": "p1", "tag_id": "t2", "sort_order": 1},
    ]
    site = ghost.read(_export(tmp_path, posts=[_post("p1")], tags=tags, posts_tags=links))
    assert [category.key for category in site.categories] == ["tag:t1", "tag:t2"]
    assert site.posts[0].category_keys == ["tag:t2", "tag:t1"]
    assert "internal tag #hidden was not imported" in _messages(site, "tag t3")


def test_members_only_posts_become_drafts_and_future_ones_are_scheduled(tmp_path: Path) -> None:
    posts = [
        _post("paid", visibility="paid"),
        _post("later", published_at="2030-01-01T00:00:00.000Z"),
        _post("draft", status="draft"),
    ]
    site = ghost.read(_export(tmp_path, posts=posts), now=NOW)
    status = {post.key: post.status for post in site.posts}
    assert status == {
        "post:paid": PostStatus.DRAFT,
        "post:later": PostStatus.SCHEDULED,
        "post:draft": PostStatus.DRAFT,
    }
    assert "members-only on Ghost (visibility paid)" in _messages(site, "post paid")


def test_an_old_export_with_markdown_epoch_dates_and_a_page_flag(tmp_path: Path) -> None:
    old = {"id": 7, "title": "About", "slug": "about", "page": 1, "status": "published"}
    old |= {"markdown": "# Hi\n\nText", "published_at": 1388318310783, "author_id": 1}
    path = _export(tmp_path, version="003", posts=[old], users=[{"id": 1, "name": "Owner"}])
    site = ghost.read(path, now=NOW)
    assert site.posts == []
    page = site.pages[0]
    assert (page.key, page.slug, page.published, page.old_paths) == (
        "post:7",
        "about",
        True,
        ["/about/"],
    )
    assert page.body.startswith("# Hi {#hi}\n")
    assert "converted from Ghost's markdown" in _messages(site, "post 7")


def test_an_unreadable_lexical_falls_back_to_mobiledoc_with_a_notice(tmp_path: Path) -> None:
    mobiledoc = json.dumps({"version": "0.3.1", "sections": [[1, "p", [[0, [], 0, "Kept"]]]]})
    post = _post("p1", lexical="{not json", mobiledoc=mobiledoc)
    site = ghost.read(_export(tmp_path, posts=[post]), now=NOW)
    assert site.posts[0].body == "Kept\n"
    assert "the body came from mobiledoc" in _messages(site, "post p1")


def test_images_resolve_to_files_beside_the_export(tmp_path: Path) -> None:
    images = tmp_path / "content" / "images" / "2021" / "05"
    images.mkdir(parents=True)
    (images / "x.png").write_bytes(b"png")
    post = _post(
        "p1",
        html='<p><img src="__GHOST_URL__/content/images/2021/05/x.png" alt="X"></p>'
        '<p><img src="__GHOST_URL__/content/images/missing.png"></p>'
        '<p><img src="/content/images/../../../secret.png"></p>',
        feature_image="__GHOST_URL__/content/images/2021/05/x.png",
    )
    meta = [{"post_id": "p1", "feature_image_alt": "The hero"}]
    settings = [{"key": "url", "value": "https://blog.example.com/"}]
    path = _export(tmp_path, posts=[post], posts_meta=meta, settings=settings)
    site = ghost.read(path, now=NOW)
    found = {media.reference: media for media in site.posts[0].media}
    local = found["/content/images/2021/05/x.png"]
    assert local.path == images / "x.png"
    assert found["/content/images/missing.png"].url == (
        "https://blog.example.com/content/images/missing.png"
    )
    assert found["/content/images/../../../secret.png"].path is None
    hero = site.posts[0].hero_image
    assert hero is not None
    assert (hero.reference, hero.path) == ("__GHOST_URL__/content/images/2021/05/x.png", local.path)
    assert site.posts[0].hero_image_alt == "The hero"
    assert site.origin == "ghost:https://blog.example.com"


def test_without_a_site_address_images_stay_root_relative(tmp_path: Path) -> None:
    post = _post("p1", html='<p><img src="__GHOST_URL__/content/images/y.png" alt="Y"></p>')
    site = ghost.read(_export(tmp_path, posts=[post]), now=NOW)
    assert site.posts[0].body == "![Y](/content/images/y.png)\n"
    assert [media.url for media in site.posts[0].media] == ["/content/images/y.png"]
    assert "kept as root-relative addresses" in _messages(site, "site.ghost.json")


@pytest.mark.parametrize(
    ("content", "problem", "line"),
    [
        (b'{"db": [\n{"meta": }]}', "is not valid JSON", 2),
        (b"\xff\xfe not text", "is not UTF-8 text", 1),
        (b'{"meta": {}, "data": {"tags": []}}', "no data.posts list", None),
        (b'{"meta": {}, "data": {"posts": [], "tags": {}}}', "data.tags is not a list", None),
        (b"[" * 200 + b"]" * 200, "nested more than", None),
        (b"<html>not an export</html>", "is not valid JSON", 1),
    ],
)
def test_input_that_is_not_a_ghost_export_is_unreadable(
    tmp_path: Path, content: bytes, problem: str, line: int | None
) -> None:
    path = tmp_path / "upload.json"
    path.write_bytes(content)
    with pytest.raises(UnreadableSource) as raised:
        ghost.read(path)
    assert problem in raised.value.problem
    assert raised.value.line == line
    assert str(raised.value).startswith(str(path))


def test_an_oversized_export_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ghost, "MAX_EXPORT_BYTES", 10)
    path = _export(tmp_path, posts=[_post("p1")])
    with pytest.raises(UnreadableSource, match="is larger than"):
        ghost.read(path)
