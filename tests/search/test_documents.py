"""What the index is given for a post: its fields as plain text."""

from __future__ import annotations

import pytest

from linernotes.content import services
from linernotes.content.models import Post
from linernotes.search.documents import build_document
from tests.factories import AuthorFactory, CategoryFactory, PostFactory

pytestmark = pytest.mark.django_db


def test_a_document_has_the_posts_fields_as_text() -> None:
    ada = AuthorFactory.create(name="Ada Okafor", role="Staff Engineer")
    tomas = AuthorFactory.create(name="Tomás Reyes", role="")
    post = PostFactory.create(
        title="Kafka at scale",
        summary="How we run it.",
        body="## Brokers\n\nWe run *many* brokers.\n\n```python\nprint('hi')\n```",
        categories=[CategoryFactory.create(name="Web"), CategoryFactory.create(name="Data")],
    )
    services.set_post_bylines(
        post=post,
        credits=[services.Credit(author=tomas, role="Guest editor"), services.Credit(author=ada)],
    )
    document = build_document(Post.objects.for_listing().get(pk=post.pk))
    assert document.post_id == post.pk
    assert document.title == "Kafka at scale"
    assert document.summary == "How we run it."
    assert document.categories == "Data; Web"
    assert document.authors == "Tomás Reyes, Guest editor; Ada Okafor, Staff Engineer"
    assert document.body == "Brokers We run many brokers. print('hi')"


def test_body_text_keeps_words_apart_and_drops_rendering_decorations() -> None:
    post = PostFactory.create(
        body=(
            "## Tables\n\nCells[^1] &amp; <code>x&lt;y</code>\n\n| left | right |\n|---|--:|\n"
            "| a | b |\n\n```python linenos\nprint(1)\nprint(2)\n```\n\n[^1]: A note.\n"
        )
    )
    document = build_document(Post.objects.for_listing().get(pk=post.pk))
    # No "#" of heading links, no "↩" of footnote back-links, no line numbers.
    assert document.body == "Tables Cells[1] & x<y left right a b print(1) print(2) A note."


def test_the_document_is_built_from_the_text_stored_at_render_time() -> None:
    post = PostFactory.create(body="Brokers *replicate* partitions.")
    # The HTML is never parsed again to index the post: only the stored text counts.
    Post.objects.filter(pk=post.pk).update(body_html="<p>Something else entirely.</p>")
    document = build_document(Post.objects.for_listing().get(pk=post.pk))
    assert document.body == "Brokers replicate partitions."


def test_control_characters_never_reach_the_index() -> None:
    post = PostFactory.create(title="Kafka\x02 lag\x03", summary="a\x07b")
    document = build_document(Post.objects.for_listing().get(pk=post.pk))
    assert document.title.split() == ["Kafka", "lag"]
    assert document.summary == "a b"
