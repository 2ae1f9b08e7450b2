"""linernotes build: every public address as a file, the same bytes the site answers."""

from __future__ import annotations

import gzip
import logging
from pathlib import Path

import brotli
import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from linernotes.content.models import CategoryAlias, Post
from linernotes.export.builder import Build
from linernotes.export.manifest import MANIFEST, Manifest
from linernotes.seo.models import Match, Redirect
from tests.export.helpers import (
    BASE_URL,
    build,
    build_settings,
    entries,
    live_bytes,
    local_links,
    resolves,
)
from tests.factories import AuthorFactory, CategoryFactory, PageFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def blog(settings: object) -> list[Post]:
    settings.LINERNOTES_PAGE_SIZE = 3  # type: ignore[attr-defined]
    platform, data = CategoryFactory.create(slug="platform"), CategoryFactory.create(slug="data")
    ada, lin = AuthorFactory(slug="ada"), AuthorFactory(slug="lin")
    posts = [
        PostFactory.create(
            categories=[platform if n % 2 else data], authors=[ada] if n % 3 else [ada, lin]
        )
        for n in range(8)
    ]
    PageFactory(slug="about")
    CategoryAlias.objects.create(category=platform, slug="platforms")
    Redirect.objects.create(old_path="/old/address/", new_path=posts[0].get_absolute_url())
    Redirect.objects.create(old_path=r"^/blog/(.*)$", new_path="/$1", match=Match.REGEX)
    return posts


def test_every_page_type_is_built_at_its_address(blog: list[Post], tmp_path: Path) -> None:
    root = tmp_path / "out"
    report = build(root)
    assert report.failures == []
    built = entries(root)
    expected = {
        "/": "index.html",
        "/page/2/": "page/2/index.html",
        "/page/2/?fragment=cards": "page/2/cards.html",
        "/category/platform/": "category/platform/index.html",
        "/category/platform/page/2/": "category/platform/page/2/index.html",
        "/author/ada/page/2/": "author/ada/page/2/index.html",
        "/about/": "about/index.html",
        "/feed/": "feed/index.xml",
        "/feed/atom/": "feed/atom/index.xml",
        "/feed/json/": "feed/json/index.json",
        "/category/data/feed/json/": "category/data/feed/json/index.json",
        "/author/lin/feed/atom/": "author/lin/feed/atom/index.xml",
        "/sitemap.xml": "sitemap.xml",
        "/sitemap-posts.xml": "sitemap-posts.xml",
        "/robots.txt": "robots.txt",
        "/favicon.ico": "favicon.ico",
        "/apple-touch-icon.png": "apple-touch-icon.png",
        "/icon-512.png": "icon-512.png",
        "/site.webmanifest": "site.webmanifest",
        "/search/": "search/index.html",
        "/-/not-found/": "404.html",
        blog[3].get_absolute_url(): blog[3].get_absolute_url().lstrip("/") + "index.html",
    }
    for address, file in expected.items():
        assert built.get(address) == file, address
        assert (root / file).is_file()
    # Eight posts, three a page: the home page (without the featured post) has three pages.
    assert "/page/3/" in built
    assert "/page/4/" not in built


def test_built_files_are_the_bytes_the_site_answers(blog: list[Post], tmp_path: Path) -> None:
    root = tmp_path / "out"
    build(root)
    built = entries(root)
    assert len(built) > 40
    redirected = {"/old/address/", "/category/platforms/"}
    assert redirected <= built.keys()
    for address, file in built.items():
        if address in redirected:
            continue  # refresh pages, where the site answers with a 301
        status, content = live_bytes(root, address)
        assert status in {200, 404}, address
        assert (root / file).read_bytes() == content, address


def test_text_files_have_compressed_twins_of_the_same_bytes(
    blog: list[Post], tmp_path: Path
) -> None:
    root = tmp_path / "out"
    build(root)
    page = (root / "index.html").read_bytes()
    assert gzip.decompress((root / "index.html.gz").read_bytes()) == page
    assert brotli.decompress((root / "index.html.br").read_bytes()) == page


def test_every_local_link_of_every_page_resolves(blog: list[Post], tmp_path: Path) -> None:
    root = tmp_path / "out"
    build(root)
    redirected = {line.split()[0] for line in (root / "_redirects").read_text().splitlines()[1:]}
    missing = set()
    for html in root.rglob("*.html"):
        for link in local_links(html.read_text(encoding="utf-8")):
            if not resolves(root, link) and link not in redirected:
                missing.add((str(html.relative_to(root)), link))
    assert missing == set()


def test_static_files_are_the_themes_without_the_admins(blog: list[Post], tmp_path: Path) -> None:
    root = tmp_path / "out"
    build(root)
    folders = {
        path.relative_to(root / "static").parts[0]
        for path in (root / "static").rglob("*")
        if path.is_file() and path.parent != root / "static"
    }
    assert folders == {"linernotes", "newsletter", "search"}


def test_redirects_are_written_for_static_hosts_and_nginx(blog: list[Post], tmp_path: Path) -> None:
    root = tmp_path / "out"
    build(root)
    target = BASE_URL + blog[0].get_absolute_url()
    refresh = (root / "old/address/index.html").read_text()
    assert f'content="0; url={target}"' in refresh
    assert f'rel="canonical" href="{target}"' in refresh
    rules = (root / "_redirects").read_text().splitlines()
    assert f"/old/address/ {target} 301" in rules
    assert f"/category/platforms/ {BASE_URL}/category/platform/ 301" in rules
    assert f"/blog/* {BASE_URL}/:splat 301" in rules
    assert "/feed/ /feed/index.xml 200" in rules
    maps = (root / "nginx-redirects.conf").read_text()
    assert f'"/old/address/" "{target}";' in maps
    assert f'"~^(?:/blog/(.*))$" "{BASE_URL}/$1";' in maps


