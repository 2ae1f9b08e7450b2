"""What editors may save from the admin: body sizes, page addresses and image sizes."""

from __future__ import annotations

import io
import struct
import time
import zlib
from typing import Any
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from django.conf import LazySettings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.response import HttpResponseBase
from django.test import Client
from PIL import Image

from linernotes.content.models import Author, Page, Post, Status
from tests.content.conftest import post_form as admin_post_form
from tests.factories import AuthorFactory

pytestmark = pytest.mark.django_db

# LINERNOTES_MAX_BODY_BYTES when nothing sets it (docs/configuration.md).
DEFAULT_MAX_BODY_BYTES = 1_048_576


def post_form(body: str, **fields: Any) -> dict[str, Any]:
    return admin_post_form(
        author=AuthorFactory.create(), title="A long post", slug="a-long-post", body=body, **fields
    )


def page_form(**fields: str) -> dict[str, str]:
    return {
        "title": "About",
        "slug": "about",
        "body": "",
        "status": Status.PUBLISHED,
        "navigation_order": "0",
        "show_in_navigation": "on",
        **fields,
    }


def field_errors(response: HttpResponseBase, field: str) -> str:
    """The error text the admin form shows for ``field`` (empty when there is none)."""
    assert response.status_code == 200, response.status_code
    page = BeautifulSoup(response.content, "lxml")  # type: ignore[attr-defined]
    row = page.select_one(f".field-{field}")
    assert row is not None, f"no row for {field}"
    return " ".join(item.get_text(" ", strip=True) for item in row.select(".errorlist li"))


def test_a_50_kb_body_of_awkward_markdown_saves_quickly(editor: Client) -> None:
    # Runs of punctuation and repeated headings once took minutes to render.
    body = "Intro paragraph with *words*.\n\n" + "## Same\n\n" * 1_200 + "." * 38_000
    assert len(body.encode()) > 48_000
    start = time.process_time()
    response = editor.post("/admin/content/post/add/", post_form(body))
    elapsed = time.process_time() - start
    assert response.status_code == 302, response.content.decode()[:2000]
    post = Post.objects.get(slug="a-long-post")
    assert post.body == body
    assert post.body_html.count("<h2 ") == 1_200
    # A ceiling far above what this takes (well under a second), and far below the quarter of
    # a minute that quadratic rendering took here; docs/benchmarks.md has the measurements.
    assert elapsed < 5


def test_a_body_over_the_limit_is_refused_with_the_reason(editor: Client) -> None:
    limit = DEFAULT_MAX_BODY_BYTES
    body = "x" * (limit - 1) + "é"  # one byte over: "é" takes two bytes in UTF-8
    response = editor.post("/admin/content/post/add/", post_form(body))
    errors = field_errors(response, "body")
    assert f"{limit + 1:,} bytes long" in errors
    assert f"at most {limit:,} bytes" in errors
    assert not Post.objects.exists()


def test_a_body_at_the_limit_is_accepted(editor: Client, settings: LazySettings) -> None:
    settings.LINERNOTES_MAX_BODY_BYTES = 2_000
    response = editor.post("/admin/content/post/add/", post_form("é" * 1_000))
    assert response.status_code == 302
    assert Post.objects.get().body == "é" * 1_000


def test_a_form_encoded_body_over_the_limit_reaches_the_validator(editor: Client) -> None:
    # Form encoding triples "—" (%E2%80%94); Django must not refuse the request before the
    # body's validator can explain what is wrong.
    limit = DEFAULT_MAX_BODY_BYTES
    body = "—" * (limit // 3 + 1)
    encoded = urlencode(page_form(body=body))
    assert len(encoded) > 3 * limit
    response = editor.post(
        "/admin/content/page/add/", encoded, content_type="application/x-www-form-urlencoded"
    )
    assert f"at most {limit:,} bytes" in field_errors(response, "body")
    assert not Page.objects.exists()


@pytest.mark.parametrize("slug", ["newsletter", "feed", "admin", "category", "api", "static"])
def test_a_page_cannot_take_an_address_the_site_uses(editor: Client, slug: str) -> None:
    response = editor.post("/admin/content/page/add/", page_form(slug=slug))
    assert f"already uses the address /{slug}/" in field_errors(response, "slug")
    assert not Page.objects.exists()


def test_a_page_takes_a_free_address(editor: Client, client: Client) -> None:
    response = editor.post("/admin/content/page/add/", page_form(slug="about"))
    assert response.status_code == 302
    assert client.get("/about/").status_code == 200


def png_header(width: int, height: int) -> bytes:
    """A PNG that states its size in its header; its pixels are never there to decode."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def upload(width: int, height: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("image.png", png_header(width, height), content_type="image/png")


def author_form(avatar: SimpleUploadedFile) -> dict[str, Any]:
    return {"name": "Ada Okafor", "slug": "ada-okafor", "role": "", "bio": "", "avatar": avatar}


@pytest.mark.parametrize(
    ("width", "height"),
    [(12_000, 12_000), (7_000, 7_000), (20_000, 20_000)],
    ids=["144-megapixels", "49-megapixels", "400-megapixels"],
)
def test_an_avatar_with_too_many_pixels_is_refused(editor: Client, width: int, height: int) -> None:
    response = editor.post("/admin/content/author/add/", author_form(upload(width, height)))
    errors = field_errors(response, "avatar")
    assert "images may have at most 40,000,000 pixels" in errors
    assert not Author.objects.exists()


def test_a_hero_image_with_too_many_pixels_is_refused(editor: Client) -> None:
    form = post_form("Body.", hero_image=upload(12_000, 12_000), hero_image_alt="A chart")
    response = editor.post("/admin/content/post/add/", form)
    assert "This image is 12,000 × 12,000 pixels" in field_errors(response, "hero_image")
    assert not Post.objects.exists()


def test_an_image_within_the_limit_is_accepted(editor: Client, settings: LazySettings) -> None:
    settings.LINERNOTES_MAX_IMAGE_PIXELS = 2_000 * 1_000
    buffer = io.BytesIO()
    Image.new("1", (2_000, 1_000)).save(buffer, "PNG")
    hero = SimpleUploadedFile("hero.png", buffer.getvalue(), content_type="image/png")
    form = post_form("Body.", hero_image=hero, hero_image_alt="A chart")
    response = editor.post("/admin/content/post/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    post = Post.objects.get()
    assert (post.hero_image_width, post.hero_image_height) == (2_000, 1_000)
