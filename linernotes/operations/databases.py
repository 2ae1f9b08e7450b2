"""Copying the database out of a running instance and back into an empty one.

SQLite is copied with its online backup API, in one step: one read transaction, so the copy
is the database at one moment while the site and the worker go on writing (WAL lets readers
and a writer work at once). PostgreSQL is dumped with ``pg_dump`` (one snapshot) and read
back with ``pg_restore``. The connection reaches both programs through libpq's environment
variables, so the password never appears in a process listing.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path
from typing import Any

from django.db import connections

from linernotes.operations.manifest import BackupError

# The database OPTIONS (from DATABASE_URL's query) that libpq also reads from the environment.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
}
SQLITE_TIMEOUT_SECONDS = 20


def database_settings() -> dict[str, Any]:
    return connections["default"].settings_dict


def sqlite_in_memory(settings_dict: dict[str, Any]) -> bool:
    name = str(settings_dict["NAME"])
    return name == ":memory:" or "mode=memory" in name


def sqlite_path(settings_dict: dict[str, Any]) -> Path:
    if sqlite_in_memory(settings_dict):
        raise BackupError("The database is in memory: there is no file to back up or restore.")
    return Path(settings_dict["NAME"])


def copy_sqlite(source: Path, copy: Path) -> None:
    """A consistent copy of the SQLite database at ``source``, as one self-contained file."""
    if not source.is_file():
        raise BackupError(f"There is no database at {source}: nothing to back up.")
    try:
        with (
            closing(sqlite3.connect(source, timeout=SQLITE_TIMEOUT_SECONDS)) as live,
            closing(sqlite3.connect(copy)) as target,
        ):
            # All pages in one step: a step-by-step copy would start over whenever another
            # process writes between steps, and might never finish on a busy site.
            live.backup(target)
            # The live file is in WAL mode; the copy needs no -wal file beside it.
            target.execute("PRAGMA journal_mode=DELETE")
            problems = _integrity_problems(target, "quick_check")
    except sqlite3.Error as error:
        raise BackupError(f"Cannot copy the database {source}: {error}") from None
    if problems:
        raise BackupError(f"The database {source} fails SQLite's check: {problems}")


def restore_sqlite(copy: Path, target: Path) -> None:
    """Write the database copy over the (empty) database at ``target``, through SQLite."""
    try:
        with closing(sqlite3.connect(copy)) as source:
            problems = _integrity_problems(source, "integrity_check")
            if problems:
                raise BackupError(f"The archived database fails SQLite's check: {problems}")
            target.parent.mkdir(parents=True, exist_ok=True)
            # Through the backup API rather than a file copy, so a -wal file of the old
            # database, or a process that has it open, sees the new one and not a mixture.
            with closing(sqlite3.connect(target, timeout=SQLITE_TIMEOUT_SECONDS)) as live:
                source.backup(live)
    except sqlite3.Error as error:
        raise BackupError(f"Cannot write the database {target}: {error}") from None


def _integrity_problems(database: sqlite3.Connection, pragma: str) -> str:
    rows = [row[0] for row in database.execute(f"PRAGMA {pragma}")]
    return "" if rows == ["ok"] else "; ".join(map(str, rows[:5]))


def libpq_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """This process's environment with the connection of ``settings_dict`` in PG* variables."""
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
    }
    options = settings_dict.get("OPTIONS") or {}
    values.update({variable: options.get(name) for name, variable in LIBPQ_OPTIONS.items()})
    return {**os.environ, **{name: str(value) for name, value in values.items() if value}}


def dump_postgres(settings_dict: dict[str, Any], dump: Path) -> None:
    # Uncompressed: the archive around it compresses everything once.
    _run_postgres_program(
        "pg_dump",
        ["--format=custom", "--compress=0", f"--file={dump}"],
        settings_dict,
    )


def restore_postgres(settings_dict: dict[str, Any], dump: Path) -> None:
    _run_postgres_program(
        "pg_restore",
        [
            *("--clean", "--if-exists", "--no-owner"),
            # Grants name roles of the old server, which the new one may not have.
            "--no-privileges",
            # All or nothing: a restore that fails part way leaves the database as it was.
            *("--single-transaction", "--exit-on-error"),
            # An empty name makes libpq take the database from PGDATABASE.
            "--dbname=",
            str(dump),
        ],
        settings_dict,
    )


def _run_postgres_program(name: str, arguments: list[str], settings_dict: dict[str, Any]) -> None:
    program = shutil.which(name)
    if program is None:
        raise BackupError(
            f"{name} was not found on PATH: install PostgreSQL's client programs "
            "(on Debian and Ubuntu, the postgresql-client package) in the server's version."
        )
    # --no-password: fail at once rather than wait at a prompt nobody sees (cron, systemd).
    result = subprocess.run(
        [program, "--no-password", *arguments],
        env=libpq_environment(settings_dict),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{name} failed: {result.stderr.strip() or f'exit {result.returncode}'}")
