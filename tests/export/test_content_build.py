"""``linernotes build --content DIR``, as a CI job runs it: no database but the folder's own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from linernotes.content.models import Post
from tests.factories import AuthorFactory, CategoryFactory, PostFactory
from tests.processes import REPOSITORY, clean_environment, free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A content folder exported from a small site."""
    category, author = CategoryFactory.create(slug="platform"), AuthorFactory.create(slug="ada")
    for _ in range(5):
        PostFactory.create(categories=[category], authors=[author])
    target = tmp_path / "content"
    call_command("export", "markdown", str(target))
    return target


def linernotes(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "linernotes.cli", *args],
        cwd=REPOSITORY,
        env=clean_environment(DJANGO_SETTINGS_MODULE="linernotes.config.settings"),
        capture_output=True,
        text=True,
        timeout=300,
        check=check,
    )


def post_file(folder: Path, post: Post) -> Path:
    when = post.published_at
    assert when is not None
    return folder / "posts" / f"{when:%Y}" / f"{when:%m}" / f"{post.slug}.md"


def page_of(out: Path, post: Post) -> Path:
    return out / post.get_absolute_url().lstrip("/") / "index.html"


def test_a_folder_builds_again_reading_only_what_changed(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    first = linernotes(
        "build", str(out), "--content", str(folder), "--no-search", "--processes", "2"
    )
    assert "0 updated, 0 unpublished, 0 unchanged, 0 conflicts" in first.stdout
    assert "Built (full)" in first.stdout
    posts = list(Post.objects.all())
    assert all(page_of(out, post).is_file() for post in posts)
    assert (folder / ".linernotes" / ".gitignore").read_text() == "*\n"

    edited, removed = posts[0], posts[1]
    with post_file(folder, edited).open("a", encoding="utf-8") as file:
        file.write("\nA sentence written in git.\n")
    post_file(folder, removed).unlink()
    second = linernotes("build", str(out), "--content", str(folder), "--no-search")
    assert "1 updated, 1 unpublished" in second.stdout
    assert "A sentence written in git." in page_of(out, edited).read_text(encoding="utf-8")
    assert not page_of(out, removed).exists()


def test_a_broken_file_builds_nothing_and_says_which(folder: Path, tmp_path: Path) -> None:
    broken = post_file(folder, Post.objects.first())  # type: ignore[arg-type]
    broken.write_text("---\ntitle: [unclosed\n---\nBody\n", encoding="utf-8")
    result = linernotes("build", str(tmp_path / "public"), "--content", str(folder), check=False)
    assert result.returncode != 0
    assert "Nothing was built" in result.stderr
    assert broken.name in result.stderr
    assert not (tmp_path / "public").exists()


def test_a_folder_that_is_not_content_is_refused(tmp_path: Path) -> None:
    result = linernotes("build", str(tmp_path / "out"), "--content", str(tmp_path), check=False)
    assert result.returncode != 0
    assert "is not a content folder" in result.stderr


def test_watch_serves_the_folder_and_rebuilds_after_an_edit(folder: Path, tmp_path: Path) -> None:
    out, port = tmp_path / "public", free_port()
    watcher = subprocess.Popen(
        [sys.executable, "-m", "linernotes.cli", "build", str(out), "--content", str(folder),
         "--no-search", "--watch", "--port", str(port)],
        cwd=REPOSITORY,
        env=clean_environment(DJANGO_SETTINGS_MODULE="linernotes.config.settings"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    post = Post.objects.first()
    assert post is not None
    address = f"http://127.0.0.1:{port}{post.get_absolute_url()}"
    try:
        assert post.title in _text_when(address, lambda text: post.title in text)
        with post_file(folder, post).open("a", encoding="utf-8") as file:
            file.write("\nWatched and rebuilt.\n")
        assert "Watched and rebuilt." in _text_when(address, lambda t: "Watched and rebuilt." in t)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/feed/") as feed:
            assert feed.read().startswith(b"<?xml")
    finally:
        os.killpg(watcher.pid, signal.SIGTERM)
        watcher.wait(timeout=10)


def _text_when(url: str, ready: object, seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    text = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                text = response.read().decode()
            if ready(text):  # type: ignore[operator]
                return text
        except OSError:
            pass
        time.sleep(0.2)
    return text