def test_an_edit_rebuilds_only_the_pages_that_show_the_post(
    blog: list[Post], tmp_path: Path
) -> None:
    root = tmp_path / "out"
    build(root)
    oldest = blog[0]
    untouched = [
        blog[7].get_absolute_url().lstrip("/") + "index.html",
        "index.html",
        "about/index.html",
    ]
    before = [(root / name).stat().st_mtime_ns for name in untouched]

    oldest.body += "\n\nA sentence added later."
    oldest.save()
    report = build(root)

    assert not report.full
    page = (root / oldest.get_absolute_url().lstrip("/") / "index.html").read_text()
    assert "A sentence added later." in page
    # The newest posts' pages, the first home page and the pages do not show it.
    assert [(root / name).stat().st_mtime_ns for name in untouched] == before
    assert report.skipped > 0
    assert report.written > 0


def test_unpublished_posts_lose_their_files(blog: list[Post], tmp_path: Path) -> None:
    root = tmp_path / "out"
    build(root)
    gone = blog[4]
    file = root / gone.get_absolute_url().lstrip("/") / "index.html"
    assert file.is_file()
    Post.objects.filter(pk=gone.pk).update(status="draft")
    report = build(root)
    assert report.full
    assert report.removed >= 1
    assert not file.exists()
    assert not file.with_name("index.html.gz").exists()


def test_an_unchanged_site_writes_nothing(blog: list[Post], tmp_path: Path) -> None:
    root = tmp_path / "out"
    build(root)
    again = build(root)
    # Only the sitemap index and its four sections, whose dates no post load reveals.
    assert (again.rendered, again.written, again.removed) == (5, 0, 0)


def test_base_url_must_be_an_origin(tmp_path: Path) -> None:
    for bad in ("ftp://example.com", "https://example.com/blog/", "example.com", "https://x?y"):
        with pytest.raises(CommandError, match="--base-url"):
            call_command("build", str(tmp_path / "out"), "--base-url", bad)


def test_an_empty_feed_has_the_same_bytes_at_any_time(blog: list[Post], tmp_path: Path) -> None:
    root = tmp_path / "out"
    build(root)
    CategoryFactory(slug="empty")
    status, rss = live_bytes(root, "/category/empty/feed/")
    assert status == 200
    assert b"<lastBuildDate>Thu, 01 Jan 1970 00:00:00 +0000</lastBuildDate>" in rss
    assert (
        b"<updated>1970-01-01T00:00:00+00:00</updated>"
        in live_bytes(root, "/category/empty/feed/atom/")[1]
    )


def test_media_are_copied_without_work_in_progress(
    blog: list[Post], tmp_path: Path, media_root: Path
) -> None:
    (media_root / "heroes").mkdir()
    (media_root / "heroes" / "picture.jpg").write_bytes(b"jpeg bytes")
    (media_root / ".import-staging" / "abc").mkdir(parents=True)
    (media_root / ".import-staging" / "abc" / "half.jpg").write_bytes(b"not yet")
    root = tmp_path / "out"
    build(root)
    assert (root / "media" / "heroes" / "picture.jpg").read_bytes() == b"jpeg bytes"
    assert not (root / "media" / ".import-staging").exists()
    (media_root / "heroes" / "picture.jpg").unlink()
    assert build(root).removed >= 1
    assert not (root / "media" / "heroes" / "picture.jpg").exists()


def test_a_signup_address_that_is_not_a_web_address_is_refused(settings: object) -> None:
    from django.core.checks import run_checks

    settings.LINERNOTES_STATIC_SIGNUP_URL = "javascript:alert(1)"  # type: ignore[attr-defined]
    assert "linernotes.E002" in {message.id for message in run_checks()}
    settings.LINERNOTES_STATIC_SIGNUP_URL = "https://blog.example.com/newsletter/"  # type: ignore[attr-defined]
    assert "linernotes.E002" not in {message.id for message in run_checks()}


def test_a_build_is_not_logged_as_traffic(
    blog: list[Post], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="linernotes.requests")
    report = build(tmp_path / "out")
    assert report.rendered > 20
    assert [record for record in caplog.records if record.name == "linernotes.requests"] == []


def test_a_build_that_stays_running_plans_from_what_it_wrote_unless_the_file_changed(
    blog: list[Post], tmp_path: Path
) -> None:
    root = tmp_path / "out"
    with override_settings(**build_settings(root)):
        running = Build(root, base_url=BASE_URL, processes=1, search=False)
        first = running.run()
        blog[0].body += "\n\nEdited while watching."
        blog[0].save()
        again = running.run()
        assert not again.full
        assert 0 < again.rendered < first.rendered
        # The manifest on disk is what a fresh process would plan from: the same answer.
        assert Manifest.load(root).entries == running._saved[1].entries
        # Changed behind its back (here: removed), the folder's manifest is read again.
        (root / MANIFEST).unlink()
        redone = running.run()
        assert redone.rendered == first.rendered
        # A post given a picture loses its placeholder, though the posts' shape is the same.
        placeholder = f"/placeholder/{blog[1].slug}.svg"
        assert placeholder in running._saved[1].entries
        Post.objects.filter(pk=blog[1].pk).update(hero_image="hero.png", hero_image_alt="A hero")
        running.run()
        assert placeholder not in running._saved[1].entries
        assert not (root / placeholder.lstrip("/")).exists()
