"""A PostgreSQL instance backed up with pg_dump and restored with pg_restore into a new database.

Runs when the suite runs on PostgreSQL (LINERNOTES_TEST_DATABASE_URL); the restore target is
a scratch database of the test's own on the same server, dropped afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from linernotes.content.models import Post
from linernotes.newsletter.models import Subscriber
from tests.factories import CategoryFactory, PostFactory
from tests.operations.helpers import archive_members, file_bytes, linernotes
from tests.processes import clean_environment

TEST_DATABASE_URL = os.environ.get("LINERNOTES_TEST_DATABASE_URL", "").strip()
pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith(("postgres://", "postgresql://")),
    reason="the suite runs on SQLite; LINERNOTES_TEST_DATABASE_URL names no PostgreSQL server",
)

Tables = dict[str, list[tuple[Any, ...]]]


def url_of(database: str) -> str:
    return urlsplit(TEST_DATABASE_URL)._replace(path=f"/{database}").geturl()


def every_row(url: str) -> Tables:
    with psycopg.connect(url) as db:
        names = [
            name
            for (name,) in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        tables = {
            name: sorted(
                db.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(name))).fetchall(),
                key=repr,
            )
            for name in names
        }
        # Sequences too: the next row restored instances add must not take a restored id.
        tables["(sequences)"] = db.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' "
            "ORDER BY sequencename"
        ).fetchall()
        return tables


@pytest.fixture
def scratch_database() -> Iterator[str]:
    name = f"linernotes_restore_{os.getpid()}"
    with psycopg.connect(url_of("postgres"), autocommit=True) as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with psycopg.connect(url_of("postgres"), autocommit=True) as server:
            server.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def test_a_postgres_backup_restores_into_a_new_database_row_for_row(
    transactional_db: None, media_root: Path, tmp_path: Path, scratch_database: str
) -> None:
    category = CategoryFactory.create(slug="platform")
    for number in range(3):
        PostFactory.create(slug=f"post-{number}", categories=[category])
    Subscriber.objects.create(email="reader@example.com")
    (media_root / "uploads").mkdir()
    (media_root / "uploads" / "photo.png").write_bytes(b"\x89PNG pixels")
    archive = tmp_path / "site.tar.gz"

    call_command("backup", "--output", str(archive))
    members = archive_members(archive)
    assert set(members) == {"database.pgdump", "media/uploads/photo.png", "manifest.json"}
    assert members["database.pgdump"].startswith(b"PGDMP"), "pg_dump's custom format"

    target = tmp_path / "restored"
    target.mkdir()
    env = clean_environment(
        LINERNOTES_VAR_DIR=str(target / "var"),
        DATABASE_URL=url_of(scratch_database),
        LINERNOTES_SECRET_KEY="operations-test-key-" + "k" * 40,
    )
    result = linernotes(target, "restore", str(archive), env=env)
    assert "posts: 3," in result.stdout
    assert "subscribers: 1," in result.stdout
    assert "migrate" not in result.stdout

    source = url_of(connection.settings_dict["NAME"])
    assert every_row(url_of(scratch_database)) == every_row(source)
    assert file_bytes(target / "var" / "media") == {"uploads/photo.png": b"\x89PNG pixels"}
    assert Post.objects.count() == 3, "the backup left its own database as it was"

    refused = linernotes(target, "restore", str(archive), env=env, check=False)
    assert refused.returncode != 0
    assert "already holds content (posts: 3," in refused.stderr
