"""The index follows content: publishing, edits, deletions, renames, and the rebuild command."""

from __future__ import annotations

import io
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linernotes.content import services
from linernotes.content.models import Post, Status
from linernotes.search.models import SearchDocument
from linernotes.search.service import SearchParams, search
from tests.factories import AuthorFactory, CategoryFactory, PostFactory

pytestmark = pytest.mark.usefixtures("backend")

Commit = Callable[[], AbstractContextManager[Any]]


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Commit:
    """A block whose after-commit work runs at its end, as after a real commit."""

    def block() -> AbstractContextManager[Any]:
        return django_capture_on_commit_callbacks(execute=True)

    return block


def found(text: str) -> list[str]:
    """Titles the index answers with right now (no rebuild)."""
    outcome = search(SearchParams(text=text), lambda number: f"/search/?page={number}")
    return [result.post.title for result in outcome.listing.results]


def indexed_ids() -> set[int]:
    return set(SearchDocument.objects.values_list("post_id", flat=True))


def test_publishing_indexes_and_unpublishing_removes(committed: Commit) -> None:
    with committed():
        post = PostFactory.create(
            title="Kafka consumer lag", status=Status.DRAFT, published_at=None
        )
    assert found("kafka") == []
    with committed():
        services.publish_post(post=post)
    assert found("kafka") == ["Kafka consumer lag"]
    with committed():
        services.unpublish_post(post=post)
    assert found("kafka") == []
    assert post.pk not in indexed_ids()


def document_writes(queries: CaptureQueriesContext) -> int:
    """How many times the documents were written: each indexing run upserts them in one INSERT.

    (PostgreSQL then also updates the vectors of the rows it wrote; that is the same run.)
    """
    table = SearchDocument._meta.db_table
    return sum(
        query["sql"].lstrip().upper().startswith("INSERT") and table in query["sql"]
        for query in queries.captured_queries
    )


def test_publishing_a_new_post_indexes_it_once(committed: Commit) -> None:
    with committed():
        post = PostFactory.create(title="Kafka lag", status=Status.DRAFT, published_at=None)
    with CaptureQueriesContext(connection) as queries, committed():
        services.publish_post(post=post)
    assert document_writes(queries) == 1
    assert found("kafka") == ["Kafka lag"]
    with CaptureQueriesContext(connection) as queries, committed():
        services.unpublish_post(post=post)
    assert document_writes(queries) == 0
    assert post.pk not in indexed_ids()


def test_a_post_saved_directly_is_indexed_with_its_categories_and_bylines(
    committed: Commit,
) -> None:
    streaming = CategoryFactory.create(name="Streaming", slug="streaming")
    ada = AuthorFactory.create(name="Ada Okafor", slug="ada-okafor")
    with committed(), transaction.atomic():
        post = Post.objects.create(
            title="Kafka at scale",
            slug="kafka",
            status=Status.PUBLISHED,
            published_at=timezone.now(),
        )
        services.set_post_categories(post=post, categories=[streaming])
        services.set_post_bylines(post=post, credits=[services.Credit(author=ada, role="Editor")])
    document = SearchDocument.objects.get(post=post)
    assert (document.categories, document.authors) == ("Streaming", "Ada Okafor, Editor")
    assert found("streaming") == found("okafor") == found("editor") == ["Kafka at scale"]


def test_edits_replace_the_old_text(committed: Commit) -> None:
    with committed():
        post = PostFactory.create(title="Kafka consumer lag", body="About brokers.")
    with committed():
        post.title = "Measuring delay"
        post.body = "About partitions."
        post.save()
    assert found("kafka") == found("brokers") == []
    assert found("delay") == found("partitions") == ["Measuring delay"]


def test_deleting_a_post_removes_it(committed: Commit) -> None:
    with committed():
        post = PostFactory.create(title="Kafka consumer lag")
        PostFactory.create(title="Kafka brokers")
    with committed():
        post.delete()
    assert found("kafka") == ["Kafka brokers"]
    assert len(indexed_ids()) == 1


def test_renaming_or_deleting_a_category_or_author_updates_their_posts(
    committed: Commit,
) -> None:
    with committed():
        category = CategoryFactory.create(name="Streaming", slug="streaming")
        author = AuthorFactory.create(name="Ada Okafor", slug="ada-okafor")
        PostFactory.create(title="One", categories=[category], authors=[author])
    with committed():
        category.name = "Messaging"
        category.save()
        author.name = "Ada Obi"
        author.save()
    assert found("streaming") == found("okafor") == []
    assert found("messaging") == found("obi") == ["One"]
    with committed():
        category.delete()
    assert found("messaging") == []


