"""What a backup archive holds, and the manifest that lets a restore check every byte of it.

An archive is a gzip-compressed tar file with, in this order:

    database.sqlite3 or database.pgdump   the database at one moment
    media/<path>                          every file under MEDIA_ROOT
    manifest.json                         the format, versions, and each file's size and sha256

The manifest comes last because it records the checksums of the bytes as they were written.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Any

FORMAT = "linernotes-backup"
FORMAT_VERSION = 1
MANIFEST_MEMBER = "manifest.json"
MEDIA_PREFIX = "media/"
# The archive's name for the database copy, by Django's name for the database vendor.
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Far above any real manifest (a line per media file); a bigger one is not a manifest.
MANIFEST_MAX_BYTES = 64 * 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message tells the operator why."""


@dataclass(frozen=True)
class ArchivedFile:
    """A file in the archive: its member name, size in bytes and sha256 (hex)."""

    member: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    linernotes_version: str
    vendor: str
    created_at: str
    database: ArchivedFile
    media: tuple[ArchivedFile, ...]

    def files(self) -> dict[str, ArchivedFile]:
        """Every file the archive must hold besides the manifest, by member name."""
        return {entry.member: entry for entry in (self.database, *self.media)}

    def to_json(self) -> bytes:
        document = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "linernotes_version": self.linernotes_version,
            "database_vendor": self.vendor,
            "created_at": self.created_at,
            "database": asdict(self.database),
            "media": [
                {"path": entry.member.removeprefix(MEDIA_PREFIX), **_size_and_sum(entry)}
                for entry in self.media
            ],
        }
        return json.dumps(document, indent=1, ensure_ascii=False).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        """The manifest in ``data``; BackupError saying what is wrong with it otherwise."""
        try:
            document = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise BackupError(f"its manifest.json is not valid JSON ({error})") from None
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise BackupError(f"its manifest.json does not describe a {FORMAT} archive")
        if document.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                f"it is in backup format {document.get('format_version')!r}, and this version "
                f"of Liner Notes reads format {FORMAT_VERSION}: restore it with the version "
                f"that made it ({document.get('linernotes_version', 'unknown')}) or a newer one"
            )
        try:
            vendor = _text(document, "database_vendor")
            if vendor not in DATABASE_MEMBERS:
                raise ValueError(f"database_vendor {vendor!r} is not one Liner Notes backs up")
            database = _archived(document["database"], "member")
            media = tuple(
                _archived({**entry, "member": MEDIA_PREFIX + _text(entry, "path")}, "member")
                for entry in _list(document, "media")
            )
            return cls(
                linernotes_version=_text(document, "linernotes_version"),
                vendor=vendor,
                created_at=_text(document, "created_at"),
                database=database,
                media=media,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise BackupError(f"its manifest.json is incomplete or malformed ({error})") from None


def _size_and_sum(entry: ArchivedFile) -> dict[str, Any]:
    return {"size": entry.size, "sha256": entry.sha256}


def _text(document: dict[str, Any], key: str) -> str:
    value = document[key]
    if not isinstance(value, str) or not value:
        raise ValueError(f"{key} must be a non-empty string")
    return value


def _list(document: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = document[key]
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ValueError(f"{key} must be a list of objects")
    return value


def _archived(entry: dict[str, Any], key: str) -> ArchivedFile:
    size, digest = entry["size"], entry["sha256"]
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ValueError(f"the size of {entry.get(key)!r} must be a whole number of bytes")
    if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
        raise ValueError(f"the sha256 of {entry.get(key)!r} must be 64 hex digits")
    return ArchivedFile(member=_text(entry, key), size=size, sha256=digest)
