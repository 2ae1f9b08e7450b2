"""Archives a restore must refuse, naming the member and the problem, with nothing changed.

Each is restored with --force over an instance with content, so only the archive's checks
stand between it and the instance.
"""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from linernotes.content.models import Post
from tests.factories import PostFactory
from tests.operations.helpers import manifest_for, write_archive

pytestmark = pytest.mark.django_db

DATABASE = b"SQLite format 3\x00" + bytes(100)
IMAGE = b"\x89PNG\r\n\x1a\n" + b"pixels" * 20


def link(name: str, target: str, kind: bytes = tarfile.SYMTYPE) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info


def well_formed(
    *extra: tarfile.TarInfo | tuple[str, bytes],
) -> list[tarfile.TarInfo | tuple[str, bytes]]:
    """A backup's members as the backup command writes them, and ``extra`` before the manifest."""
    return [
        ("database.sqlite3", DATABASE),
        ("media/uploads/photo.png", IMAGE),
        *extra,
        ("manifest.json", manifest_for(DATABASE, {"uploads/photo.png": IMAGE})),
    ]


@pytest.fixture
def instance(media_root: Path) -> tuple[Path, dict[str, bytes]]:
    """An instance with a post and a media file, and the media folder's bytes."""
    PostFactory.create(slug="kept")
    (media_root / "existing.png").write_bytes(b"existing")
    return media_root, {"existing.png": b"existing"}


def assert_nothing_changed(media_root: Path, files: dict[str, bytes], tmp_path: Path) -> None:
    assert {
        path.relative_to(media_root).as_posix(): path.read_bytes()
        for path in media_root.rglob("*")
        if path.is_file()
    } == files
    assert list(Post.objects.values_list("slug", flat=True)) == ["kept"]
    # No staging folder left behind, and nothing written outside the media folder.
    assert sorted(path.name for path in tmp_path.iterdir()) == ["hostile.tar.gz", "media"]


def refusal(archive: Path) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), "--force")
    return str(refused.value)


@pytest.mark.parametrize(
    ("member", "problem"),
    [
        (("../escaped.txt", b"out"), "leads out of the folder it is restored to"),
        (("media/../../escaped.txt", b"out"), "leads out of the folder it is restored to"),
        (("/tmp/absolute.txt", b"out"), "is an absolute path"),
        (link("media/uploads/passwd.png", "/etc/passwd"), "is a link (to '/etc/passwd')"),
        (link("media/uploads/hard.png", "database.sqlite3", tarfile.LNKTYPE), "is a link"),
        (link("media/uploads/fifo", "", tarfile.FIFOTYPE), "is a device, pipe"),
        (("settings.py", b"SECRET_KEY = 'x'"), "is not part of a Liner Notes backup"),
        (("media/extra.png", IMAGE), "is not listed in the manifest"),
    ],
)
def test_a_member_that_breaks_the_rules_is_refused_by_name(
    instance: tuple[Path, dict[str, bytes]],
    tmp_path: Path,
    member: tarfile.TarInfo | tuple[str, bytes],
    problem: str,
) -> None:
    archive = write_archive(tmp_path / "hostile.tar.gz", well_formed(member))
    message = refusal(archive)
    name = member.name if isinstance(member, tarfile.TarInfo) else member[0]
    assert str(archive) in message
    assert repr(name) in message
    assert problem in message
    assert not Path("/tmp/absolute.txt").exists()
    assert_nothing_changed(*instance, tmp_path)


def test_a_file_that_does_not_match_its_checksum_is_refused(
    instance: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    members = well_formed()
    members[1] = ("media/uploads/photo.png", IMAGE[:-1] + b"!")
    archive = write_archive(tmp_path / "hostile.tar.gz", members)
    message = refusal(archive)
    assert "'media/uploads/photo.png' does not match the manifest's size and sha256" in message
    assert_nothing_changed(*instance, tmp_path)


def test_a_file_the_manifest_lists_but_the_archive_lacks_is_refused(
    instance: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    members = [member for member in well_formed() if member[0] != "media/uploads/photo.png"]
    archive = write_archive(tmp_path / "hostile.tar.gz", members)
    assert "'media/uploads/photo.png' is in the manifest but not in the archive" in refusal(archive)
    assert_nothing_changed(*instance, tmp_path)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"%PDF-1.4 not an archive at all" * 50, "cannot be read as a .tar.gz archive"),
        (b"", "cannot be read as a .tar.gz archive"),
    ],
)
def test_a_file_that_is_not_an_archive_is_refused(
    instance: tuple[Path, dict[str, bytes]], tmp_path: Path, content: bytes, problem: str
) -> None:
    archive = tmp_path / "hostile.tar.gz"
    archive.write_bytes(content)
    message = refusal(archive)
    assert f"{archive} is not a Liner Notes backup" in message
    assert problem in message
    assert_nothing_changed(*instance, tmp_path)


def test_an_archive_without_a_manifest_is_refused(
    instance: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    archive = write_archive(tmp_path / "hostile.tar.gz", well_formed()[:2])
    assert "it has no manifest.json" in refusal(archive)
    assert_nothing_changed(*instance, tmp_path)


def test_a_manifest_of_another_format_is_refused(
    instance: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    members = [*well_formed()[:2], ("manifest.json", b'{"format": "something-else"}')]
    archive = write_archive(tmp_path / "hostile.tar.gz", members)
    assert "does not describe a linernotes-backup archive" in refusal(archive)
    assert_nothing_changed(*instance, tmp_path)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.tar.gz"
    assert f"{missing}: there is no such file" in refusal(missing)


def test_an_archive_of_the_other_database_vendor_is_refused(
    instance: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    member = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[other]
    manifest = manifest_for(DATABASE, {}, vendor=other)
    archive = write_archive(
        tmp_path / "hostile.tar.gz", [(member, DATABASE), ("manifest.json", manifest)]
    )
    message = refusal(archive)
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    assert f"holds a {names[other]} database and this instance uses {names[connection.vendor]}" in (
        message
    )
    assert_nothing_changed(*instance, tmp_path)