def test_categories_added_from_the_category_side_are_indexed(committed: Commit) -> None:
    with committed():
        category = CategoryFactory.create(name="Streaming", slug="streaming")
        post = PostFactory.create(title="One")
    with committed():
        category.posts.add(post)
    assert found("streaming") == ["One"]
    with committed():
        category.posts.clear()
    assert found("streaming") == []


def test_drafts_are_never_indexed_and_scheduled_posts_wait_unseen(committed: Commit) -> None:
    with committed():
        draft = PostFactory.create(title="Kafka draft", status=Status.DRAFT, published_at=None)
        scheduled = PostFactory.create(
            title="Kafka scheduled", published_at=timezone.now() + timedelta(hours=1)
        )
    assert draft.pk not in indexed_ids()
    assert scheduled.pk in indexed_ids()
    assert found("kafka") == []


def test_a_rolled_back_change_is_not_indexed(committed: Commit) -> None:
    with committed():
        post = PostFactory.create(title="Kafka consumer lag")
    with committed():
        try:
            with transaction.atomic():
                post.title = "Renamed"
                post.save()
                raise RuntimeError("the editor's request failed")
        except RuntimeError:
            pass
    assert found("kafka") == ["Kafka consumer lag"]
    assert found("renamed") == []


@pytest.fixture
def mixed_posts() -> dict[str, Post]:
    """Published, scheduled and draft posts, with an index that knows none of them."""
    posts = {
        "published": PostFactory.create(title="Kafka published"),
        "scheduled": PostFactory.create(
            title="Kafka scheduled", published_at=timezone.now() + timedelta(days=1)
        ),
        "draft": PostFactory.create(title="Kafka draft", status=Status.DRAFT, published_at=None),
        "unpublished": PostFactory.create(title="Kafka unpublished"),
    }
    SearchDocument.objects.all().delete()
    return posts


def test_rebuild_covers_every_published_post_and_nothing_else(
    mixed_posts: dict[str, Post],
) -> None:
    call_command("search", "rebuild", stdout=io.StringIO())
    # A post turned into a draft by a path that sent no signal leaves a stale entry behind.
    Post.objects.filter(pk=mixed_posts["unpublished"].pk).update(status=Status.DRAFT)
    out = io.StringIO()
    call_command("search", "rebuild", stdout=out)
    assert "Indexed 2 posts (1 public now, 1 not yet); removed 1 stale" in out.getvalue()
    assert "Indexing posts: [2/2]" in out.getvalue().splitlines()
    assert indexed_ids() == {mixed_posts["published"].pk, mixed_posts["scheduled"].pk}
    assert set(Post.objects.filter(status=Status.PUBLISHED).values_list("pk", flat=True)) == (
        indexed_ids()
    )
    assert found("kafka") == ["Kafka published"]


def test_rebuild_dry_run_changes_nothing(mixed_posts: dict[str, Post]) -> None:
    out = io.StringIO()
    call_command("search", "rebuild", "--dry-run", stdout=out)
    assert out.getvalue().strip() == (
        "Would index 3 posts (2 public now, 1 not yet) and remove 0 stale entries."
    )
    assert indexed_ids() == set()


def test_status_reports_missing_entries(mixed_posts: dict[str, Post]) -> None:
    out = io.StringIO()
    call_command("search", "status", stdout=out)
    assert "Indexed posts: 0 of 3 published" in out.getvalue()
    assert "3 published posts are missing" in out.getvalue()
    call_command("search", "rebuild", stdout=io.StringIO())
    out = io.StringIO()
    call_command("search", "status", stdout=out)
    assert "Indexed posts: 3 of 3 published" in out.getvalue()
    assert "missing" not in out.getvalue()


def test_the_engine_structures_stay_consistent_with_the_documents(committed: Commit) -> None:
    with committed():
        posts = [PostFactory.create(title=f"Kafka {n}") for n in range(4)]
    with committed():
        posts[0].delete()
        posts[1].title = "Renamed"
        posts[1].save()
        services.unpublish_post(post=posts[2])
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # FTS5 checks its index against the documents table it reads.
            cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
        else:
            cursor.execute("SELECT count(*) FROM search_searchdocument WHERE vector IS NULL")
            assert cursor.fetchone() == (0,)
    assert found("kafka") == ["Kafka 3"]
    assert found("renamed") == ["Renamed"]
