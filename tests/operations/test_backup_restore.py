"""A backup of the demo taken while another process keeps writing, restored into a new instance.

Each write of the writer is one transaction that adds a category, a post in it and the post's
revision. A copy that mixed two moments would hold some of one transaction's rows without the
others; the restored database must hold whole transactions only, a prefix of the writer's,
and otherwise be the live database row for row.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.operations.helpers import (
    Rows,
    archive_members,
    copy_with_backup_api,
    database_file,
    every_row,
    file_bytes,
    instance_environment,
    linernotes,
    manifest_for,
    media_folder,
    query,
    write_archive,
)
from tests.processes import REPOSITORY

WRITER = """
import os, sys
import django
django.setup()
from django.db import connection, transaction
from linernotes.content.models import Category, Post
from linernotes.content.revisions import record_revision

# Every write stays in the -wal file, as recent writes do between SQLite's checkpoints: only
# a copy made through SQLite sees them, a copy of the database file alone would not.
connection.cursor().execute("PRAGMA wal_autocheckpoint=0")
stop, number = sys.argv[1], 0
while not os.path.exists(stop):
    with transaction.atomic():
        category = Category.objects.create(name=f"Writer {number}", slug=f"writer-{number}")
        post = Post.objects.create(
            title=f"Writer post {number}", slug=f"writer-post-{number}", body=f"Text {number}."
        )
        post.categories.add(category)
        record_revision(post, by=None)
    number += 1
"""
WRITER_CATEGORIES = "SELECT slug FROM content_category WHERE slug LIKE 'writer-%'"
WRITER_POSTS = "SELECT slug FROM content_post WHERE slug LIKE 'writer-post-%'"

# The demo copies its images into the media folder: one file each.
DEMO_MEDIA_FILES = len(list((REPOSITORY / "linernotes" / "demo" / "media").glob("*.png")))


@dataclass(frozen=True)
class Backup:
    site: Path
    archive: Path
    before_writing: Rows
    after_writing: Rows
    written_before_backup: int
    written_after_backup: int
    written_in_the_end: int
    output: str


def written(database: Path) -> int:
    return len(query(database, WRITER_CATEGORIES))


def wait_for_writes(database: Path, at_least: int, writer: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + 60
    while (count := written(database)) < at_least:
        assert writer.poll() is None, "the writer stopped"
        assert time.monotonic() < deadline, f"the writer made {count} writes in a minute"
        time.sleep(0.05)
    return count


@pytest.fixture(scope="module")
def backup(tmp_path_factory: pytest.TempPathFactory) -> Backup:
    site = tmp_path_factory.mktemp("site")
    (site / "var").mkdir()
    linernotes(site, "demo", "--no-serve")
    database = database_file(site)
    before = site / "before.sqlite3"
    copy_with_backup_api(database, before)
    stop = site / "stop-writing"
    env = {**instance_environment(site), "DJANGO_SETTINGS_MODULE": "linernotes.config.settings"}
    with (site / "writer.log").open("w") as log:
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(stop)],
            cwd=site,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            written_before = wait_for_writes(database, 3, writer)
            result = linernotes(site, "backup", "--output", str(site / "site.tar.gz"))
            written_after = written(database)
            # Go on a little after the backup, so the live database moves past its moment.
            wait_for_writes(database, written_after + 3, writer)
        finally:
            stop.touch()
            writer.wait(timeout=60)
    assert writer.returncode == 0, (site / "writer.log").read_text()
    after = site / "after.sqlite3"
    copy_with_backup_api(database, after)
    return Backup(
        site=site,
        archive=site / "site.tar.gz",
        before_writing=every_row(before),
        after_writing=every_row(after),
        written_before_backup=written_before,
        written_after_backup=written_after,
        written_in_the_end=written(after),
        output=result.stdout,
    )


def restored_instance(root: Path, backup: Backup) -> subprocess.CompletedProcess[str]:
    return linernotes(root, "restore", str(backup.archive))


def test_the_backup_reports_its_archive_and_sizes(backup: Backup) -> None:
    assert f"Backup written to {backup.archive}" in backup.output
    assert f"{DEMO_MEDIA_FILES} media files" in backup.output
    assert backup.archive.stat().st_mode & 0o077 == 0, "the archive is its owner's only"
    # Nothing half-written is left beside it.
    assert sorted(path.name for path in backup.site.glob(".*")) == []


def test_the_restore_is_one_consistent_moment_of_the_live_database(
    backup: Backup, tmp_path: Path
) -> None:
    result = restored_instance(tmp_path, backup)
    restored = database_file(tmp_path)
    assert query(restored, "PRAGMA integrity_check") == [("ok",)]
    assert query(restored, "PRAGMA foreign_key_check") == []

    # The writer's transactions, whole: n categories, n posts, n links and n revisions.
    count = len(query(restored, WRITER_CATEGORIES))
    assert backup.written_before_backup <= count <= backup.written_after_backup
    assert count < backup.written_in_the_end, "the live database went on past the backup"
    numbers = set(range(count))
    assert {int(slug.rsplit("-", 1)[1]) for (slug,) in query(restored, WRITER_CATEGORIES)} == (
        numbers
    )
    assert {int(slug.rsplit("-", 1)[1]) for (slug,) in query(restored, WRITER_POSTS)} == numbers
    linked = """SELECT p.slug, c.slug FROM content_post_categories pc
        JOIN content_post p ON p.id = pc.post_id JOIN content_category c ON c.id = pc.category_id
        WHERE p.slug LIKE 'writer-post-%'"""
    assert sorted(query(restored, linked)) == sorted(
        (f"writer-post-{n}", f"writer-{n}") for n in numbers
    )
    revisions = """SELECT COUNT(*) FROM content_revision r JOIN content_post p ON p.id = r.post_id
        WHERE p.slug LIKE 'writer-post-%'"""
    assert query(restored, revisions) == [(count,)]
    assert f"posts: {len(query(restored, 'SELECT id FROM content_post'))}," in result.stdout


def test_every_table_the_writer_left_alone_is_restored_row_for_row(
    backup: Backup, tmp_path: Path
) -> None:
    restored_instance(tmp_path, backup)
    restored = every_row(database_file(tmp_path))
    assert set(restored) == set(backup.after_writing)
    untouched = [
        table
        for table, rows in backup.before_writing.items()
        if backup.after_writing[table] == rows
    ]
    # Users, authors, pages, bylines, subscribers and more: most of the schema.
    assert {"auth_user", "content_author", "content_page", "content_byline"} <= set(untouched)
    for table in untouched:
        assert restored[table] == backup.after_writing[table], table
    # The posts the writer added are the live ones, column for column.
    restored_posts = restored["content_post"]
    assert set(restored_posts) <= set(backup.after_writing["content_post"])
    assert set(backup.before_writing["content_post"]) <= set(restored_posts)


def test_the_restore_is_the_archived_copy_row_for_row_and_every_media_file(
    backup: Backup, tmp_path: Path
) -> None:
    result = restored_instance(tmp_path, backup)
    archived = tmp_path / "archived.sqlite3"
    archived.write_bytes(archive_members(backup.archive)["database.sqlite3"])
    assert every_row(database_file(tmp_path)) == every_row(archived)

    live_media = file_bytes(media_folder(backup.site))
    assert len(live_media) == DEMO_MEDIA_FILES
    assert file_bytes(media_folder(tmp_path)) == live_media
    posts = len(every_row(archived)["content_post"])
    assert f"posts: {posts}," in result.stdout
    assert f"media files: {DEMO_MEDIA_FILES} " in result.stdout
    assert "migrate" not in result.stdout, "the archive is as new as the code"


def test_the_restored_instance_serves_the_site(backup: Backup, tmp_path: Path) -> None:
    restored_instance(tmp_path, backup)
    # The feed needs no collected static files (collectstatic is part of an upgrade, not of
    # a restore): the content is served straight from the restored database.
    script = """
