"""Admin saves written back to the content folder as `export markdown` writes them, and
committed to its git work tree with the editor as author."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.test import Client

from linernotes.content.models import Page, Post, Status
from linernotes.importers.content_sync import sync_content
from linernotes.importers.export_markdown import export_markdown
from linernotes.importers.models import ContentFile
from tests.content.test_autosave_and_locking import change_form
from tests.importers.test_export_markdown import build_small_site
from tests.staff import VIEWER, staff_user

# Messages are added once the save's transaction commits, so the tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)

POST = "posts/2024/10/moving-fast.md"


def git(root: Path, *arguments: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), *arguments], capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture
def folder(settings: LazySettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small site exported, synced, and the folder set as the content folder."""
    # No git configuration of this machine's may help (or hinder) the commits.
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    settings.TIME_ZONE = "Europe/Stockholm"
    build_small_site()
    root = tmp_path / "content"
    export_markdown(root)
    sync_content(root)
    settings.LINERNOTES_CONTENT_DIR = str(root)
    return root


@pytest.fixture
def repository(folder: Path) -> Path:
    git(folder, "init", "--quiet", "--initial-branch=main")
    git(folder, "add", "--all")
    git(
        folder,
        "-c",
        "user.name=Setup",
        "-c",
        "user.email=setup@example.com",
        "commit",
        "-qm",
        "Export",
    )
    return folder


@pytest.fixture
def editor(client: Client) -> Client:
    client.force_login(
        User.objects.create_superuser(
            "ada", "ada@example.com", "pw", first_name="Ada", last_name="Lovelace"
        )
    )
    return client


def save_post(client: Client, post: Post, **changes: Any) -> Any:
    form = {**change_form(client, post), **changes}
    return client.post(f"/admin/content/post/{post.pk}/change/", form, follow=True)


def exported(tmp_path: Path, relative: str) -> bytes:
    export_markdown(tmp_path / "reference")
    return (tmp_path / "reference" / relative).read_bytes()


