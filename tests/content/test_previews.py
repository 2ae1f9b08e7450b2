"""Who may preview a post, and share links: signed, expiring, revocable."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import LazySettings
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.utils import timezone

from linernotes.content.models import Post, Status
from linernotes.content.previews import (
    SALT,
    PreviewLinkExpired,
    PreviewLinkInvalid,
    may_preview,
    may_share,
    post_for_share_token,
    preview_parts,
    register_preview_part,
    revoke_share_links,
    share_token,
)
from linernotes.site.previews import register_parts
from tests.factories import AuthorFactory, PostFactory
from tests.staff import EDITOR, VIEWER, WRITER, staff_user

pytestmark = pytest.mark.django_db

DAY = 86400


def signed_days_ago(post: Post, days: float) -> str:
    """A share link of ``post`` as if it had been made ``days`` ago."""
    share_token(post)  # the key is made now, outside the moved clock
    with mock.patch("django.core.signing.time.time", return_value=time.time() - days * DAY):
        return share_token(post)


def test_editors_and_viewers_may_preview_every_post_writers_their_own() -> None:
    mine, theirs = AuthorFactory.create(), AuthorFactory.create()
    own_post = PostFactory.create(status=Status.DRAFT, published_at=None, authors=[mine])
    other_post = PostFactory.create(status=Status.DRAFT, published_at=None, authors=[theirs])
    writer = staff_user("writer", WRITER, author=mine)
    assert may_preview(writer, own_post)
    assert not may_preview(writer, other_post)
    for user in (staff_user("editor", EDITOR), staff_user("viewer", VIEWER)):
        assert may_preview(user, own_post)
        assert may_preview(user, other_post)


def test_a_writer_still_previews_their_post_once_an_editor_scheduled_it() -> None:
    mine = AuthorFactory.create()
    when = timezone.now() + timedelta(days=3)
    post = PostFactory.create(status=Status.SCHEDULED, published_at=when, authors=[mine])
    writer = staff_user("writer", WRITER, author=mine)
    assert may_preview(writer, post)
    assert not may_share(writer, post)  # a change to a scheduled post is a publication


def test_nobody_outside_the_admin_may_preview() -> None:
    post = PostFactory.create(status=Status.DRAFT, published_at=None)
    not_staff = staff_user("former", EDITOR)
    not_staff.is_staff = False
    not_staff.save()
    no_permission = staff_user("nothing", ())
    assert not may_preview(AnonymousUser(), post)
    assert not may_preview(not_staff, post)
    assert not may_preview(no_permission, post)


def test_only_those_who_may_edit_a_post_may_share_it() -> None:
    post = PostFactory.create(status=Status.DRAFT, published_at=None)
    assert may_share(staff_user("editor", EDITOR), post)
    assert not may_share(staff_user("viewer", VIEWER), post)
    assert not may_share(staff_user("writer", WRITER), post)


def test_a_share_link_names_its_post() -> None:
    post = PostFactory.create(status=Status.DRAFT, published_at=None)
    token = share_token(post)
    assert post_for_share_token(token) == post
    post.refresh_from_db()
    assert len(post.preview_key) >= 20  # the key was stored


def test_making_a_link_keeps_the_key_and_changes_nothing_else() -> None:
    post = PostFactory.create(status=Status.DRAFT, published_at=None)
    updated_at = post.updated_at
    first = share_token(post)
    key = Post.objects.get(pk=post.pk).preview_key
    second = share_token(Post.objects.get(pk=post.pk))
    assert Post.objects.get(pk=post.pk).preview_key == key
    assert Post.objects.get(pk=post.pk).updated_at == updated_at  # a plain update, no save
    assert post_for_share_token(first) == post_for_share_token(second) == post


def test_links_expire_after_the_configured_days(settings: LazySettings) -> None:
    post = PostFactory.create(status=Status.DRAFT, published_at=None)
    assert post_for_share_token(signed_days_ago(post, 6.9)) == post
    with pytest.raises(PreviewLinkExpired):
        post_for_share_token(signed_days_ago(post, 7.1))
    settings.LINERNOTES_PREVIEW_LINK_DAYS = 30
    assert post_for_share_token(signed_days_ago(post, 7.1)) == post


def test_revoking_invalidates_every_link_given_out_and_new_links_work() -> None:
    post = PostFactory.create(status=Status.DRAFT, published_at=None)
    old, older = share_token(post), signed_days_ago(post, 10)
    revoke_share_links(post)
    with pytest.raises(PreviewLinkInvalid):
        post_for_share_token(old)
    # Old and revoked: asking for a new link would not help, so it is not "expired".
    with pytest.raises(PreviewLinkInvalid):
        post_for_share_token(older)
    assert post_for_share_token(share_token(post)) == post


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: token[: len(token) // 2],
        lambda token: signing.dumps(signing.loads(token, salt=SALT), salt="another.purpose"),
        lambda token: signing.dumps(["not", "a", "link"], salt=SALT),
        lambda token: "",
    ],
)
def test_tampered_links_are_invalid(forge: Callable[[str], str]) -> None:
    post = PostFactory.create(status=Status.DRAFT, published_at=None)
    token = share_token(post)
    with pytest.raises(PreviewLinkInvalid):
        post_for_share_token(forge(token))


def test_a_link_to_a_deleted_post_is_invalid() -> None:
    post = PostFactory.create(status=Status.DRAFT, published_at=None)
    token = share_token(post)
    post.delete()
    with pytest.raises(PreviewLinkInvalid):
        post_for_share_token(token)


def test_preview_parts_are_listed_in_order_with_their_addresses() -> None:
    labels = [label for label, _ in preview_parts("t0ken")]
    assert labels[:3] == ["Post page", "Home-page card", "Newsletter email"]
    assert dict(preview_parts("t0ken"))["Home-page card"] == "/preview/t0ken/card/"
    register_preview_part("Post page", lambda token: f"/elsewhere/{token}/", order=10)
    try:
        assert dict(preview_parts("t0ken"))["Post page"] == "/elsewhere/t0ken/"
        assert len(preview_parts("t0ken")) == len(labels)  # replaced, not added
    finally:
        register_parts()
