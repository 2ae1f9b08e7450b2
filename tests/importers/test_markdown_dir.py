"""Jekyll, Hugo and Zola sites read into records: the fixture sites under sites/ read exactly."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from linernotes.importers import embeds
from linernotes.importers.records import (
    ImportedPage,
    ImportedPost,
    ImportedSite,
    PostStatus,
    UnreadableSource,
)
from linernotes.importers.sources import markdown_dir, site_folder
from linernotes.importers.sources.markdown_dir import read

SITES = Path(__file__).parent / "sites"
JEKYLL, HUGO, ZOLA = SITES / "jekyll", SITES / "hugo", SITES / "zola"


def posts(site: ImportedSite) -> dict[str, ImportedPost]:
    return {post.key: post for post in site.posts}


def pages(site: ImportedSite) -> dict[str, ImportedPage]:
    return {page.key: page for page in site.pages}


def notices(site: ImportedSite) -> list[tuple[str, str]]:
    return [(notice.where, notice.message) for notice in site.notices]


def media(record: ImportedPost | ImportedPage) -> list[tuple[str, Path | None, str]]:
    return [(item.reference, item.path, item.url) for item in record.media]


@pytest.fixture(scope="module")
def jekyll() -> ImportedSite:
    return read(JEKYLL)


@pytest.fixture(scope="module")
def hugo() -> ImportedSite:
    return read(HUGO)


@pytest.fixture(scope="module")
def zola() -> ImportedSite:
    return read(ZOLA)


def test_jekyll_site_posts_and_drafts(jekyll: ImportedSite) -> None:
    found = posts(jekyll)

    assert jekyll.source == "markdown"
    assert jekyll.origin == "jekyll:https://signal.example.com/blog"
    assert list(found) == [
        "_posts/2019-05-05-untitled-thoughts.md",
        "_posts/2020-01-02-hello-world.md",
        "_posts/2021-06-30-second-post.markdown",
        "_posts/2022-02-02-written-in-html.html",
        "_drafts/work-in-progress.md",
    ]
    summary = {
        key: (post.title, post.slug, post.status, post.published_at) for key, post in found.items()
    }
    stockholm = ZoneInfo("Europe/Stockholm")
    assert summary == {
        "_posts/2019-05-05-untitled-thoughts.md": (
            "Untitled thoughts",
            "untitled-thoughts",
            PostStatus.DRAFT,
            datetime(2019, 5, 5, tzinfo=stockholm),
        ),
        "_posts/2020-01-02-hello-world.md": (
            "Hello, World",
            "hello-world",
            PostStatus.PUBLISHED,
            datetime(2020, 1, 2, 10, 30, tzinfo=stockholm),
        ),
        "_posts/2021-06-30-second-post.markdown": (
            "Second Post",
            "second-post",
            PostStatus.PUBLISHED,
            datetime(2021, 7, 1, 9, tzinfo=timezone(timedelta(hours=2))),
        ),
        "_posts/2022-02-02-written-in-html.html": (
            "Written in HTML",
            "written-in-html",
            PostStatus.PUBLISHED,
            datetime(2022, 2, 2, 12, tzinfo=UTC),
        ),
        "_drafts/work-in-progress.md": (
            "Work in Progress",
            "work-in-progress",
            PostStatus.DRAFT,
            None,
        ),
    }
    hello = found["_posts/2020-01-02-hello-world.md"]
    assert hello.published_at is not None
    assert hello.published_at.utcoffset() == timedelta(hours=1)


def test_jekyll_old_paths_follow_permalinks_and_redirect_from(jekyll: ImportedSite) -> None:
    assert {key: post.old_paths for key, post in posts(jekyll).items()} == {
        "_posts/2019-05-05-untitled-thoughts.md": [],
        "_posts/2020-01-02-hello-world.md": [
            "/blog/engineering/backend/2020/01/02/hello-world/",
            "/blog/old/hello/",
        ],
        "_posts/2021-06-30-second-post.markdown": [
            "/blog/custom/second/",
            "/blog/2021/second.html",
            "/blog/old-second/",
        ],
        "_posts/2022-02-02-written-in-html.html": ["/blog/2022/02/02/written-in-html/"],
        "_drafts/work-in-progress.md": [],
    }


def test_jekyll_categories_tags_and_authors(jekyll: ImportedSite) -> None:
    found = posts(jekyll)

    assert [(c.key, c.name) for c in jekyll.categories] == [
        ("engineering", "engineering"),
        ("backend", "backend"),
        ("python", "Python"),
    ]
    assert found["_posts/2020-01-02-hello-world.md"].category_keys == [
        "engineering",
        "backend",
        "python",
    ]
    assert found["_drafts/work-in-progress.md"].category_keys == ["engineering"]
    credits = {key: [c.author_key for c in post.credits] for key, post in found.items()}
    assert credits["_posts/2020-01-02-hello-world.md"] == ["ana"]
    assert credits["_posts/2021-06-30-second-post.markdown"] == ["bo", "cy", "nobody"]
    assert credits["_drafts/work-in-progress.md"] == ["Site Editor"]
    people = {author.key: author for author in jekyll.authors}
    assert {key: (a.name, a.bio, a.website) for key, a in people.items()} == {
        "Site Editor": ("Site Editor", "", ""),
        "ana": ("Ana Lindqvist", "Works on the build system.", "https://ana.example.com"),
        "bo": ("Bo Berg", "", "https://bo.example.com"),
        "cy": ("Cy Chen", "Writes about storage engines.", ""),
        "nobody": ("nobody", "", ""),
    }
    avatar = people["ana"].avatar
    assert avatar is not None
    assert (avatar.reference, avatar.path) == ("/assets/img/ana.png", JEKYLL / "assets/img/ana.png")


def test_jekyll_bodies_summaries_and_media(jekyll: ImportedSite) -> None:
    found = posts(jekyll)
    hello = found["_posts/2020-01-02-hello-world.md"]
    second = found["_posts/2021-06-30-second-post.markdown"]

    assert hello.summary == "The first paragraph of the first post."
    assert "<!--cut-->" not in hello.body
    assert hello.body == (
        "The first paragraph of the *first* post.\n\n"
        "![A chart](/blog/assets/img/chart.png)\n\n"
        '```python\nprint("Signal Path")\n```\n\n'
        "Liquid such as {{ page.title }} and {% if x %} stays as written.\n\n"
        "Read [the next one](/custom/second/) by signalpath.\n"
    )
    assert media(hello) == [("/blog/assets/img/chart.png", JEKYLL / "assets/img/chart.png", "")]
    assert second.summary == "A summary written by hand."
    assert second.body.startswith(
        "Start.  End.\n\n" + (embeds.youtube("dQw4w9WgXcQ") or "").strip()
    )
    assert (embeds.youtube("M7lc1UVf-VE") or "").strip() in second.body
    assert (embeds.vimeo("76979871") or "").strip() in second.body
    assert embeds.gist("octocat/6cad326836d38bd3a7ae").strip() in second.body
    assert embeds.tweet("https://twitter.com/jack/status/20").strip() in second.body
    assert "See [about](/about-us/)." in second.body
    assert '`{% assign colour = "blue" %}`\nThe title is `{{ page.title }}`.' in second.body
    assert "## Heading {#custom-id}" in second.body
    assert "![Gone](/assets/img/missing.png)" in second.body
    assert media(second) == [
        ("https://cdn.example.com/remote.png", None, "https://cdn.example.com/remote.png")
    ]
    hero = second.hero_image
    assert hero is not None
    assert (hero.reference, hero.path) == ("assets/img/chart.png", JEKYLL / "assets/img/chart.png")
    assert (second.meta_title, second.meta_description, second.canonical_url, second.noindex) == (
        "The second post, for search engines",
        "What search engines show.",
        "https://elsewhere.example.com/second/",
        True,
    )
    html = found["_posts/2022-02-02-written-in-html.html"]
    assert html.body == 'An **HTML** post.\n\n```go\nfmt.Println("<hi>")\n```\n'


def test_jekyll_pages(jekyll: ImportedSite) -> None:
    found = pages(jekyll)

    assert {key: (page.title, page.slug, page.old_paths) for key, page in found.items()} == {
        "about.md": ("About", "about", ["/blog/about-us/"]),
        "team/index.md": ("Team", "team", ["/blog/team/"]),
    }
    assert media(found["about.md"]) == [("assets/img/ana.png", JEKYLL / "assets/img/ana.png", "")]


def test_jekyll_notices_name_the_file_and_line(jekyll: ImportedSite) -> None:
    assert notices(jekyll) == [
        (
            "_posts/2019-05-05-untitled-thoughts.md:1",
            "no title; named 'Untitled thoughts' after its file",
        ),
        (
            "_posts/2021-06-30-second-post.markdown:1",
            "author 'nobody' is not described in the site; kept by name",
        ),
        ("_posts/notes.md:1", "not named YYYY-MM-DD-title, so Jekyll skips it"),
        (
            "_posts/2021-06-30-second-post.markdown:32",
            'Liquid tag kept as text: {% assign colour = "blue" %}',
        ),
        (
            "_posts/2021-06-30-second-post.markdown:33",
            "Liquid output kept as text: {{ page.title }}",
        ),
        (
            "_posts/2021-06-30-second-post.markdown:37",
            "image /assets/img/missing.png is not in the site folder; kept as written",
        ),
    ]


def jekyll_site(root: Path, config: str, post: str, name: str = "2020-03-04-a-post.md") -> Path:
    (root / "_posts").mkdir(parents=True)
    (root / "_config.yml").write_text(config)
    (root / "_posts" / name).write_text(post)
    return root


@pytest.mark.parametrize(
    ("permalink", "expected"),
    [
        ("", "/news/2020/03/04/a-post.html"),
        ("date", "/news/2020/03/04/a-post.html"),
        ("pretty", "/news/2020/03/04/a-post/"),
        ("ordinal", "/news/2020/064/a-post.html"),
        ("none", "/news/a-post.html"),
        ("/:year/:i_month/:i_day/:slug", "/2020/3/4/a-post"),
        ("/:short_year/:title/", "/20/a-post/"),
    ],
)
def test_jekyll_permalink_styles(tmp_path: Path, permalink: str, expected: str) -> None:
    config = f"permalink: {permalink}\n" if permalink else ""
    root = jekyll_site(tmp_path, config, "---\ntitle: A post\ncategories: News\n---\nText\n")

    assert read(root).posts[0].old_paths == [expected]


def test_jekyll_time_zone_defaults_to_utc(tmp_path: Path) -> None:
    root = jekyll_site(tmp_path, "title: X\n", "---\ntitle: A\ndate: 2020-03-04 05:06:07\n---\n")

    assert read(root).posts[0].published_at == datetime(2020, 3, 4, 5, 6, 7, tzinfo=UTC)


def test_hugo_site_posts(hugo: ImportedSite) -> None:
    found = posts(hugo)
    new_york = ZoneInfo("America/New_York")

    assert hugo.origin == "hugo:https://tech.example.org"
    assert {
        key: (post.title, post.slug, post.status, post.published_at, post.old_paths)
        for key, post in found.items()
    } == {
        "content/blog/news.md": (
            "News",
            "news",
            PostStatus.PUBLISHED,
            datetime(2021, 2, 3, tzinfo=new_york),
            ["/blog/news/"],
        ),
        "content/posts/custom-url.md": (
            "Custom Address",
            "custom-url",
            PostStatus.PUBLISHED,
            datetime(2022, 12, 1, tzinfo=new_york),
            ["/legacy/custom.html"],
        ),
        "content/posts/draft-idea.md": (
            "Draft Idea",
            "draft-idea",
            PostStatus.DRAFT,
            datetime(2024, 1, 1, tzinfo=new_york),
            [],
        ),
        "content/posts/first-steps.md": (
            "First Steps",
            "first-steps",
            PostStatus.PUBLISHED,
            datetime(2023, 3, 4, 5, 6, 7, tzinfo=timezone(timedelta(hours=-5))),
            ["/2023/03/first-steps/", "/old/first/", "/2023/03/first-old/"],
        ),
        "content/posts/bundle-post/index.md": (
            "A Bundled Post",
            "bundled",
            PostStatus.PUBLISHED,
            datetime(2023, 5, 6, 7, tzinfo=UTC),
            ["/2023/05/bundled/"],
        ),
    }
    first = found["content/posts/first-steps.md"]
    assert first.updated_at == datetime(2023, 3, 10, tzinfo=new_york)
    assert first.category_keys == ["engineering", "go", "tooling"]
    assert [credit.author_key for credit in first.credits] == ["jo"]
    assert [c.author_key for c in found["content/blog/news.md"].credits] == ["Hugo Editor"]
    assert [(c.key, c.old_paths) for c in hugo.categories] == [
        ("engineering", ["/categories/engineering/"]),
        ("go", ["/tags/go/"]),
        ("tooling", ["/tags/tooling/"]),
    ]
    assert {a.key: (a.name, a.bio) for a in hugo.authors} == {
        "Hugo Editor": ("Hugo Editor", ""),
        "Unknown Person": ("Unknown Person", ""),
        "jo": ("Jo Park", "Keeps the builds fast."),
    }


def test_hugo_bodies_media_and_heroes(hugo: ImportedSite) -> None:
    found = posts(hugo)
    first = found["content/posts/first-steps.md"]
    bundle = found["content/posts/bundle-post/index.md"]

    assert first.summary == "Why we started."
    assert "<!--more-->" not in first.body
    assert "![The cover](/img/cover.png)\n\n*Our first build*" in first.body
    assert '```go\nfmt.Println("{{< not a shortcode >}}")\n```' in first.body
    assert "See [the bundle](/2023/05/bundled/) and [news](/blog/news/)." in first.body
    assert "The team is Platform; write to @build@example.social." in first.body
    assert "`{{< notice warning >}}`Careful.`{{< /notice >}}`" in first.body
    assert "Type {{< youtube abc >}} to embed a video." in first.body
    assert embeds.tweet("https://x.com/GoHugoIO/status/1315233626070503424").strip() in first.body
    assert first.body.endswith("## Setup {#setup}\n")
    assert media(first) == [("/img/cover.png", HUGO / "static/img/cover.png", "")]
    assert first.hero_image is not None
    assert first.hero_image.path == HUGO / "static/img/cover.png"
    assert media(bundle) == [
        ("diagram.png", HUGO / "content/posts/bundle-post/diagram.png", ""),
        ("/img/cover.png", HUGO / "static/img/cover.png", ""),
        ("/images/logo.png", HUGO / "assets/images/logo.png", ""),
    ]
    assert bundle.hero_image is not None
    assert bundle.hero_image.path == HUGO / "content/posts/bundle-post/cover.png"
    assert bundle.hero_image_alt == "Cover art"
    remote = found["content/posts/custom-url.md"].hero_image
    assert remote is not None
    assert (remote.path, remote.url) == (None, "https://cdn.example.org/hero.jpg")


def test_hugo_pages(hugo: ImportedSite) -> None:
    assert {
        key: (page.title, page.slug, page.old_paths, page.show_in_navigation, page.navigation_order)
        for key, page in pages(hugo).items()
    } == {
        "content/about.md": ("About Us", "about", ["/about/"], True, 2),
        "content/contact/index.md": ("Contact", "contact", ["/contact/"], False, 0),
        "content/docs/setup.md": ("Setup Guide", "setup", ["/docs/setup/"], False, 0),
        "content/posts/landing.md": ("Posts Landing", "landing", ["/posts/landing/"], False, 0),
    }


def test_hugo_notices(hugo: ImportedSite) -> None:
    assert notices(hugo) == [
        (
            "content/posts/custom-url.md:1",
            "author 'Unknown Person' is not described in the site; kept by name",
        ),
        (
            "content/posts/bundle-post/index.md:1",
            "expiryDate 2030-01-01 is not imported; the post stays up",
        ),
        ("content/posts/first-steps.md:28", "Shortcode kept as text: {{< notice warning >}}"),
        (
            "content/posts/bundle-post/index.md:14",
            "image nowhere.png is not in the site folder; kept as written",
        ),
    ]


def test_zola_site(zola: ImportedSite) -> None:
    found = posts(zola)

    assert zola.origin == "zola:https://zola.example.net"
    assert {
        key: (post.title, post.slug, post.status, post.published_at, post.old_paths)
        for key, post in found.items()
    } == {
        "content/blog/2022-08-09-first-light.md": (
            "First Light",
            "first-light",
            PostStatus.PUBLISHED,
            datetime(2022, 8, 9, tzinfo=UTC),
            ["/blog/first-light/", "/old-first/"],
        ),
        "content/blog/unfinished.md": (
            "Unfinished",
            "unfinished",
            PostStatus.DRAFT,
            datetime(2023, 1, 1, tzinfo=UTC),
            [],
        ),
        "content/blog/second/index.md": (
            "Second Entry",
            "second-entry",
            PostStatus.PUBLISHED,
            datetime(2022, 9, 10, 11, 12, tzinfo=timezone(timedelta(hours=2))),
            ["/writing/second/"],
        ),
    }
    first = found["content/blog/2022-08-09-first-light.md"]
    second = found["content/blog/second/index.md"]
    assert first.summary == "What we saw first."
    assert first.category_keys == ["optics", "rust", "field-work", "beginnings"]
    assert [c.author_key for c in first.credits] == ["Ivy"]
    assert [c.author_key for c in second.credits] == ["Ivy", "Quinn"]
    assert [c.author_key for c in found["content/blog/unfinished.md"].credits] == ["Zed Writer"]
    assert second.updated_at == datetime(2022, 9, 11, tzinfo=UTC)
    assert first.hero_image is not None
    assert first.hero_image.path == ZOLA / "static/images/hero.png"
    assert media(second) == [("pic.png", ZOLA / "content/blog/second/pic.png", "")]
    assert first.body.startswith(
        "Before the fold.\n\n" + (embeds.youtube("dQw4w9WgXcQ") or "").strip()
    )
    assert '`{% note(kind="tip") %}`\nInner **text**.\n`{% end %}`' in first.body
    assert 'Write {{ youtube(id="x") }} to embed.' in first.body
    assert "Next: [the second](/writing/second/)." in first.body
    assert [(c.key, c.old_paths) for c in zola.categories][-1] == (
        "beginnings",
        ["/series/beginnings/"],
    )
    assert {key: page.old_paths for key, page in pages(zola).items()} == {
        "content/about.md": ["/about/"]
    }
    assert notices(zola) == [
        ("content/blog/2022-08-09-first-light.md:1", "taxonomy 'series' imported as categories"),
        (
            "content/blog/2022-08-09-first-light.md:21",
            'Shortcode kept as text: {% note(kind="tip") %}',
        ),
        (
            "content/blog/2022-08-09-first-light.md:25",
            "Shortcode kept as text: {{ unknown_thing(a=1) }}",
        ),
    ]


@pytest.mark.parametrize(("root", "layout"), [(JEKYLL, "jekyll"), (HUGO, "hugo"), (ZOLA, "zola")])
def test_layouts_are_detected(root: Path, layout: str) -> None:
    assert markdown_dir.detect_layout(root) == layout
    assert read(root, layout=layout).origin.startswith(f"{layout}:")


def test_a_folder_that_is_no_site_says_what_was_looked_for(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# Notes\n")

    with pytest.raises(UnreadableSource) as raised:
        read(tmp_path)

    assert "is not a Jekyll, Hugo or Zola site" in raised.value.problem
    for looked_for in ("_config.yml", "_posts/", "hugo.toml", "zola.toml", "base_url"):
        assert looked_for in raised.value.problem


def test_an_unknown_layout_is_refused() -> None:
    with pytest.raises(UnreadableSource, match="unknown layout 'eleventy'"):
        read(JEKYLL, layout="eleventy")


def test_a_liner_notes_export_is_read_by_the_native_reader(tmp_path: Path) -> None:
    (tmp_path / "linernotes.yaml").write_text("format: 1\n")
    (tmp_path / "_posts").mkdir()
    assert read(tmp_path).origin == f"linernotes:{tmp_path.resolve()}"
    assert read(tmp_path, layout="jekyll").origin == f"jekyll:{tmp_path.name}"


def test_invalid_front_matter_stops_the_import_naming_file_and_line(tmp_path: Path) -> None:
    root = jekyll_site(tmp_path, "title: X\n", "---\ntitle: Fine\ndate: [unclosed\n---\nBody\n")

    with pytest.raises(UnreadableSource) as raised:
        read(root)

    assert str(raised.value).startswith("_posts/2020-03-04-a-post.md:3: invalid YAML")


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    root = jekyll_site(tmp_path, "title: X\n", "")
    (root / "_posts" / "2020-03-04-a-post.md").write_bytes(b"---\ntitle: \xff\n---\n")

    with pytest.raises(UnreadableSource, match="is not UTF-8 text"):
        read(root)


def test_links_out_of_the_folder_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("---\ntitle: Secret\n---\nPrivate\n")
    (outside / "secret.png").write_bytes((JEKYLL / "assets/img/chart.png").read_bytes())
    root = jekyll_site(
        tmp_path / "site",
        "title: X\n",
        "---\ntitle: A\n---\n![a](../../outside/secret.png)\n![b](/link.png)\n",
    )
    (root / "_posts" / "2020-03-05-leak.md").symlink_to(outside / "secret.md")
    (root / "link.png").symlink_to(outside / "secret.png")

    site = read(root)

    assert [post.key for post in site.posts] == ["_posts/2020-03-04-a-post.md"]
    assert site.posts[0].media == []
    assert notices(site) == [
        ("_posts/2020-03-05-leak.md:1", "links to a file outside the site folder; not read"),
        (
            "_posts/2020-03-04-a-post.md:4",
            "image ../../outside/secret.png is outside the site folder; left out",
        ),
        ("_posts/2020-03-04-a-post.md:5", "image /link.png is outside the site folder; left out"),
    ]


def test_files_that_are_too_large_or_too_many_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = jekyll_site(tmp_path / "site", "title: X\n", "---\ntitle: A\n---\n" + "x" * 200)
    shutil.copy(root / "_posts/2020-03-04-a-post.md", root / "_posts/2020-03-05-b.md")

    monkeypatch.setattr(site_folder, "MAX_FILE_BYTES", 100)
    with pytest.raises(UnreadableSource, match="is larger than"):
        read(root)
    monkeypatch.setattr(site_folder, "MAX_FILE_BYTES", 10_000)
    monkeypatch.setattr(site_folder, "MAX_FILES", 1)
    with pytest.raises(UnreadableSource, match="has more than 1 files"):
        read(root)
