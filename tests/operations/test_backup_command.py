"""`linernotes backup` in this process, over a SQLite file of the test's own: what it writes,
what it leaves when it fails, and what it does when uploads are kept in object storage."""

from __future__ import annotations

import json
import sqlite3
import tarfile
from contextlib import closing
from datetime import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.conf import LazySettings
from django.core.management import CommandError, call_command
from django.db import connection

from linernotes.operations import backup
from linernotes.operations.manifest import ArchivedFile, BackupError
from tests.operations.helpers import archive_members, sha256


@pytest.fixture
def sqlite_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The backup reads this file as the instance's database."""
    if connection.vendor != "sqlite":
        pytest.skip("copies a SQLite file; the PostgreSQL round trip has a test of its own")
    database = tmp_path / "site.sqlite3"
    with closing(sqlite3.connect(database)) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE note (text TEXT)")
        db.execute("INSERT INTO note VALUES ('kept')")
        db.commit()
    monkeypatch.setattr(backup, "database_settings", lambda: {"NAME": str(database)})
    return database


@pytest.fixture
def output(tmp_path: Path) -> Path:
    folder = tmp_path / "backups"
    folder.mkdir()
    return folder


def test_the_archive_holds_the_database_media_and_a_manifest_that_describes_them(
    sqlite_file: Path, media_root: Path, output: Path
) -> None:
    (media_root / "a.png").write_bytes(b"first image")
    (media_root / "nested").mkdir()
    (media_root / "nested" / "b.png").write_bytes(b"second image")
    (media_root / "link.png").symlink_to(media_root / "a.png")
    errors = StringIO()
    call_command(
        "backup", "--output", str(output / "site.tar.gz"), stdout=StringIO(), stderr=errors
    )

    members = archive_members(output / "site.tar.gz")
    assert list(members) == [
        "database.sqlite3",
        "media/a.png",
        "media/nested/b.png",
        "manifest.json",
    ]
    manifest = json.loads(members["manifest.json"])
    assert manifest["format"] == "linernotes-backup"
    assert manifest["database_vendor"] == "sqlite"
    assert manifest["database"]["sha256"] == sha256(members["database.sqlite3"])
    assert manifest["media"] == [
        {"path": "a.png", "size": 11, "sha256": sha256(b"first image")},
        {"path": "nested/b.png", "size": 12, "sha256": sha256(b"second image")},
    ]
    copy = output / "copy.sqlite3"
    copy.write_bytes(members["database.sqlite3"])
    with closing(sqlite3.connect(copy)) as db:
        assert db.execute("SELECT text FROM note").fetchall() == [("kept",)]
        # A file of its own, not one that needs a -wal file beside it.
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert f"Not archived: {media_root / 'link.png'} is a link" in errors.getvalue()


def test_a_failed_backup_leaves_nothing_behind(
    sqlite_file: Path, media_root: Path, output: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (media_root / "a.png").write_bytes(b"first image")
    (media_root / "b.png").write_bytes(b"second image")
    add_file = backup._add_file

    def fail_on_the_second_image(
        archive: tarfile.TarFile, path: Path, member: str, mtime: float
    ) -> ArchivedFile:
        if member == "media/b.png":
            raise BackupError(f"Cannot archive {path}: Input/output error")
        return add_file(archive, path, member, mtime)

    monkeypatch.setattr(backup, "_add_file", fail_on_the_second_image)
    with pytest.raises(CommandError, match=r"Cannot archive .*b\.png: Input/output error"):
        call_command("backup", "--output", str(output / "site.tar.gz"), stdout=StringIO())
    assert list(output.iterdir()) == []


def test_uploads_in_object_storage_are_left_to_the_bucket(
    sqlite_file: Path, media_root: Path, output: Path, settings: LazySettings
) -> None:
    (media_root / "stale.png").write_bytes(b"a file from before the move to a bucket")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    errors = StringIO()
    call_command(
        "backup", "--output", str(output / "site.tar.gz"), stdout=StringIO(), stderr=errors
    )
    assert list(archive_members(output / "site.tar.gz")) == ["database.sqlite3", "manifest.json"]
    assert "this archive holds the database only" in errors.getvalue()


@pytest.mark.parametrize(
    ("target", "problem"), [("", "is a folder"), ("missing/site.tar.gz", "does not exist")]
)
def test_an_unusable_target_is_refused(output: Path, target: str, problem: str) -> None:
    with pytest.raises(CommandError, match=problem):
        call_command("backup", "--output", str(output / target), stdout=StringIO())
    assert list(output.iterdir()) == []


def test_an_archive_inside_the_media_folder_is_refused(media_root: Path) -> None:
    with pytest.raises(CommandError, match="is inside the media folder"):
        call_command("backup", "--output", str(media_root / "site.tar.gz"), stdout=StringIO())
    assert list(media_root.iterdir()) == []


def test_the_default_name_carries_the_time() -> None:
    name = backup.default_archive_name(datetime(2025, 3, 4, 5, 6, 7))
    assert name == "linernotes-backup-20250304-050607.tar.gz"
