"""Autosave to the writer's revision, and two editors on one post."""

from __future__ import annotations

import json
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.test import Client

from linernotes.accounts.roles import CONTRIBUTOR, EDITOR
from linernotes.accounts.staff import add_staff_user
from linernotes.content.models import Post, Status
from linernotes.content.revision_models import Revision, RevisionKind
from tests.factories import AuthorFactory, PostFactory

pytestmark = pytest.mark.django_db


def staff(client: Client, username: str, role: str = EDITOR) -> tuple[Client, User]:
    user, _ = add_staff_user(
        username=username,
        email=f"{username}@example.com",
        role=role,
        password=None,
        name=username.title(),
    )
    client.force_login(user)
    return client, user


def autosave_url(post: Post) -> str:
    return f"/admin/content/post/{post.pk}/autosave/"


def change_form(client: Client, post: Post) -> dict[str, Any]:
    """The change form of ``post`` as the browser would send it back, unchanged."""
    page = BeautifulSoup(client.get(f"/admin/content/post/{post.pk}/change/").content, "lxml")
    form = page.select_one("form#post_form")
    data: dict[str, Any] = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        name = str(field["name"])
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select":
            chosen = field.select("option[selected]")
            values = [option.get("value", "") for option in chosen]
            data[name] = values if field.has_attr("multiple") else (values[0] if values else "")
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        elif field.get("type") not in ("submit", "file"):
            data[name] = field.get("value", "")
    return data


def test_autosave_keeps_the_text_in_one_revision_without_touching_the_post(
    client: Client,
) -> None:
    editor, user = staff(client, "ed")
    post = PostFactory.create(body="Saved words.", authors=[AuthorFactory.create()])
    for text in ("First draft", "First draft, longer", "First draft, longer still"):
        answer = editor.post(autosave_url(post), {"title": post.title, "body": text})
        assert answer.status_code == 200
    post.refresh_from_db()
    assert post.body == "Saved words."  # the live post is untouched
    autosaves = Revision.objects.filter(post=post, kind=RevisionKind.AUTOSAVE)
    assert [(r.body, r.by) for r in autosaves] == [("First draft, longer still", user)]
    offered = json.loads(editor.get(autosave_url(post)).content)
    assert offered["fields"]["body"] == "First draft, longer still"
    assert json.loads(editor.post(autosave_url(post) + "discard/").content) == {"discarded": True}
    assert json.loads(editor.get(autosave_url(post)).content) == {}


def test_a_saved_post_offers_no_older_autosave(client: Client) -> None:
    editor, _ = staff(client, "ed")
    post = PostFactory.create(authors=[AuthorFactory.create()])
    editor.post(autosave_url(post), {"body": "typed, then saved"})
    post.body = "typed, then saved"
    post.save()
    assert json.loads(editor.get(autosave_url(post)).content) == {}


def test_only_those_who_may_change_the_post_autosave(client: Client) -> None:
    writer, _ = staff(client, "lin", CONTRIBUTOR)
    theirs = PostFactory.create(
        status=Status.DRAFT, published_at=None, authors=[AuthorFactory.create()]
    )
    assert writer.post(autosave_url(theirs), {"body": "mine now"}).status_code == 403
    assert writer.get(autosave_url(theirs)).status_code == 403
    assert not Revision.objects.filter(post=theirs, kind=RevisionKind.AUTOSAVE).exists()
    anonymous = Client()
    assert anonymous.post(autosave_url(theirs), {"body": "x"}).status_code == 302


def test_the_second_editor_to_save_is_warned_and_nothing_is_overwritten(client: Client) -> None:
    first, _ = staff(Client(), "ada")
    second, _ = staff(client, "bob")
    post = PostFactory.create(body="The original.", authors=[AuthorFactory.create()])
    ada_form, bob_form = change_form(first, post), change_form(second, post)
    assert ada_form["seen_version"] == bob_form["seen_version"] == str(post.version)

    ada_form["body"] = "Ada's version."
    assert first.post(f"/admin/content/post/{post.pk}/change/", ada_form).status_code == 302
    # Bob's autosave already tells him; his save is refused with his text kept in the form.
    warned = json.loads(
        second.post(
            autosave_url(post), {"body": "Bob's", "seen_version": bob_form["seen_version"]}
        ).content
    )
    assert "Ada saved this post" in warned["conflict"]
    bob_form["body"] = "Bob's version."
    refused = second.post(f"/admin/content/post/{post.pk}/change/", bob_form)
    assert refused.status_code == 200
    page = BeautifulSoup(refused.content, "lxml")
    assert "Ada saved this post" in page.select_one("ul.errorlist.nonfield").get_text()
    assert page.select_one("textarea[name=body]").get_text().strip() == "Bob's version."
    post.refresh_from_db()
    assert post.body == "Ada's version."
