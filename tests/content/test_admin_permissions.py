"""Publishing from the post list needs the change permission; viewing posts is not enough."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission, User
from django.test import Client

from linernotes.content.models import Post, Status
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def staff(client: Client, codename: str) -> Client:
    user = User.objects.create_user("staff", "staff@example.com", "a-long-test-password")
    user.is_staff = True
    user.save()
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="content", codename=codename)
    )
    client.force_login(user)
    return client


def run_action(client: Client, action: str, post: Post) -> list[str]:
    """POST the action as the post list's form does; the messages the list then shows."""
    response = client.post(
        "/admin/content/post/",
        {"action": action, "_selected_action": [post.pk], "index": "0"},
        follow=True,
    )
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
    # Posted all the same, it is not taken for an action: the list is shown again.
    assert run_action(viewer, action, post) == []
    post.refresh_from_db()
    assert post.status == status


def test_change_permission_can_publish_and_unpublish(client: Client) -> None:
    editor = staff(client, "change_post")
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
