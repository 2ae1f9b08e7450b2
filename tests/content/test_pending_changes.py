"""A published post edited as a pending change: live version untouched until it is published."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from linernotes.accounts.roles import AUTHOR, EDITOR
from linernotes.accounts.staff import add_staff_user
from linernotes.content.models import Author, Post
from linernotes.content.revision_models import Revision, RevisionKind
from tests.content.test_autosave_and_locking import change_form
from tests.factories import AuthorFactory, CategoryFactory, PostFactory

pytestmark = pytest.mark.django_db


def signed_in(client: Client, username: str, role: str) -> tuple[Client, Author]:
    user, author = add_staff_user(
        username=username, email=f"{username}@example.com", role=role, password=None
    )
    client.force_login(user)
    return client, author


def test_a_pending_change_keeps_the_live_post_and_goes_live_when_published(
    client: Client,
) -> None:
    editor, _ = signed_in(client, "ed", EDITOR)
    web, data = CategoryFactory.create(name="Web"), CategoryFactory.create(name="Data")
    post = PostFactory.create(
        body="Live words.", categories=[web], authors=[AuthorFactory.create()]
    )
    live_html = post.body_html
    form = change_form(editor, post)
    form.update(
        {
            "body": "Better words.",
            "categories": [str(data.pk)],
            "primary_category": str(data.pk),
            "_pending": "Keep as a pending change",
        }
    )
    url = f"/admin/content/post/{post.pk}/change/"
    answer = editor.post(url, form)
    assert answer.status_code == 302
    post.refresh_from_db()
    assert (post.body, post.body_html) == ("Live words.", live_html)
    assert list(post.categories.all()) == [web]
    pending = Revision.objects.get(post=post, kind=RevisionKind.PENDING)
    assert pending.body == "Better words."
    assert pending.fields["categories"] == [data.pk]

    page = BeautifulSoup(editor.get(url).content, "lxml")
    notice = page.select_one(".pending-change")
    assert f"Revision {pending.number}" in notice.get_text()
    publish = str(notice.select_one("form")["action"])
    assert editor.get(publish).status_code == 405
    assert editor.post(publish).status_code == 302
    post.refresh_from_db()
    assert post.body == "Better words."
    assert list(post.categories.all()) == [data]
    assert Post.objects.published().filter(pk=post.pk).exists()
    assert not Revision.objects.filter(post=post, kind=RevisionKind.PENDING).exists()


def test_only_those_who_may_publish_the_post_publish_a_pending_change(client: Client) -> None:
    editor, _ = signed_in(Client(), "ed", EDITOR)
    post = PostFactory.create(body="Live words.", authors=[AuthorFactory.create()])
    form = change_form(editor, post)
    form.update({"body": "Pending words.", "_pending": "Keep as a pending change"})
    editor.post(f"/admin/content/post/{post.pk}/change/", form)
    number = Revision.objects.get(post=post, kind=RevisionKind.PENDING).number
    author, _ = signed_in(client, "au", AUTHOR)  # not their post
    answer = author.post(f"/admin/content/post/{post.pk}/revisions/{number}/publish/")
    assert answer.status_code == 403
    post.refresh_from_db()
    assert post.body == "Live words."


def test_a_draft_has_no_pending_button(client: Client) -> None:
    editor, _ = signed_in(client, "ed", EDITOR)
    post = PostFactory.create(status="draft", published_at=None, authors=[AuthorFactory.create()])
    page = BeautifulSoup(editor.get(f"/admin/content/post/{post.pk}/change/").content, "lxml")
    assert page.select("input[name=_pending]") == []
    assert page.select(".pending-change") == []
    published = PostFactory.create(authors=[AuthorFactory.create()])
    page = BeautifulSoup(editor.get(f"/admin/content/post/{published.pk}/change/").content, "lxml")
    assert len(page.select("input[name=_pending]")) == 1
