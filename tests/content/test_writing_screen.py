"""The writing screen: the editor on the body field and its server-rendered live preview."""

from __future__ import annotations

import json
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission, User
from django.test import Client

from linernotes.accounts.roles import CONTRIBUTOR
from linernotes.accounts.staff import add_staff_user
from linernotes.content.models import Post, Status
from tests.factories import AuthorFactory, PageFactory, PostFactory

pytestmark = pytest.mark.django_db

PREVIEW = "/admin/content/post/preview/"
BODY = "# Deploying on Fridays\n\nWe do it **carefully**.\n\n```python\nprint('hi')\n```\n"


def preview(client: Client, url: str = PREVIEW, **fields: Any) -> Any:
    return client.post(url, {"title": "A title", "slug": "", "object_id": "", **fields})


def article(html: str) -> str:
    found = BeautifulSoup(html, "lxml").select_one("article.post")
    assert found is not None
    return str(found)


def test_the_body_is_an_editor_with_its_scripts(editor: Client) -> None:
    page = BeautifulSoup(editor.get("/admin/content/post/add/").content, "lxml")
    body = page.select_one("textarea[name=body]")
    assert body is not None
    assert body["data-preview-url"] == PREVIEW
    scripts = [script["src"] for script in page.select("script[src]")]
    assert any(src.endswith("easymde/easymde.min.js") for src in scripts)
    assert any(src.endswith("content/editor.js") for src in scripts)
    assert page.select("script:not([src])") == []  # nothing inline: the CSP allows none


def test_the_preview_is_the_published_page_for_the_text_being_written(editor: Client) -> None:
    answer = preview(editor, body=BODY)
    assert answer.status_code == 200
    data = json.loads(answer.content)
    shown = BeautifulSoup(data["html"], "lxml")
    assert shown.select_one("h1#post-title").get_text() == "A title"
    assert shown.select_one(".post__body strong").get_text() == "carefully"
    assert shown.select(".post__body .highlight")  # code highlighted on the server
    assert shown.select_one("meta[name=robots]")["content"].startswith("noindex")
    assert data["words"] == 8
    assert data["minutes"] == 1
    assert not Post.objects.exists()  # nothing was saved


def test_the_preview_of_a_saved_post_matches_its_published_article(editor: Client) -> None:
    post = PostFactory.create(body=BODY, authors=[AuthorFactory.create(name="Ada Okafor")])
    data = json.loads(
        preview(editor, title=post.title, slug=post.slug, body=BODY, object_id=str(post.pk)).content
    )
    published = editor.get(post.get_absolute_url())
    assert article(data["html"]) == article(published.content.decode())


def test_hostile_markdown_is_sanitised_in_the_preview(editor: Client) -> None:
    hostile = (
        "<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n<img src=x onerror=alert(1)>"
    )
    html = json.loads(preview(editor, body=hostile).content)["html"]
    body = BeautifulSoup(html, "lxml").select_one(".post__body")
    assert body is not None
    assert body.select("script") == []
    assert all(not a.get("href", "").startswith("javascript:") for a in body.select("a"))
    assert all("onerror" not in img.attrs for img in body.select("img"))


def test_a_body_over_the_limit_is_refused_with_a_message(editor: Client, settings: Any) -> None:
    settings.LINERNOTES_MAX_BODY_BYTES = 1000
    answer = preview(editor, body="word " * 400)
    assert answer.status_code == 413
    assert (
        "1,000" in json.loads(answer.content)["error"]
        or "1000" in json.loads(answer.content)["error"]
    )


def test_only_staff_who_may_write_it_get_a_preview(client: Client) -> None:
    assert preview(client, body=BODY).status_code == 302  # to the admin's sign-in
    viewer = User.objects.create_user("viewer", "v@example.com", "pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_post"))
    client.force_login(viewer)
    assert preview(client, body=BODY).status_code == 403
    user, own = add_staff_user(
        username="lin", email="lin@example.com", role=CONTRIBUTOR, password=None
    )
    client.force_login(user)
    assert preview(client, body=BODY).status_code == 200  # a new post of their own
    theirs = PostFactory.create(
        status=Status.DRAFT, published_at=None, authors=[AuthorFactory.create()]
    )
    assert preview(client, body=BODY, object_id=str(theirs.pk)).status_code == 403
    mine = PostFactory.create(status=Status.DRAFT, published_at=None, authors=[own])
    assert preview(client, body=BODY, object_id=str(mine.pk)).status_code == 200


def test_the_preview_answers_only_posts(editor: Client) -> None:
    assert editor.get(PREVIEW).status_code == 405


def test_pages_have_the_same_writing_screen(editor: Client) -> None:
    page = PageFactory.create(slug="about", body="Old words.")
    answer = preview(
        editor,
        "/admin/content/page/preview/",
        title="About us",
        slug="about",
        body="## Who we are\n\nNew words.",
        object_id=str(page.pk),
    )
    shown = BeautifulSoup(json.loads(answer.content)["html"], "lxml")
    assert shown.select_one("#page-title").get_text() == "About us"
    assert shown.select_one(".prose h2").get_text().startswith("Who we are")
    page.refresh_from_db()
    assert page.body == "Old words."
