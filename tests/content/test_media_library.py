"""The media library: what uploads it accepts, the renditions it makes, and who may upload."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from PIL import Image

from linernotes.content import media_library
from linernotes.content.media_models import MediaFile
from linernotes.content.models import Post, Status
from linernotes.content.renditions import RenditionSet, output_formats, renditions_of
from tests.factories import AuthorFactory, PageFactory, PostFactory
from tests.images import SVG, huge_png, image_bytes, image_upload, upload
from tests.staff import WRITER, staff_user

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/content/mediafile/upload/"
LIBRARY = "/admin/content/mediafile/library/"
Capture = Callable[..., Any]


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def post_upload(client: Client, file: Any, **fields: str) -> Any:
    return client.post(UPLOAD, {"file": file, **fields})


@pytest.mark.parametrize(
    ("image_format", "extension"), [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")]
)
def test_an_image_is_accepted_and_kept_as_uploaded(
    editor: Client, image_format: str, extension: str
) -> None:
    content = image_bytes(image_format, (640, 360))
    response = post_upload(editor, upload(f"Team photo.{extension}", content))
    assert response.status_code == 201, response.content
    answer = response.json()
    media = MediaFile.objects.get()
    assert answer["url"] == media.url
    assert media.url.startswith("/media/media/")
    assert media.url.endswith(f".{extension}")
    assert (answer["width"], answer["height"]) == (640, 360)
    assert answer["markdown"] == f"![]({media.url})"
    assert media.original_name == f"Team photo.{extension}"
    assert media.size == len(content)
    assert media.uploaded_by is not None
    assert media.uploaded_by.username == "editor"
    with media.file.open("rb") as stored:
        assert stored.read() == content  # nothing stripped or re-encoded


@pytest.mark.parametrize(
    ("file", "status", "message"),
    [
        (upload("logo.svg", SVG, "image/svg+xml"), 400, "SVG images are not accepted"),
        (upload("logo.png", SVG, "image/png"), 400, "can carry scripts"),
        (upload("notes.png", b"Not a picture at all.\n" * 10), 400, "not an image the site"),
        (upload("bomb.png", huge_png()), 413, "images may have at most 40,000,000 pixels"),
    ],
    ids=["svg", "svg-renamed-png", "text-renamed-png", "too-many-pixels"],
)
def test_a_refused_upload_says_why_and_stores_nothing(
    editor: Client, media_root: Path, file: Any, status: int, message: str
) -> None:
    response = post_upload(editor, file)
    assert response.status_code == status
    assert message in response.json()["error"]
    assert not MediaFile.objects.exists()
    assert stored_files(media_root) == []


def test_a_file_over_the_byte_limit_is_refused(
    editor: Client, media_root: Path, settings: LazySettings
) -> None:
    settings.LINERNOTES_MAX_UPLOAD_BYTES = 2_000
    response = post_upload(editor, image_upload("big.jpg", "JPEG", (400, 400)))
    assert response.status_code == 413
    assert "uploads may be at most 2.0\xa0KB" in response.json()["error"]
    assert not MediaFile.objects.exists()
    assert stored_files(media_root) == []


def test_the_same_bytes_uploaded_twice_are_one_file(editor: Client, media_root: Path) -> None:
    content = image_bytes("PNG", (300, 200))
    first = post_upload(editor, upload("one.png", content))
    second = post_upload(editor, upload("two.png", content))
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert second.json()["created"] is False
    assert MediaFile.objects.count() == 1
    assert len(stored_files(media_root)) == 1


def test_renditions_are_made_after_the_upload_commits(
    editor: Client, media_root: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        post_upload(editor, image_upload("wide.png", size=(1300, 700)))
    media = MediaFile.objects.get()
    found = RenditionSet.from_json(media.renditions)
    assert found is not None
    # Never wider than the original: 1600 and 2400 are left out.
    assert {r.width for r in found.renditions} == {400, 800, 1200}
    assert {r.format for r in found.renditions} == set(output_formats("png"))
    assert "webp" in output_formats("png")
    for rendition in found.renditions:
        with Image.open(media_root / rendition.name) as image:
            assert image.format == rendition.format.upper()
            assert image.size == (rendition.width, rendition.height)
            assert image.width == rendition.width
            assert abs(image.height - round(700 * image.width / 1300)) <= 1
        assert rendition.name.startswith("media/")
        assert "/renditions/" in rendition.name
        assert media.sha256[:20] in rendition.name
    assert found.social is not None
    with Image.open(media_root / found.social.name) as card:
        assert (card.format, card.size) == ("JPEG", (1200, 630))


def test_a_photo_gets_jpeg_renditions_and_a_small_image_is_never_enlarged(
    media_root: Path,
) -> None:
    media = MediaFile.objects.create(
        file=image_upload("small.jpg", "JPEG", (500, 300)), sha256="a" * 64, original_name="s"
    )
    media_library.build_renditions(str(media.file.name))
    found = RenditionSet.from_json(MediaFile.objects.get().renditions)
    assert found is not None
    assert {(r.width, r.format) for r in found.renditions} == {
        (400, image_format) for image_format in output_formats("jpeg")
    }
    assert found.social is not None
    with Image.open(media_root / found.social.name) as card:
        # Cropped to the shape of a social card, at the original's own scale.
        assert card.size == (500, 262)


def test_renditions_are_made_once(media_root: Path) -> None:
    media = MediaFile.objects.create(
        file=image_upload(size=(900, 500)), sha256="b" * 64, original_name="x"
    )
    assert media_library.build_renditions(str(media.file.name)) > 0
    before = {path: path.stat().st_mtime_ns for path in stored_files(media_root)}
    assert media_library.build_renditions(str(media.file.name)) == 0
    assert {path: path.stat().st_mtime_ns for path in stored_files(media_root)} == before


def test_a_body_showing_a_library_image_lists_its_renditions_once_made(
    editor: Client,
) -> None:
    post_upload(editor, image_upload("diagram.png", size=(1300, 700)))
    media = MediaFile.objects.get()
    post = PostFactory.create(body=f"Look:\n\n![A diagram]({media.url})\n")
    assert "srcset" not in post.body_html
    assert 'width="1300" height="700"' in post.body_html
    media_library.build_renditions(str(media.file.name))
    post.refresh_from_db()
    assert post.body_html.startswith("<p>Look:</p>\n<p><picture><source ")
    assert 'type="image/webp"' in post.body_html
    assert f'<img srcset="{media.url.rsplit("/", 1)[0]}/renditions/' in post.body_html
    assert 'sizes="(min-width: 48rem) 46rem, 100vw"' in post.body_html
    assert f'src="{media.url}" alt="A diagram" width="1300" height="700"' in post.body_html
    assert post.body_html.count("<picture>") == post.body_html.count("</picture>") == 1


def test_rendering_a_body_asks_once_for_all_its_library_images(
    editor: Client, django_assert_num_queries: Capture
) -> None:
    for index in range(3):
        post_upload(editor, image_upload(f"{index}.png", size=(400 + index, 300)))
    body = "\n\n".join(f"![Image {m.pk}]({m.url})" for m in MediaFile.objects.all())
    from linernotes.content.markdown import render_markdown
    from linernotes.content.media import media_image_size

    with django_assert_num_queries(1):
        html = render_markdown(body * 5, image_size=media_image_size).html
    assert html.count('width="40') == 15


def test_the_command_makes_what_is_missing_and_reports(media_root: Path) -> None:
    MediaFile.objects.create(file=image_upload(size=(900, 500)), sha256="c" * 64, original_name="a")
    PostFactory.create(hero_image=image_upload("hero.jpg", "JPEG", (1000, 525)), hero_image_alt="A")
    dry = io.StringIO()
    call_command("media", "renditions", "--dry-run", stdout=dry)
    assert "Would make renditions of 2 of 2 images" in dry.getvalue()
    assert "Nothing was changed" in dry.getvalue()
    assert not list(media_root.rglob("renditions"))
    output = io.StringIO()
    call_command("media", "renditions", stdout=output)
    assert "[1/2]" in output.getvalue()
    assert "[2/2]" in output.getvalue()
    assert "Made renditions of 2 images" in output.getvalue()
    assert renditions_of(Post.objects.get().hero_image.name) is not None
    again = io.StringIO()
    call_command("media", "renditions", stdout=again)
    assert again.getvalue() == "Nothing to do: all 2 images have their renditions.\n"
    forced = io.StringIO()
    call_command("media", "renditions", "--force", stdout=forced)
    assert "Made renditions of 2 images" in forced.getvalue()


def test_the_command_says_when_there_are_no_images() -> None:
    output = io.StringIO()
    call_command("media", "renditions", stdout=output)
    assert output.getvalue() == "Nothing to do: no images have been uploaded.\n"


def test_the_list_shows_sizes_and_uses(editor: Client) -> None:
    post_upload(editor, image_upload("team.png", size=(300, 200)))
    media = MediaFile.objects.get()
    PostFactory.create(slug="offsite", body=f"![The team]({media.url})")
    PageFactory.create(slug="about", body=f"![The team]({media.url})")
    output = io.StringIO()
    call_command("media", "list", stdout=output)
    assert f"{media.url}  " in output.getvalue()
    assert "300×200" in output.getvalue()
    assert "used in: post offsite, page about" in output.getvalue()


def test_hero_images_get_renditions_after_the_save_commits(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        post = PostFactory.create(hero_image=image_upload(size=(900, 480)), hero_image_alt="A")
    found = renditions_of(post.hero_image.name)
    assert found is not None
    assert found.closest(800) is not None
    manifest = (
        Path(post.hero_image.path).parent
        / "renditions"
        / f"{Path(str(post.hero_image.name)).name}.json"
    )
    assert json.loads(manifest.read_text())["source"] == post.hero_image.name


def test_deleting_a_file_removes_it_and_its_renditions(
    media_root: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    media = MediaFile.objects.create(file=image_upload(size=(500, 300)), sha256="d" * 64)
    media_library.build_renditions(str(media.file.name))
    assert stored_files(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        media.delete()
    assert stored_files(media_root) == []


# Who may upload.


def test_anonymous_and_non_staff_uploads_go_to_the_sign_in_page(
    client: Client, media_root: Path
) -> None:
    response = post_upload(client, image_upload())
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    client.force_login(User.objects.create_user("reader", "r@example.com", "pw"))
    assert post_upload(client, image_upload()).status_code == 302
    assert not MediaFile.objects.exists()
    assert stored_files(media_root) == []


def test_staff_who_may_not_write_are_refused(client: Client, media_root: Path) -> None:
    client.force_login(staff_user("viewer", ("view_post",)))
    response = post_upload(client, image_upload())
    assert response.status_code == 403
    assert not MediaFile.objects.exists()
    assert client.get(LIBRARY).status_code == 403


def test_a_contributor_may_not_upload_for_someone_elses_post(
    client: Client, media_root: Path
) -> None:
    mine, theirs = AuthorFactory.create(), AuthorFactory.create()
    client.force_login(staff_user("lin", WRITER, author=mine))
    other = PostFactory.create(status=Status.DRAFT, published_at=None, authors=[theirs])
    response = post_upload(client, image_upload(), post=str(other.pk))
    assert response.status_code == 403
    assert not MediaFile.objects.exists()
    assert stored_files(media_root) == []
    own = PostFactory.create(status=Status.DRAFT, published_at=None, authors=[mine])
    assert post_upload(client, image_upload(), post=str(own.pk)).status_code == 201
    assert client.get(LIBRARY).json()["files"][0]["url"] == MediaFile.objects.get().url


def test_writers_upload_in_the_admin_but_only_some_may_delete(client: Client) -> None:
    writer = staff_user("tomas", WRITER, author=AuthorFactory.create())
    client.force_login(writer)
    response = client.post(
        "/admin/content/mediafile/add/", {"file": image_upload("new.png"), "alt": "A chart"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    media = MediaFile.objects.get()
    assert (media.alt, media.uploaded_by) == ("A chart", writer)
    assert (
        client.post(f"/admin/content/mediafile/{media.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    deleter = staff_user("ada", ("delete_mediafile", "view_mediafile"))
    client.force_login(deleter)
    response = client.post(f"/admin/content/mediafile/{media.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not MediaFile.objects.exists()


def test_the_admin_form_refuses_an_svg_with_the_reason(editor: Client) -> None:
    response = editor.post(
        "/admin/content/mediafile/add/", {"file": upload("logo.svg", SVG, "image/svg+xml")}
    )
    assert response.status_code == 200
    assert "SVG images are not accepted" in response.content.decode()
    assert not MediaFile.objects.exists()


def test_the_admin_list_and_page_show_where_a_file_is_used(editor: Client) -> None:
    post_upload(editor, image_upload("team.png", size=(300, 200)))
    media = MediaFile.objects.get()
    post = PostFactory.create(title="Offsite", body=f"![The team]({media.url})")
    listing = editor.get("/admin/content/mediafile/").content.decode()
    assert "team.png" in listing
    assert "300 × 200" in listing
    assert '<td class="field-use_count">1</td>' in listing
    page = editor.get(f"/admin/content/mediafile/{media.pk}/change/").content.decode()
    assert f'href="/admin/content/post/{post.pk}/change/">Offsite</a>' in page
