"""Publishing from the post list needs the right to publish; viewing posts is not enough.

Roles are tried in full in tests/accounts/test_roles.py; these grant single permissions.
"""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission, User
from django.test import Client

from linernotes.content.models import Post, Status
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def staff(client: Client, *codenames: str) -> Client:
    user = User.objects.create_user("staff", "staff@example.com", "a-long-test-password")
    user.is_staff = True
    user.save()
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="content", codename__in=codenames)
    )
    client.force_login(user)
    return client


def post_action(client: Client, action: str, post: Post) -> Any:
    """POST the action as the post list's form does."""
    return client.post(
        "/admin/content/post/",
        {"action": action, "_selected_action": [post.pk], "index": "0"},
        follow=True,
    )


def run_action(client: Client, action: str, post: Post) -> list[str]:
    """The messages the list shows after the action."""
    response = post_action(client, action, post)
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize(
    ("action", "status"),
    [("publish_selected", Status.DRAFT), ("unpublish_selected", Status.PUBLISHED)],
)
def test_view_permission_cannot_change_a_posts_status(
    client: Client, action: str, status: Status
) -> None:
    viewer = staff(client, "view_post")
    post = PostFactory.create(status=status)
    page = BeautifulSoup(viewer.get("/admin/content/post/").content, "lxml")
    assert page.select("select[name=action]") == []  # no action is offered
    # Posted all the same, it is refused.
    assert post_action(viewer, action, post).status_code == 403
    post.refresh_from_db()
    assert post.status == status


def test_change_permission_alone_cannot_publish(client: Client) -> None:
    writer = staff(client, "view_post", "change_post")
    post = PostFactory.create(status=Status.DRAFT, published_at=None)
    assert post_action(writer, "publish_selected", post).status_code == 403
    post.refresh_from_db()
    assert post.status == Status.DRAFT


def test_editing_everyones_posts_can_publish_and_unpublish(client: Client) -> None:
    editor = staff(client, "view_post", "change_post", "edit_others_posts")
    post = PostFactory.create(status=Status.DRAFT, published_at=None)
    assert run_action(editor, "publish_selected", post) == ["The selected posts are published."]
    post.refresh_from_db()
    assert post.status == Status.PUBLISHED
    assert Post.objects.published().filter(pk=post.pk).exists()
    assert run_action(editor, "unpublish_selected", post) == [
        "The selected posts are drafts again."
    ]
    post.refresh_from_db()
    assert post.status == Status.DRAFT
