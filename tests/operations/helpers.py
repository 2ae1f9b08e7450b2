"""Instances in folders of their own, run as an operator runs them, and what their files hold."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import subprocess
import sys
import tarfile
from contextlib import closing
from pathlib import Path
from typing import Any

from tests.processes import clean_environment

Rows = dict[str, list[tuple[Any, ...]]]


def instance_environment(root: Path) -> dict[str, str]:
    """An instance whose database, media and secret key all live under ``root``/var."""
    var = root / "var"
    return clean_environment(
        LINERNOTES_VAR_DIR=str(var),
        DATABASE_URL=f"sqlite:///{var / 'site.sqlite3'}",
        LINERNOTES_SECRET_KEY="operations-test-key-" + "k" * 40,
    )


def database_file(root: Path) -> Path:
    return root / "var" / "site.sqlite3"


def media_folder(root: Path) -> Path:
    return root / "var" / "media"


def linernotes(
    root: Path, *args: str, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """``linernotes ARGS`` for the instance at ``root``, run from that folder."""
    result = subprocess.run(
        [sys.executable, "-m", "linernotes.cli", *args],
        cwd=root,
        env=env or instance_environment(root),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def copy_with_backup_api(database: Path, copy: Path) -> None:
    """The test's own consistent copy of a live SQLite database."""
    with (
        closing(sqlite3.connect(database, timeout=20)) as live,
        closing(sqlite3.connect(copy)) as out,
    ):
        live.backup(out)


def every_row(database: Path) -> Rows:
    """Every row of every table (virtual and shadow tables included), in a stable order."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            table: sorted(db.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in sorted(tables)
        }


def query(database: Path, sql: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=20)) as db:
        return db.execute(sql).fetchall()


def file_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its relative path."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def archive_members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {
            member.name: tar.extractfile(member).read()
            for member in tar.getmembers()
            if member.isfile()
        }


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_archive(path: Path, members: list[tarfile.TarInfo | tuple[str, bytes]]) -> Path:
    """A .tar.gz of ``members``: (name, bytes) for plain files, or TarInfo for anything else."""
    with tarfile.open(path, "w:gz") as tar:
        for member in members:
            if isinstance(member, tarfile.TarInfo):
                tar.addfile(member)
            else:
                name, data = member
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return path


DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


def manifest_for(database: bytes, media: dict[str, bytes], vendor: str = "sqlite") -> bytes:
    """The manifest a backup of ``database`` and ``media`` (path -> bytes) would carry."""
    return json.dumps(
        {
            "format": "linernotes-backup",
            "format_version": 1,
            "linernotes_version": "0.1.0",
            "database_vendor": vendor,
            "created_at": "2025-01-01T00:00:00+00:00",
            "database": {
                "member": DATABASE_MEMBERS[vendor],
                "size": len(database),
                "sha256": sha256(database),
            },
            "media": [
                {"path": path, "size": len(data), "sha256": sha256(data)}
                for path, data in media.items()
            ],
        }
    ).encode()
