from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone
from PIL import Image

from linernotes.content import services
from linernotes.content.models import Page, Post, Status
from linernotes.content.signals import post_published, post_unpublished
from tests.factories import AuthorFactory, CategoryFactory, PostFactory

pytestmark = pytest.mark.django_db


def png(width: int, height: int) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#336699").save(buffer, "PNG")
    return SimpleUploadedFile("hero.png", buffer.getvalue(), content_type="image/png")


def test_published_is_the_one_visibility_rule() -> None:
    now = timezone.now()
    visible = PostFactory.create(published_at=now - timedelta(minutes=1))
    PostFactory.create(status=Status.DRAFT, published_at=None)
    PostFactory.create(status=Status.DRAFT, published_at=now - timedelta(days=1))
    PostFactory.create(published_at=now + timedelta(minutes=5))
    assert list(Post.objects.published()) == [visible]


def test_body_is_rendered_on_save_with_excerpt_and_word_count(settings) -> None:
    settings.LINERNOTES_EXCERPT_LENGTH = 40
    post = PostFactory.create(
        body="## Setting up\n\nInstall the *package* and run the demo command today."
    )
    assert "<em>package</em>" in post.body_html
    assert post.word_count == 11
    # The heading is not prose: the excerpt starts at the paragraph.
    assert post.auto_excerpt == "Install the package and run the demo…"
    assert post.excerpt == post.auto_excerpt
    post.summary = "  Written by hand.  "
    post.save()
    assert post.excerpt == "Written by hand."


def test_reading_time_rounds_and_never_drops_below_one_minute(settings) -> None:
    settings.LINERNOTES_WORDS_PER_MINUTE = 200
    assert PostFactory.create(body="word " * 10).reading_minutes == 1
    assert PostFactory.create(body="word " * 700).reading_minutes == 4


def test_titles_lose_stray_unicode_whitespace() -> None:
    post = PostFactory.create(title="Data Platform Explained Part II\u00a0 ")
    assert post.title == "Data Platform Explained Part II"


def test_hostile_markdown_never_reaches_the_stored_html() -> None:
    post = PostFactory.create(
        body='<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror="a()">'
    )
    html = BeautifulSoup(post.body_html, "lxml")
    assert html.find("script") is None
    assert all(not a.get("href", "").lower().startswith("javascript") for a in html.find_all("a"))
    assert all(not any(name.startswith("on") for name in tag.attrs) for tag in html.find_all(True))


def test_hero_image_needs_plain_text_alt() -> None:
    post = PostFactory.build(hero_image=png(40, 20), hero_image_alt="")
    with pytest.raises(ValidationError) as missing:
        post.clean()
    assert "hero_image_alt" in missing.value.message_dict
    post.hero_image_alt = "![A header](header.png)"
    with pytest.raises(ValidationError, match="Markdown"):
        post.clean()


def test_database_refuses_a_hero_image_without_alt() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        PostFactory.create(hero_image=png(40, 20), hero_image_alt="")


def test_hero_image_dimensions_reach_the_page(client: Client) -> None:
    post = PostFactory.create(hero_image=png(1200, 590), hero_image_alt="A diagram of the pipeline")
    assert (post.hero_image_width, post.hero_image_height) == (1200, 590)
    html = client.get(post.get_absolute_url()).content.decode()
    assert (
        f'src="{post.hero_image.url}" width="1200" height="590" alt="A diagram of the pipeline"'
        in html
    )


def test_inline_images_from_media_get_their_dimensions(media_root) -> None:
    (media_root / "demo").mkdir()
    Image.new("RGB", (320, 200)).save(media_root / "demo" / "chart.png")
    post = PostFactory.create(body="![Chart](/media/demo/chart.png)")
    assert 'width="320"' in post.body_html
    assert 'height="200"' in post.body_html
    assert 'loading="lazy"' in post.body_html


def test_publish_and_unpublish_signal_after_commit(django_capture_on_commit_callbacks) -> None:
    heard: list[tuple[str, Post]] = []
    post_published.connect(lambda sender, post, **kw: heard.append(("published", post)), weak=False)
    post_unpublished.connect(
        lambda sender, post, **kw: heard.append(("unpublished", post)), weak=False
    )
    try:
        post = PostFactory.create(status=Status.DRAFT, published_at=None)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.publish_post(post=post)
        assert heard == []  # nothing is announced before the transaction commits
        for callback in callbacks:
            callback()
        assert heard == [("published", post)]
        assert post.published_at is not None
        assert Post.objects.published().get() == post
        with django_capture_on_commit_callbacks(execute=True):
            services.unpublish_post(post=post)
        assert heard[-1] == ("unpublished", post)
        assert not Post.objects.published().exists()
    finally:
        post_published.receivers.clear()
        post_unpublished.receivers.clear()


def test_scheduling_publishes_later(django_capture_on_commit_callbacks: Any) -> None:
    post = PostFactory.create(status=Status.DRAFT, published_at=None)
    heard: list[Post] = []
    post_published.connect(lambda post, **_: heard.append(post), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.publish_post(post=post, at=timezone.now() + timedelta(hours=1))
        assert post.status == Status.SCHEDULED
        assert not Post.objects.published().exists()
        assert services.publish_due_posts() == []  # not yet
        assert heard == []  # nothing is announced before the post is visible

        Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(seconds=1))
        with django_capture_on_commit_callbacks(execute=True):
            assert [p.pk for p in services.publish_due_posts()] == [post.pk]
        post.refresh_from_db()
        assert post.status == Status.PUBLISHED
        assert list(Post.objects.published()) == [post]
        assert [p.pk for p in heard] == [post.pk]
        assert services.publish_due_posts() == []  # published once
    finally:
        post_published.disconnect(dispatch_uid="t")


def test_a_future_post_taken_back_is_a_draft_and_a_past_date_publishes_at_once() -> None:
    post = PostFactory.create(status=Status.DRAFT, published_at=None)
    services.publish_post(post=post, at=timezone.now() + timedelta(days=1))
    services.unpublish_post(post=post)
    assert post.status == Status.DRAFT
    assert services.publish_due_posts() == []
    services.publish_post(post=post, at=timezone.now() - timedelta(days=1))
    assert post.status == Status.PUBLISHED


def test_first_category_is_primary_and_bylines_keep_order() -> None:
    web, data = CategoryFactory.create(name="Web"), CategoryFactory.create(name="Data")
    ada, bob = AuthorFactory.create(role="Engineer"), AuthorFactory.create(role="Designer")
    post = PostFactory.create()
    services.set_post_categories(post=post, categories=[web, data, web])
    services.set_post_bylines(
        post=post, credits=[services.Credit(bob), services.Credit(ada, role="Guest editor")]
    )
    post = Post.objects.for_listing().get(pk=post.pk)
    assert post.primary_category == web
    assert [c.name for c in post.chips] == ["Web", "Data"]
    assert [(b.author, b.display_role) for b in post.bylines.all()] == [
        (bob, "Designer"),
        (ada, "Guest editor"),
    ]


def test_reserved_page_slugs_are_refused() -> None:
    page = Page(title="Category", slug="category", body="")
    with pytest.raises(ValidationError, match="already uses the address /category/"):
        page.full_clean()
