"""What this instance holds: counts of its content, its media files, its pending migrations."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from linernotes.operations.databases import database_settings, sqlite_in_memory, sqlite_path

# What a restore reports, and what makes an instance "not empty": rows an operator would
# lose. A fresh `migrate` makes rows of its own (roles, permissions), which are not counted.
COUNTED_MODELS = {
    "posts": "content.Post",
    "pages": "content.Page",
    "categories": "content.Category",
    "authors": "content.Author",
    "media library files": "content.MediaFile",
    "revisions": "content.Revision",
    "subscribers": "newsletter.Subscriber",
    "user accounts": settings.AUTH_USER_MODEL,
}


def content_counts() -> dict[str, int]:
    """Rows of each counted kind; none for a database not created yet or without the tables."""
    database = database_settings()
    if (
        connection.vendor == "sqlite"
        and not sqlite_in_memory(database)
        and not sqlite_path(database).exists()
    ):
        # Connecting would create the file; an instance without one holds nothing.
        return dict.fromkeys(COUNTED_MODELS, 0)
    tables = set(connection.introspection.table_names())
    counts = {}
    for label, model_name in COUNTED_MODELS.items():
        model = apps.get_model(model_name)
        # COUNT(*) reads no column, so an older schema (a restore before `migrate`) answers.
        counts[label] = model._default_manager.count() if model._meta.db_table in tables else 0
    return counts


@dataclass
class MediaListing:
    """The regular files under the media folder (sorted, with their stat results), and the
    links there, which are not followed: what a link points at is not the instance's."""

    files: list[tuple[Path, os.stat_result]] = field(default_factory=list)
    links: list[Path] = field(default_factory=list)


def list_media(root: Path) -> MediaListing:
    listing = MediaListing()
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        listing.links += [
            Path(folder, name) for name in subfolders if Path(folder, name).is_symlink()
        ]
        for name in sorted(names):
            path = Path(folder, name)
            try:
                status = path.lstat()
            except FileNotFoundError:
                continue  # deleted since the folder was listed
            if stat.S_ISLNK(status.st_mode):
                listing.links.append(path)
            elif stat.S_ISREG(status.st_mode):
                listing.files.append((path, status))
    return listing


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def media_in_folder() -> bool:
    """Whether uploads are kept in MEDIA_ROOT, rather than in object storage (a bucket),
    which its provider backs up and a folder's archive cannot hold."""
    return isinstance(storages["default"], FileSystemStorage)


def pending_migrations() -> int:
    """How many migrations this code has that the database has not applied."""
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
