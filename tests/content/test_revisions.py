"""Revisions as services: recording, autosave, restoring, pending edits and diffs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from linernotes.content.models import Category, Page, Post, Status
from linernotes.content.revision_models import Revision, RevisionKind
from linernotes.content.revisions import (
    autosave,
    diff_revisions,
    pending_change,
    publish_pending,
    record_revision,
    restore_revision,
    revisions_of,
)
from linernotes.content.services import Credit, set_post_bylines, set_post_categories
from linernotes.content.signals import post_published
from tests.factories import AuthorFactory, CategoryFactory, PageFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice() -> User:
    return User.objects.create_superuser("alice", "alice@example.com", "pw")


@pytest.fixture
def bob() -> User:
    return User.objects.create_superuser("bob", "bob@example.com", "pw")


def kinds(obj: Post | Page) -> list[tuple[int, str]]:
    return list(revisions_of(obj).values_list("number", "kind"))


def test_recording_snapshots_text_fields_categories_and_bylines(alice: User) -> None:
    web, data = CategoryFactory.create(name="Web"), CategoryFactory.create(name="Data")
    ada, bea = AuthorFactory.create(), AuthorFactory.create()
    post = PostFactory.create(body="Hello.", categories=[data, web], authors=[bea, ada])
    post.bylines.filter(author=ada).update(role="Editor")
    post.refresh_from_db()
    revision = record_revision(post, by=alice)
    assert (revision.number, revision.kind, revision.by) == (1, RevisionKind.SAVED, alice)
    assert (revision.title, revision.body) == (post.title, "Hello.")
    assert revision.fields["primary_category"] == data.pk
    assert revision.fields["categories"] == sorted([web.pk, data.pk])
    assert revision.fields["bylines"] == [
        {"author": bea.pk, "role": ""},
        {"author": ada.pk, "role": "Editor"},
    ]
    assert revision.fields["status"] == Status.PUBLISHED


def test_an_unchanged_save_records_nothing_and_a_change_records_the_next_number(
    alice: User,
) -> None:
    post = PostFactory.create()
    first = record_revision(post, by=alice)
    # Read back from the database: the publication time compares equal in any time zone.
    assert record_revision(Post.objects.get(pk=post.pk), by=alice) == first
    post.body = "Changed."
    post.save()
    second = record_revision(post, by=alice)
    assert kinds(post) == [(2, "saved"), (1, "saved")]
    assert second.body == "Changed."


def test_revision_numbers_are_per_object(alice: User) -> None:
    one, two = PostFactory.create(), PostFactory.create()
    page = PageFactory.create()
    assert [record_revision(obj, by=alice).number for obj in (one, two, page)] == [1, 1, 1]


def test_a_revision_belongs_to_exactly_one_post_or_page() -> None:
    post, page = PostFactory.create(), PageFactory.create()
    for owners in ({"post": post, "page": page}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Revision.objects.create(number=1, title="t", slug="t", **owners)


def test_autosave_updates_its_row_in_place_for_the_same_user(alice: User, bob: User) -> None:
    post = PostFactory.create(status=Status.DRAFT, published_at=None, body="Saved.")
    record_revision(post, by=alice)
    first = autosave(post, by=alice, data={"body": "Typing", "csrfmiddlewaretoken": "x"})
    again = autosave(post.pk, by=alice, data={"title": "New title"})
    assert again.pk == first.pk
    assert (again.number, again.kind, again.body, again.title) == (
        2,
        "autosave",
        "Typing",
        "New title",
    )
    assert kinds(post) == [(2, "autosave"), (1, "saved")]
    post.refresh_from_db()
    assert post.body == "Saved."  # autosave never saves the post itself
    assert autosave(post, by=bob, data={"body": "Bob types"}).number == 3


def test_autosave_after_a_real_save_starts_a_new_revision(alice: User) -> None:
    post = PostFactory.create(status=Status.DRAFT, published_at=None)
    first = autosave(post, by=alice, data={"body": "Draft one"})
    post.body = "Draft one"
    post.save()
    record_revision(post, by=alice)
    later = autosave(post, by=alice, data={"body": "Draft two"})
    assert later.pk != first.pk
    assert kinds(post) == [(3, "autosave"), (2, "saved"), (1, "autosave")]
    assert Revision.objects.get(pk=first.pk).body == "Draft one"


def test_autosave_needs_the_right_to_edit() -> None:
    post = PostFactory.create()
    viewer = User.objects.create_user("viewer", "viewer@example.com", "pw", is_staff=True)
    with pytest.raises(PermissionDenied):
        autosave(post, by=viewer, data={"body": "Mine now"})
    assert not revisions_of(post).exists()


@pytest.mark.parametrize(
    ("then", "now"), [(Status.DRAFT, Status.PUBLISHED), (Status.PUBLISHED, Status.DRAFT)]
)
def test_restore_brings_back_body_categories_and_bylines_but_keeps_the_status(
    alice: User, then: Status, now: Status
) -> None:
    web, data = CategoryFactory.create(name="Web"), CategoryFactory.create(name="Data")
    ada, bea = AuthorFactory.create(), AuthorFactory.create()
    post = PostFactory.create(status=then, body="Old *words*.", categories=[web], authors=[ada])
    post.refresh_from_db()
    old = record_revision(post, by=alice)
    moment = (timezone.now() - timedelta(days=1)).replace(microsecond=0)
    post.body, post.status, post.published_at = "New words.", now, moment
    post.save()
    set_post_categories(post=post, categories=[data])
    set_post_bylines(post=post, credits=[Credit(bea, "Guest")])
    record_revision(Post.objects.get(pk=post.pk), by=alice)

    restored = restore_revision(old, by=alice)
    post = Post.objects.get(pk=post.pk)
    assert restored == post
    assert post.body == "Old *words*."
    assert "<em>words</em>" in post.body_html
    assert (post.status, post.published_at) == (now, moment)
    assert list(post.categories.all()) == [web]
    assert post.primary_category == web
    assert [(b.author, b.role) for b in post.bylines.all()] == [(ada, "")]
    assert kinds(post) == [(3, "restored"), (2, "saved"), (1, "saved")]
    assert revisions_of(post).first().by == alice


def test_restore_leaves_out_categories_deleted_since(alice: User) -> None:
    gone, kept = CategoryFactory.create(name="Gone"), CategoryFactory.create(name="Kept")
    post = PostFactory.create(categories=[gone, kept])
    post.refresh_from_db()
    old = record_revision(post, by=alice)
    gone.delete()
    restore_revision(old, by=alice)
    post.refresh_from_db()
    assert list(post.categories.all()) == [kept]
    assert post.primary_category is None


def test_restore_refuses_a_slug_taken_since_and_changes_nothing(alice: User) -> None:
    post = PostFactory.create(slug="first-slug", body="Old.")
    old = record_revision(post, by=alice)
    post.slug, post.body = "second-slug", "New."
    post.save()
    PostFactory.create(slug="first-slug")
    with pytest.raises(ValidationError) as error:
        restore_revision(old, by=alice)
    assert "slug" in error.value.message_dict
    post.refresh_from_db()
    assert (post.slug, post.body) == ("second-slug", "New.")
    assert revisions_of(post).count() == 1


def test_a_page_revision_round_trip(alice: User) -> None:
    page = PageFactory.create(body="About us.", show_in_navigation=True, navigation_order=1)
    old = record_revision(page, by=alice)
    page.body, page.show_in_navigation, page.navigation_order = "About them.", False, 5
    page.status = Status.DRAFT
    page.save()
    record_revision(page, by=alice)
    restore_revision(old, by=alice)
    page.refresh_from_db()
    assert (page.body, page.show_in_navigation, page.navigation_order) == ("About us.", True, 1)
    assert page.status == Status.DRAFT  # restoring never publishes
    assert "About us." in page.body_html
    assert kinds(page) == [(3, "restored"), (2, "saved"), (1, "saved")]


def test_diff_shows_removed_and_added_lines_escaped(alice: User) -> None:
    post = PostFactory.create(title="Plain", body="one\ntwo\nthree")
    older = record_revision(post, by=alice)
    post.title, post.body = "Bold <b>title</b>", "one\n2\nthree\n<script>alert(1)</script>"
    post.save()
    newer = record_revision(post, by=alice)
    changes = dict(diff_revisions(older, newer))
    assert set(changes) == {"Title", "Body"}
    body = BeautifulSoup(changes["Body"], "lxml")
    assert [row.select_one(".text").text for row in body.select("tr.removed")] == ["two"]
    assert [row.select_one(".text").text for row in body.select("tr.added")] == [
        "2",
        "<script>alert(1)</script>",
    ]
    assert [row.select_one(".text").text for row in body.select("tr.context")] == ["one", "three"]
    assert body.select("script") == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in changes["Body"]
    assert "&lt;b&gt;title&lt;/b&gt;" in changes["Title"]


def test_diff_of_other_fields_names_what_ids_stand_for(alice: User) -> None:
    web = CategoryFactory.create(name="Web <Dev>")
    post = PostFactory.create(featured=False)
    older = record_revision(post, by=alice)
    post.featured = True
    post.save()
    set_post_categories(post=post, categories=[web])
    newer = record_revision(Post.objects.get(pk=post.pk), by=alice)
    changes = dict(diff_revisions(older, newer))
    assert changes["Featured"] == '<del class="removed">no</del> → <ins class="added">yes</ins>'
    assert "Web &lt;Dev&gt;" in changes["Categories"]
    assert "Web &lt;Dev&gt;" in changes["Primary category"]


def test_a_pending_edit_leaves_the_live_post_alone_until_published(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    post = PostFactory.create(body="Live words.")
    record_revision(post, by=alice)
    live_html = post.body_html
    pending = pending_change(post, by=alice, data={"body": "Better *words*."})
    assert pending_change(post, by=alice, data={"summary": "Now with a summary."}) == pending
    reader = Client()
    assert b"Live words." in reader.get(post.get_absolute_url()).content
    assert Post.objects.published().get(pk=post.pk).body_html == live_html

    heard: list[Post] = []
    post_published.connect(lambda sender, post, **kw: heard.append(post), weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            publish_pending(pending, by=alice)
    finally:
        post_published.receivers.clear()
    live = Post.objects.published().get(pk=post.pk)
    assert "<em>words</em>" in live.body_html
    assert live.summary == "Now with a summary."
    assert (live.status, live.published_at) == (Status.PUBLISHED, post.published_at)
    assert heard == []  # already announced once: the newsletter does not go out again
    assert kinds(post) == [(2, "saved"), (1, "saved")]
    assert b"Better <em>words</em>." in reader.get(post.get_absolute_url()).content


def test_a_pending_edit_is_published_whole_and_becomes_the_newest_revision(alice: User) -> None:
    post = PostFactory.create(title="Live title", body="Live.")
    pending = pending_change(post, by=alice, data={"body": "Pending."})
    post.title = "Changed meanwhile"
    post.save()
    record_revision(post, by=alice)
    publish_pending(pending, by=alice)
    # The pending revision is the version to publish, as it was written: what changed on the
    # live post meanwhile is not merged into it.
    assert Post.objects.get(pk=post.pk).title == "Live title"
    assert kinds(post) == [(3, "saved"), (2, "saved")]
    newest = revisions_of(post).first()
    assert (newest.pk, newest.title, newest.body) == (pending.pk, "Live title", "Pending.")


def test_pending_edits_are_for_published_posts_only(alice: User) -> None:
    draft = PostFactory.create(status=Status.DRAFT, published_at=None)
    with pytest.raises(ValueError, match="published post"):
        pending_change(draft, by=alice, data={"body": "x"})
    saved = record_revision(PostFactory.create(), by=alice)
    with pytest.raises(ValueError, match="pending revision"):
        publish_pending(saved, by=alice)


def test_only_a_publisher_may_publish_a_pending_edit(alice: User) -> None:
    post = PostFactory.create(body="Live.")
    pending = pending_change(post, by=alice, data={"body": "Pending."})
    writer = User.objects.create_user("writer", "writer@example.com", "pw", is_staff=True)
    with pytest.raises(PermissionDenied):
        publish_pending(pending, by=writer)
    assert Post.objects.get(pk=post.pk).body == "Live."
    assert Revision.objects.get(pk=pending.pk).kind == RevisionKind.PENDING


def test_category_name_changes_do_not_change_snapshots(alice: User) -> None:
    web = CategoryFactory.create(name="Web")
    post = PostFactory.create(categories=[web])
    post.refresh_from_db()
    first = record_revision(post, by=alice)
    Category.objects.filter(pk=web.pk).update(name="Frontend")
    assert record_revision(Post.objects.get(pk=post.pk), by=alice) == first
