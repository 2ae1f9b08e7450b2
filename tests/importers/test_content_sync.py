"""`linernotes content sync`: the database in line with the content folder, reading only what
changed, and never overwriting a change made on both sides."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.core.management import call_command
from django.core.management.base import CommandError

from linernotes.content.models import Page, Post, Status
from linernotes.importers.content_scan import NotAContentFolder
from linernotes.importers.content_sync import sync_content
from linernotes.importers.export_markdown import export_markdown
from linernotes.importers.models import ContentFile
from linernotes.importers.records import UnreadableSource
from linernotes.importers.sources import native
from tests.importers.test_export_markdown import build_small_site, tree

pytestmark = pytest.mark.django_db

POST = "posts/2024/10/moving-fast.md"
NEW_POST = """---
title: Written in git
slug: written-in-git
status: published
date: 2024-11-05T10:00:00+01:00
categories:
- data
authors:
- author: bob
---
Straight from a pull request.
"""


@pytest.fixture
def folder(settings: LazySettings, tmp_path: Path) -> Path:
    """The small site exported and synced once: the folder as a team would start it."""
    settings.TIME_ZONE = "Europe/Stockholm"
    build_small_site()
    root = tmp_path / "content"
    export_markdown(root)
    report = sync_content(root)
    assert (report.created, report.updated, report.conflicts) == (0, 0, [])
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    # A later time than the sync recorded, whatever the file system's clock resolution.
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_the_first_sync_of_an_export_of_this_database_duplicates_nothing(folder: Path) -> None:
    assert Post.objects.count() == 2
    assert Page.objects.count() == 2
    recorded = dict(ContentFile.objects.values_list("path", "post__slug"))
    assert recorded[POST] == "moving-fast"
    assert set(recorded) == {
        name for name in tree(folder) if name.endswith(".md") or name == "linernotes.yaml"
    }
    again = sync_content(folder)
    assert (again.created, again.updated, again.unpublished) == (0, 0, 0)
    assert again.unchanged == len(recorded)


def test_sync_creates_updates_and_unpublishes(folder: Path) -> None:
    (folder / "posts/2024/11").mkdir(parents=True)
    (folder / "posts/2024/11/written-in-git.md").write_text(NEW_POST, encoding="utf-8")
    edit(folder / POST, "title: Moving fast", "title: Moving faster")
    edit(folder / "pages/about.md", "About us.", "About all of us.")
    (folder / "posts/drafts/unfinished.md").unlink()
    Post.objects.filter(slug="unfinished").update(status=Status.REVIEW)
    ContentFile.objects.filter(path="posts/drafts/unfinished.md").update(
        version=Post.objects.get(slug="unfinished").version
    )

    report = sync_content(folder)

    assert (report.created, report.updated, report.unpublished) == (1, 2, 1)
    assert report.conflicts == []
    new = Post.objects.get(slug="written-in-git")
    assert new.status == Status.PUBLISHED
    assert [a.slug for a in new.authors.all()] == ["bob"]  # an author from a file left unread
    assert [c.slug for c in new.categories.all()] == ["data"]
    assert Post.objects.get(slug="moving-fast").title == "Moving faster"
    assert Page.objects.get(slug="about").body == "About all of us.\n"
    assert Post.objects.get(slug="unfinished").status == Status.DRAFT  # kept, not deleted
    assert Post.objects.count() == 3
    assert not ContentFile.objects.filter(path="posts/drafts/unfinished.md").exists()
    assert ContentFile.objects.get(path="posts/2024/11/written-in-git.md").post == new


def test_only_changed_files_are_opened_and_only_changed_bytes_parsed(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    parsed: list[list[str]] = []
    real_read_bytes, real_read_files = Path.read_bytes, native.read_files

    def read_bytes(path: Path) -> bytes:
        opened.append(path.relative_to(folder).as_posix())
        return real_read_bytes(path)

    def read_files(path: Path, files: Any, **options: Any) -> Any:
        parsed.append(sorted(files))
        return real_read_files(path, files, **options)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(native, "read_files", read_files)
    touched = folder / "pages/about.md"
    stat = touched.stat()
    os.utime(touched, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))  # a checkout
    edit(folder / POST, "Intro.", "Introduction.")

    report = sync_content(folder)

    assert sorted(opened) == sorted([POST, "pages/about.md"])
    assert parsed == [[POST]]
    assert report.updated == 1
    monkeypatch.undo()
    assert ContentFile.objects.get(path="pages/about.md").mtime_ns == touched.stat().st_mtime_ns


def test_a_change_on_both_sides_is_a_conflict_and_neither_is_overwritten(folder: Path) -> None:
    post = Post.objects.get(slug="moving-fast")
    post.title = "Renamed in the admin"
    post.save()
    edit(folder / POST, "title: Moving fast", "title: Renamed in git")
    on_disk = (folder / POST).read_bytes()
    (folder / "posts/2024/11").mkdir(parents=True)
    (folder / "posts/2024/11/written-in-git.md").write_text(NEW_POST, encoding="utf-8")

    with pytest.raises(CommandError, match="1 conflicts"):
        call_command("content", "sync", "--dir", str(folder))

    post.refresh_from_db()
    assert post.title == "Renamed in the admin"
    assert (folder / POST).read_bytes() == on_disk
    assert Post.objects.filter(slug="written-in-git").exists()  # the rest was synced
    report = sync_content(folder)
    assert [conflict.path for conflict in report.conflicts] == [POST]
    assert "Renamed in the admin" in report.conflicts[0].item

    settled = sync_content(folder, use_files=[POST])
    assert settled.conflicts == []
    assert Post.objects.get(pk=post.pk).title == "Renamed in git"
    assert sync_content(folder).conflicts == []


def test_a_file_holding_what_the_database_has_is_no_conflict(folder: Path) -> None:
    post = Post.objects.get(slug="moving-fast")
    post.summary = "Changed in the admin."
    post.save()
    export_markdown(folder, replace=True)  # how to settle a conflict for the database
    report = sync_content(folder)
    assert report.conflicts == []
    assert report.updated == 0


def test_a_deleted_file_whose_post_changed_is_a_conflict(folder: Path) -> None:
    post = Post.objects.get(slug="moving-fast")
    post.save()
    (folder / POST).unlink()
    report = sync_content(folder)
    assert [conflict.path for conflict in report.conflicts] == [POST]
    assert Post.objects.get(pk=post.pk).status == Status.PUBLISHED


def test_a_moved_file_is_the_same_post(folder: Path) -> None:
    (folder / "posts/2024/09").mkdir()
    (folder / POST).rename(folder / "posts/2024/09/moving-fast.md")
    edit(
        folder / "posts/2024/09/moving-fast.md",
        "date: 2024-10-01T00:30:00+02:00",
        "date: 2024-09-20T10:00:00+02:00",
    )
    report = sync_content(folder)
    assert (report.created, report.updated, report.unpublished) == (0, 1, 0)
    post = Post.objects.get(slug="moving-fast")
    assert post.status == Status.PUBLISHED
    assert post.published_at is not None
    assert post.published_at.month == 9
    assert ContentFile.objects.get(post=post).path == "posts/2024/09/moving-fast.md"


def test_a_dry_run_writes_nothing(folder: Path) -> None:
    (folder / "posts/2024/11").mkdir(parents=True)
    (folder / "posts/2024/11/written-in-git.md").write_text(NEW_POST, encoding="utf-8")
    edit(folder / POST, "title: Moving fast", "title: Moving faster")
    recorded = list(ContentFile.objects.order_by("pk").values())

    report = sync_content(folder, dry_run=True)

    assert (report.created, report.updated) == (1, 1)
    assert "would be created" in report.lines()[0]
    assert not Post.objects.filter(slug="written-in-git").exists()
    assert Post.objects.get(slug="moving-fast").title == "Moving fast"
    assert list(ContentFile.objects.order_by("pk").values()) == recorded


def test_a_broken_file_stops_the_sync_naming_it_and_nothing_is_half_done(folder: Path) -> None:
    (folder / "posts/2024/11").mkdir(parents=True)
    (folder / "posts/2024/11/written-in-git.md").write_text(NEW_POST, encoding="utf-8")
    edit(folder / POST, "title: Moving fast", "title: [unclosed")

    with pytest.raises(CommandError, match=rf"Nothing was synced\. .*{POST}:\d+: invalid YAML"):
        call_command("content", "sync", "--dir", str(folder))
    with pytest.raises(UnreadableSource):
        sync_content(folder)
    assert not Post.objects.filter(slug="written-in-git").exists()
    assert not ContentFile.objects.filter(path__endswith="written-in-git.md").exists()


def test_the_command_needs_a_folder_in_the_export_layout(
    settings: LazySettings, tmp_path: Path
) -> None:
    settings.LINERNOTES_CONTENT_DIR = ""
    with pytest.raises(CommandError, match="--dir DIR or set LINERNOTES_CONTENT_DIR"):
        call_command("content", "sync")
    with pytest.raises(CommandError, match=r"has no linernotes\.yaml"):
        call_command("content", "sync", "--dir", str(tmp_path))
    with pytest.raises(NotAContentFolder, match="is not a folder"):
        sync_content(tmp_path / "missing")


def test_the_setting_is_the_default_folder(
    folder: Path, settings: LazySettings, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.LINERNOTES_CONTENT_DIR = str(folder)
    call_command("content", "sync")
    assert "0 created, 0 updated, 0 unpublished" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_an_empty_database_takes_the_whole_folder(
    settings: LazySettings, tmp_path: Path, media_root: Path
) -> None:
    from tests.importers.test_round_trip import empty_database_and_media

    settings.TIME_ZONE = "Europe/Stockholm"
    build_small_site()
    export_markdown(tmp_path / "content")
    empty_database_and_media(media_root)

    report = sync_content(tmp_path / "content")

    assert report.conflicts == []
    assert set(Post.objects.values_list("slug", flat=True)) == {"moving-fast", "unfinished"}
    assert ContentFile.objects.filter(post__isnull=False).count() == 2
    export_markdown(tmp_path / "again")
    assert tree(tmp_path / "again") == tree(tmp_path / "content")
    assert sync_content(tmp_path / "content").updated == 0
