from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from linernotes.content.models import Post, Status
from linernotes.content.signals import post_published
from tests.content.conftest import post_form
from tests.factories import AuthorFactory, CategoryFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["post", "category", "author", "page"])
def test_admin_lists_and_forms_open(editor: Client, model: str) -> None:
    assert editor.get(f"/admin/content/{model}/").status_code == 200
    assert editor.get(f"/admin/content/{model}/add/").status_code == 200


def test_publishing_from_the_admin_goes_through_the_service(
    editor: Client, django_capture_on_commit_callbacks
) -> None:
    web, data = CategoryFactory.create(name="Web"), CategoryFactory.create(name="Data")
    author = AuthorFactory.create()
    heard: list[Post] = []
    post_published.connect(lambda sender, post, **kw: heard.append(post), weak=False)
    form = post_form(
        author=author,
        title="From the admin",
        slug="from-the-admin",
        body="Hello *there*.",
        status=Status.PUBLISHED,
        featured="",
        categories=[str(web.pk), str(data.pk)],
        primary_category=str(data.pk),
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = editor.post("/admin/content/post/add/", form)
    finally:
        post_published.receivers.clear()
    assert response.status_code == 302, response.content.decode()[:2000]
    post = Post.objects.get(slug="from-the-admin")
    assert heard == [post]
    assert post.published_at is not None
    assert post.published_at <= timezone.now()
    assert "<em>there</em>" in post.body_html
    assert post.primary_category == data
    assert list(post.authors.all()) == [author]


def test_publish_action_publishes_drafts(editor: Client) -> None:
    draft = PostFactory.create(status=Status.DRAFT, published_at=None)
    response = editor.post(
        "/admin/content/post/",
        {"action": "publish_selected", "_selected_action": [str(draft.pk)]},
    )
    assert response.status_code == 302
    assert Post.objects.published().filter(pk=draft.pk).exists()


def test_an_author_can_only_be_linked_to_a_staff_account(editor: Client) -> None:
    User.objects.create_user("reader", "reader@example.com", "pw")
    # The form's account box searches through the admin's autocomplete view.
    response = editor.get(
        "/admin/autocomplete/",
        {"app_label": "content", "model_name": "author", "field_name": "user", "term": ""},
    )
    assert [result["text"] for result in response.json()["results"]] == ["editor"]
