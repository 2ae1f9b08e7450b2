"""The admin's import page: upload, see the dry run, confirm; and who may do it."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from linernotes.accounts.roles import ADMINISTRATOR, EDITOR
from linernotes.accounts.staff import add_staff_user
from linernotes.content.models import Post
from tests.shared_data import shared_file

pytestmark = pytest.mark.django_db

PAGE = "/admin/importers/importeditem/import/"
SITES = Path(__file__).parent / "sites"
Commit = Callable[..., Any]


@pytest.fixture(autouse=True)
def private_var_dir(settings: LazySettings, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path / "var"
    return Path(settings.VAR_DIR)


def signed_in(role: str, username: str) -> Client:
    user, _ = add_staff_user(
        username=username, email=f"{username}@example.com", role=role, password="pw-x-12345678"
    )
    client = Client()
    client.force_login(user)
    return client


def wxr_upload() -> SimpleUploadedFile:
    path = shared_file("testdata/wordpress/wordpress-importer/phpunit/data/small-export.xml")
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/xml")


def token_of(response: Any) -> str:
    found = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert found is not None, "no confirm form"
    return found.group(1)


def test_upload_shows_the_dry_run_then_confirm_imports(
    private_var_dir: Path, django_capture_on_commit_callbacks: Commit
) -> None:
    admin = signed_in(ADMINISTRATOR, "boss")
    page = admin.get(PAGE)
    assert page.status_code == 200
    # The breadcrumbs lead back to the list of imported items.
    assert b'<div class="breadcrumbs">' in page.content
    assert b'href="/admin/importers/importeditem/"' in page.content
    checked = admin.post(PAGE, {"source": "wordpress", "file": wxr_upload()})
    assert checked.status_code == 200
    assert b"What importing" in checked.content
    assert Post.objects.count() == 0
    assert any(Path(private_var_dir).rglob("*.xml"))  # kept until confirmed
    with django_capture_on_commit_callbacks(execute=True):
        done = admin.post(PAGE, {"token": token_of(checked), "source": "wordpress"})
    assert done.status_code == 200
    assert b"Imported from" in done.content
    assert Post.objects.count() > 0
    assert not any(Path(private_var_dir).rglob("*.xml"))  # the upload is gone
    # The token was used up with its upload.
    again = admin.post(PAGE, {"token": token_of(checked), "source": "wordpress"}, follow=True)
    assert b"expired or is not yours" in again.content


def test_editors_may_not_import() -> None:
    editor = signed_in(EDITOR, "ed")
    assert editor.get(PAGE).status_code == 403
    assert editor.post(PAGE, {"source": "wordpress", "file": wxr_upload()}).status_code == 403
    assert Post.objects.count() == 0


def test_anonymous_visitors_are_sent_to_sign_in() -> None:
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_another_users_upload_cannot_be_confirmed() -> None:
    first = signed_in(ADMINISTRATOR, "first")
    checked = first.post(PAGE, {"source": "wordpress", "file": wxr_upload()})
    second = signed_in(ADMINISTRATOR, "second")
    response = second.post(PAGE, {"token": token_of(checked), "source": "wordpress"}, follow=True)
    assert b"expired or is not yours" in response.content
    assert Post.objects.count() == 0


def test_a_broken_file_is_refused_on_the_form() -> None:
    admin = signed_in(ADMINISTRATOR, "boss")
    broken = shared_file("testdata/wordpress/wordpress-importer/phpunit/data/malformed.xml")
    response = admin.post(
        PAGE,
        {"source": "wordpress", "file": SimpleUploadedFile("malformed.xml", broken.read_bytes())},
    )
    assert response.status_code == 200
    assert b"Nothing can be imported from this file" in response.content
    assert b"malformed.xml" in response.content
    assert b'name="token"' not in response.content


def test_a_file_over_the_limit_is_refused(settings: LazySettings) -> None:
    settings.LINERNOTES_MAX_IMPORT_BYTES = 100
    admin = signed_in(ADMINISTRATOR, "boss")
    response = admin.post(PAGE, {"source": "wordpress", "file": wxr_upload()})
    assert b"linernotes import" in response.content
    assert b'name="token"' not in response.content


def zipped(folder: Path, *, extra: dict[str, bytes] | None = None) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"site/{path.relative_to(folder)}")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return SimpleUploadedFile("site.zip", buffer.getvalue(), content_type="application/zip")


def test_a_zipped_jekyll_site_imports(django_capture_on_commit_callbacks: Commit) -> None:
    admin = signed_in(ADMINISTRATOR, "boss")
    checked = admin.post(PAGE, {"source": "markdown", "file": zipped(SITES / "jekyll")})
    assert b"What importing jekyll:" in checked.content
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(PAGE, {"token": token_of(checked), "source": "markdown"})
    assert Post.objects.count() > 0


def test_an_archive_reaching_outside_its_folder_is_refused(private_var_dir: Path) -> None:
    admin = signed_in(ADMINISTRATOR, "boss")
    upload = zipped(SITES / "jekyll", extra={"../escape.md": b"---\ntitle: x\n---\n"})
    response = admin.post(PAGE, {"source": "markdown", "file": upload})
    assert b"a path outside the archive" in response.content
    assert not (private_var_dir.parent / "escape.md").exists()
    assert not list((private_var_dir / "imports").iterdir())


def test_the_list_links_to_the_import_page_for_those_who_may() -> None:
    admin = signed_in(ADMINISTRATOR, "boss")
    assert PAGE.encode() in admin.get("/admin/importers/importeditem/").content
    viewer = User.objects.create_user("v", is_staff=True)
    client = Client()
    client.force_login(viewer)
    assert client.get("/admin/importers/importeditem/").status_code == 403