def warnings(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_an_admin_save_writes_the_file_as_the_export_does(
    folder: Path, editor: Client, tmp_path: Path
) -> None:
    post = Post.objects.get(slug="moving-fast")
    response = save_post(editor, post, title="Moving faster", summary="Now in the file.")
    assert response.status_code == 200
    assert [m for m in warnings(response) if "file" in m] == []
    written = (folder / POST).read_bytes()
    assert b"title: Moving faster\n" in written
    assert written == exported(tmp_path, POST)
    record = ContentFile.objects.get(path=POST)
    post.refresh_from_db()
    assert record.version == post.version
    assert sync_content(folder).updated == 0  # nothing left to sync


def test_an_admin_save_is_committed_with_the_editor_as_author(
    repository: Path, editor: Client
) -> None:
    (repository / "notes.txt").write_text("Someone's work in progress.\n")
    post = Post.objects.get(slug="moving-fast")
    save_post(editor, post, title="Moving faster")
    assert git(repository, "log", "-1", "--format=%an <%ae>|%cn|%s").strip() == (
        "Ada Lovelace <ada@example.com>|Liner Notes|Update post: Moving faster"
    )
    assert git(repository, "show", "--name-only", "--format=", "HEAD").split() == [POST]
    # Only that file: the rest of the work tree is as it was.
    assert git(repository, "status", "--porcelain").splitlines() == ["?? notes.txt"]


def test_a_new_slug_moves_the_file(repository: Path, editor: Client) -> None:
    post = Post.objects.get(slug="moving-fast")
    save_post(editor, post, slug="moving-quickly")
    assert not (repository / POST).exists()
    assert (repository / "posts/2024/10/moving-quickly.md").is_file()
    changed = git(repository, "show", "--no-renames", "--name-status", "--format=", "HEAD").split(
        "\n"
    )
    assert sorted(line.split("\t")[-1] for line in changed if line) == [
        POST,
        "posts/2024/10/moving-quickly.md",
    ]
    assert ContentFile.objects.get(post=post).path == "posts/2024/10/moving-quickly.md"
    assert sync_content(repository).created == 0


def test_an_editor_without_a_name_or_address_commits_as_their_username(
    repository: Path, client: Client
) -> None:
    client.force_login(User.objects.create_superuser("nameless", "", "pw"))
    save_post(client, Post.objects.get(slug="moving-fast"), title="Anonymous edit")
    assert git(repository, "log", "-1", "--format=%an <%ae>").strip() == (
        "nameless <nameless@localhost>"
    )


def test_status_actions_write_the_file_too(repository: Path, editor: Client) -> None:
    post = Post.objects.get(slug="moving-fast")
    editor.post(
        "/admin/content/post/",
        {"action": "unpublish_selected", "_selected_action": [str(post.pk)]},
    )
    assert Post.objects.get(pk=post.pk).status == Status.DRAFT
    assert b"status: draft\n" in (repository / POST).read_bytes()
    assert "Update post: Moving fast" in git(repository, "log", "-1", "--format=%s")


def test_a_page_save_writes_its_file(folder: Path, editor: Client, tmp_path: Path) -> None:
    page = Page.objects.get(slug="about")
    form = {"title": "About us", "slug": "about", "body": "Who we are.\n", "status": "published"}
    form |= {"show_in_navigation": "on", "navigation_order": "2"}
    response = editor.post(f"/admin/content/page/{page.pk}/change/", form)
    assert response.status_code == 302
    assert (folder / "pages/about.md").read_bytes() == exported(tmp_path, "pages/about.md")


def test_a_file_changed_on_disk_is_not_overwritten_and_the_editor_is_told(
    repository: Path, editor: Client
) -> None:
    changed = (repository / POST).read_text().replace("Intro.", "Intro, edited in git.")
    (repository / POST).write_text(changed)
    head = git(repository, "rev-parse", "HEAD")
    post = Post.objects.get(slug="moving-fast")

    response = save_post(editor, post, title="Saved in the admin")

    assert response.status_code == 200
    assert any("not overwritten" in message for message in warnings(response))
    assert (repository / POST).read_text() == changed
    assert Post.objects.get(pk=post.pk).title == "Saved in the admin"  # the save is kept
    assert git(repository, "rev-parse", "HEAD") == head
    assert [c.path for c in sync_content(repository).conflicts] == [POST]


def test_a_failing_commit_is_a_warning_not_an_error_page(repository: Path, editor: Client) -> None:
    hook = repository / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\necho 'commits are frozen' >&2\nexit 1\n")
    hook.chmod(0o755)
    response = save_post(editor, Post.objects.get(slug="moving-fast"), title="Frozen")
    assert response.status_code == 200
    assert any("commits are frozen" in message for message in warnings(response))
    assert b"title: Frozen\n" in (repository / POST).read_bytes()  # written, not committed


def test_a_viewer_cannot_cause_a_write(folder: Path, client: Client, editor: Client) -> None:
    post = Post.objects.get(slug="moving-fast")
    form = {**change_form(editor, post), "title": "Viewer's title"}
    before = (folder / POST).read_bytes()
    client.force_login(staff_user("viewer", VIEWER))
    response = client.post(f"/admin/content/post/{post.pk}/change/", form)
    assert response.status_code == 403
    assert (folder / POST).read_bytes() == before
    assert Post.objects.get(pk=post.pk).title == "Moving fast"


def test_with_no_content_folder_nothing_is_written(
    folder: Path, editor: Client, settings: LazySettings
) -> None:
    settings.LINERNOTES_CONTENT_DIR = ""
    before = (folder / POST).read_bytes()
    save_post(editor, Post.objects.get(slug="moving-fast"), title="Only in the database")
    assert (folder / POST).read_bytes() == before


def test_round_trip_export_edit_sync_admin_edit_sync(
    repository: Path, editor: Client, tmp_path: Path
) -> None:
    path = repository / POST
    path.write_text(path.read_text().replace("Intro.", "Intro, from git."))
    assert sync_content(repository).updated == 1
    post = Post.objects.get(slug="moving-fast")
    assert post.body.startswith("Intro, from git.")

    save_post(editor, post, title="Then from the admin")

    assert path.read_bytes() == exported(tmp_path, POST)
    assert b"Intro, from git." in path.read_bytes()
    again = sync_content(repository)
    assert (again.created, again.updated, again.unpublished, again.conflicts) == (0, 0, 0, [])
