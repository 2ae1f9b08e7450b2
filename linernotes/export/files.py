"""Writing the output folder: a file only when its bytes changed, with its compressed twins.

Text files get ``.gz`` and ``.br`` copies beside them, made with the live site's own
compression, so nginx (``gzip_static``, ``brotli_static``) and CDNs can send them as they are.
Writes go through a temporary name and a rename, so a reader of the folder never sees half a
file and an interrupted build leaves the previous file in place.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from linernotes.site.compression import MIN_SIZE, compress

COMPRESSED_SUFFIXES = {".html", ".xml", ".json", ".txt", ".svg", ".css", ".js", ".map"}
ENCODINGS = (("gzip", ".gz"), ("br", ".br"))


def digest_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:32]


def is_safe_relative(name: str) -> bool:
    """A relative path that stays inside the output folder."""
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


def write_atomically(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(content)
    partial.replace(path)


def compressed_names(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for _, suffix in ENCODINGS]


def write_output(root: Path, name: str, content: bytes) -> None:
    """``content`` at ``root/name``, and its compressed copies when it is text worth it."""
    path = root / name
    write_atomically(path, content)
    compressible = path.suffix in COMPRESSED_SUFFIXES and len(content) >= MIN_SIZE
    for (encoding, _), twin in zip(ENCODINGS, compressed_names(path), strict=True):
        if compressible:
            write_atomically(twin, compress(content, encoding))
        else:
            twin.unlink(missing_ok=True)


def remove_output(root: Path, name: str) -> bool:
    """Delete ``name`` and its compressed twins; False when it was already gone."""
    path = root / name
    existed = path.exists()
    for stale in (path, *compressed_names(path)):
        stale.unlink(missing_ok=True)
    _prune_empty_folders(root, path.parent)
    return existed


def _prune_empty_folders(root: Path, folder: Path) -> None:
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def stamp(path: Path) -> str:
    info = path.stat()
    return f"{info.st_size}:{info.st_mtime_ns}"


def mirror(
    source: Path, root: Path, prefix: str, known: dict[str, str]
) -> tuple[dict[str, str], int]:
    """Copy the tree ``source`` to ``root/prefix``, skipping files whose size and time match
    the last copy, text files with their compressed twins; returns the new record (relative
    name -> stamp) and how many were copied.
    """
    record: dict[str, str] = {}
    copied = 0
    if not source.is_dir():
        return record, copied
    for folder, folders, names in os.walk(source):
        # Dot folders and files are work in progress (an import's staging area), not media.
        folders[:] = [name for name in folders if not name.startswith(".")]
        for file_name in names:
            if file_name.startswith("."):
                continue
            origin = Path(folder, file_name)
            name = f"{prefix}/{origin.relative_to(source).as_posix()}"
            record[name] = stamp(origin)
            target = root / name
            if known.get(name) == record[name] and target.exists():
                continue
            if origin.suffix in COMPRESSED_SUFFIXES:
                write_output(root, name, origin.read_bytes())
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(origin, target)
            copied += 1
    return record, copied
