"""`linernotes import` end to end: real exports in, a working blog out, broken files refused."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils.text import slugify

from linernotes.content.models import Author, Category, Page, Post, Status
from linernotes.importers.report import Outcome
from linernotes.seo.models import Redirect
from tests.shared_data import shared_file

pytestmark = pytest.mark.django_db

WORDPRESS = "testdata/wordpress"
BROKEN_WXR = [
    "malformed.xml",
    "malformed-simple.xml",
    "crazy-cdata.xml",
    "invalid-version-tag.xml",
    "missing-version-tag.xml",
]
SITES = Path(__file__).parent / "sites"
Commit = Callable[..., Any]


def every_table() -> dict[str, int]:
    """Rows in every table Django knows, the project's and its libraries'."""
    return {model._meta.db_table: model._default_manager.count() for model in apps.get_models()}


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("name", BROKEN_WXR)
def test_a_broken_wordpress_export_is_refused_and_imports_nothing(name: str) -> None:
    path = shared_file(f"{WORDPRESS}/wordpress-importer/phpunit/data/{name}")
    before = every_table()
    with pytest.raises(CommandError) as refused:
        run("wordpress", str(path))
    assert "Nothing was imported" in str(refused.value)
    assert name in str(refused.value)
    assert every_table() == before


def test_broken_ghost_exports_are_refused_and_import_nothing() -> None:
    folder = shared_file("testdata/ghost/ghost-core-4.12")
    broken = sorted(folder.glob("*broken*"))
    assert broken
    before = every_table()
    for path in broken:
        with pytest.raises(CommandError) as refused:
            run("ghost", str(path))
        assert path.name in str(refused.value)
    assert every_table() == before


def test_the_theme_unit_test_data_becomes_a_working_blog(
    client: Client, django_capture_on_commit_callbacks: Commit
) -> None:
    path = shared_file(f"{WORDPRESS}/theme-test-data/themeunittestdata.wordpress.xml")
    from linernotes.importers.sources.wordpress import read

    site = read(path)
    with django_capture_on_commit_callbacks(execute=True):
        out, err = run("wordpress", str(path))
    assert f"posts: {len(site.posts)} created" in out
    assert Post.objects.count() == len(site.posts)
    assert Page.objects.count() == len(site.pages)
    # Two spellings of one login ("themereviewteam", ">themereviewteam") are one author.
    assert Author.objects.count() == len({slugify(a.slug or a.name) for a in site.authors})
    assert Category.objects.count() >= len({c.slug for c in site.categories}) * 0.9
    assert "warning" in err  # private posts and such are reported
    published = Post.objects.published().order_by("-published_at").first()
    assert published is not None
    assert client.get(published.get_absolute_url()).status_code == 200
    assert client.get("/").status_code == 200
    # Old permalinks and ?p= addresses lead to the new pages.
    record = next(p for p in site.posts if p.status == "published" and p.old_paths)
    for old in record.old_paths:
        response = client.get(old)
        if response.status_code != 200:  # the same address on both sites needs no rule
            assert response.status_code == 301, old
    assert Redirect.objects.exclude(imported_from="").count() > len(site.posts)


def test_importing_the_same_export_twice_changes_nothing(
    django_capture_on_commit_callbacks: Commit,
) -> None:
    path = shared_file(f"{WORDPRESS}/theme-test-data/themeunittestdata.wordpress.xml")
    with django_capture_on_commit_callbacks(execute=True):
        run("wordpress", str(path))
    before = every_table()
    stamps = dict(Post.objects.values_list("pk", "updated_at"))
    with django_capture_on_commit_callbacks(execute=True):
        out, _ = run("wordpress", str(path))
    assert every_table() == before
    assert dict(Post.objects.values_list("pk", "updated_at")) == stamps
    assert " 0 created, 0 updated" in out


def test_a_dry_run_reports_without_changing_anything() -> None:
    path = shared_file(f"{WORDPRESS}/theme-test-data/themeunittestdata.wordpress.xml")
    before = every_table()
    out, _ = run("wordpress", str(path), "--dry-run")
    assert every_table() == before
    assert "would be created" in out
    assert "Nothing was changed (dry run)." in out


@pytest.mark.parametrize(
    "name", ["export_v2_export.json", "export_v3_export.json", "export_v4_export.json"]
)
def test_ghost_exports_import_with_their_tags_and_authors(
    name: str, client: Client, django_capture_on_commit_callbacks: Commit
) -> None:
    path = shared_file(f"testdata/ghost/ghost-core-4.12/{name}")
    raw = json.loads(path.read_text(encoding="utf-8"))
    data = (raw["db"][0] if "db" in raw else raw)["data"]
    with django_capture_on_commit_callbacks(execute=True):
        run("ghost", str(path))
    ghost_posts = [
        p for p in data["posts"] if p.get("type", "post") == "post" and not p.get("page")
    ]
    assert Post.objects.count() == len(ghost_posts)
    for post in Post.objects.published():
        assert client.get(post.get_absolute_url()).status_code == 200
        old = client.get(f"/{post.slug}/")
        assert old.status_code == 301
        assert old["Location"] == post.get_absolute_url()


@pytest.mark.parametrize("layout", ["jekyll", "hugo", "zola"])
def test_markdown_sites_import_and_keep_their_old_addresses(
    layout: str, client: Client, django_capture_on_commit_callbacks: Commit
) -> None:
    from linernotes.importers.sources.markdown_dir import read

    folder = SITES / layout
    site = read(folder)
    with django_capture_on_commit_callbacks(execute=True):
        run("markdown", str(folder), "--layout", layout)
    assert Post.objects.count() == len(site.posts)
    moved = 0
    for record in site.posts:
        post = Post.objects.get(title=record.title) if record.title else None
        if post is None or post.status != Status.PUBLISHED:
            continue
        for old in record.old_paths:
            response = client.get(old)
            if response.status_code == 301:
                moved += 1
                assert response["Location"] == post.get_absolute_url()
    assert moved > 0


def test_redirects_list_shows_what_an_import_brought(
    django_capture_on_commit_callbacks: Commit,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run("markdown", str(SITES / "jekyll"), "--layout", "jekyll")
    Redirect.objects.create(old_path="/by-hand/", new_path="/")
    out = io.StringIO()
    call_command("redirects", "list", "--source", "import", stdout=out)
    listed = out.getvalue().splitlines()
    assert listed
    assert all("jekyll:" in line for line in listed)
    assert not any("/by-hand/" in line for line in listed)
    out = io.StringIO()
    call_command("redirects", "list", "--source", "automatic", stdout=out)
    assert out.getvalue().strip() == "No automatic redirect rules."


def test_an_unknown_file_or_folder_is_refused() -> None:
    with pytest.raises(CommandError, match="no such file"):
        run("wordpress", "/nonexistent/export.xml")


def every_shared_export() -> list[tuple[str, Path]]:
    from tests.shared_data import SHARED_DIR

    wordpress = sorted((SHARED_DIR / "testdata/wordpress").rglob("*.xml"))
    ghost = sorted((SHARED_DIR / "testdata/ghost").rglob("*.json"))
    return [("wordpress", path) for path in wordpress if path.name not in BROKEN_WXR] + [
        ("ghost", path) for path in ghost if "broken" not in path.name
    ]


@pytest.mark.parametrize(
    ("source", "path"), every_shared_export(), ids=lambda value: getattr(value, "name", value)
)
def test_every_shared_export_imports_what_it_holds(source: str, path: Path) -> None:
    from linernotes.importers.service import import_records
    from linernotes.importers.sources import read_source

    site = read_source(source, path)
    report = import_records(site)
    assert Post.objects.count() == len(site.posts) - report.number("posts", Outcome.SKIPPED)
    assert Page.objects.count() == len(site.pages)
    again = import_records(read_source(source, path))
    assert not again.changed_anything