import django; django.setup()
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
feed = client.get("/feed/")
print(client.get("/healthz").status_code, feed.status_code, feed.content.count(b"<item>"))
"""
    env = {
        **instance_environment(tmp_path),
        "DJANGO_SETTINGS_MODULE": "linernotes.config.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    health, feed, items = result.stdout.split()
    assert (health, feed) == ("200", "200"), result.stderr
    assert int(items) > 0


def test_a_restore_over_content_is_refused_without_force(backup: Backup, tmp_path: Path) -> None:
    restored_instance(tmp_path, backup)
    database = database_file(tmp_path)
    before = database.read_bytes()
    refused = linernotes(tmp_path, "restore", str(backup.archive), check=False)
    assert refused.returncode != 0
    assert "already holds content" in refused.stderr
    assert "--force" in refused.stderr
    assert database.read_bytes() == before


def test_force_restores_over_content_and_keeps_other_media(backup: Backup, tmp_path: Path) -> None:
    restored_instance(tmp_path, backup)
    database = database_file(tmp_path)
    with_post = len(query(database, "SELECT id FROM content_post"))
    linernotes(
        tmp_path,
        "shell",
        "-c",
        "from linernotes.content.models import Post; Post.objects.all().delete()",
    )
    assert query(database, "SELECT id FROM content_post") == []
    (media_folder(tmp_path) / "kept.txt").write_text("not in the archive")
    changed = media_folder(tmp_path) / "demo" / "layout-shift.png"
    changed.write_bytes(b"changed")

    linernotes(tmp_path, "restore", "--force", str(backup.archive))
    assert len(query(database, "SELECT id FROM content_post")) == with_post
    assert (
        changed.read_bytes() == (media_folder(backup.site) / "demo/layout-shift.png").read_bytes()
    )
    assert (media_folder(tmp_path) / "kept.txt").read_text() == "not in the archive"
    assert list(tmp_path.rglob(".linernotes-restore-*")) == [], "the staging folder is gone"


def test_an_archive_behind_this_code_restores_with_a_hint_to_migrate(
    backup: Backup, tmp_path: Path
) -> None:
    members = archive_members(backup.archive)
    older = tmp_path / "older.sqlite3"
    older.write_bytes(members["database.sqlite3"])
    # As if made by the previous release: its newest migration of the site app not yet run.
    with closing(sqlite3.connect(older)) as db:
        db.execute(
            "DELETE FROM django_migrations WHERE id = "
            "(SELECT MAX(id) FROM django_migrations WHERE app = 'site')"
        )
        db.commit()
    media = {
        name.removeprefix("media/"): data
        for name, data in members.items()
        if name.startswith("media/")
    }
    archive = write_archive(
        tmp_path / "older.tar.gz",
        [
            ("database.sqlite3", older.read_bytes()),
            *((f"media/{path}", data) for path, data in media.items()),
            ("manifest.json", manifest_for(older.read_bytes(), media)),
        ],
    )
    site = tmp_path / "site"
    site.mkdir()
    result = linernotes(site, "restore", str(archive))
    assert "lacks 1 of this version's migrations: run `linernotes migrate`" in result.stdout
