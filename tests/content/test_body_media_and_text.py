"""What rendering stores besides the HTML: image sizes read from headers, and the plain text."""

from __future__ import annotations

import importlib
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from PIL import Image

from linernotes.content.markdown import render_markdown
from linernotes.content.models import Page, Post
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def huge_png(path: Path, width: int, height: int) -> None:
    # One bit per pixel of a single colour: a few kilobytes on disk, far more once decoded.
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("1", (width, height)).save(path, "PNG")


def test_a_huge_body_image_gets_its_size_from_the_header(media_root: Path) -> None:
    # 144 megapixels: Pillow warns about decompression bombs, and warnings are errors here.
    huge_png(media_root / "posts" / "huge.png", 12_000, 12_000)
    post = PostFactory.create(body="![A huge image](/media/posts/huge.png)")
    assert 'width="12000" height="12000"' in post.body_html


def test_a_body_image_pillow_refuses_to_open_is_left_without_a_size(media_root: Path) -> None:
    # Past twice Pillow's MAX_IMAGE_PIXELS, opening the file raises DecompressionBombError.
    huge_png(media_root / "posts" / "bomb.png", 14_000, 14_000)
    post = PostFactory.create(body="![A bomb](/media/posts/bomb.png)")
    assert 'src="/media/posts/bomb.png"' in post.body_html
    assert "width=" not in post.body_html


def test_the_plain_text_is_stored_with_the_post() -> None:
    body = "## Why\n\nWe moved *fast*.[^1]\n\n[^1]: Mostly.\n"
    post = PostFactory.create(body=body)
    stored = Post.objects.get(pk=post.pk)
    assert stored.body_text == render_markdown(body).text == "Why\nWe moved fast.[1]\nMostly."


def test_rerendering_refreshes_the_stored_text() -> None:
    post = PostFactory.create(body="Old words.")
    Post.objects.filter(pk=post.pk).update(body="New words.", body_text="")
    call_command("rerender", stdout=io.StringIO())
    assert Post.objects.get(pk=post.pk).body_text == "New words."


def test_the_migration_fills_the_text_of_existing_posts() -> None:
    post = PostFactory.create(body="## Kept\n\nStored *words*.")
    Post.objects.filter(pk=post.pk).update(body_text="")
    migration = importlib.import_module("linernotes.content.migrations.0003_body_text_and_limits")
    migration.fill_body_text(apps, None)
    assert Post.objects.get(pk=post.pk).body_text == "Kept\nStored words."


@pytest.mark.parametrize(
    "slug", ["newsletter", "feed", "admin", "category", "api", "search", "media", "static"]
)
def test_a_page_slug_the_site_answers_below_is_refused(slug: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Page(title="Taken", slug=slug).full_clean()
    assert refused.value.message_dict["slug"] == [
        f"The site already uses the address /{slug}/ (or addresses below it); choose another slug."
    ]


@pytest.mark.parametrize("slug", ["about", "jobs", "newsletters", "feeds", "open-source"])
def test_a_free_page_slug_is_accepted(slug: str) -> None:
    Page(title="Free", slug=slug).full_clean()
