"""Share links from the post's admin page: made and revoked by POST, by those who may edit."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.test import Client

from linernotes.content.models import Author, Post, Status
from linernotes.content.previews import post_for_share_token, share_token
from tests.factories import AuthorFactory, PostFactory
from tests.staff import EDITOR, VIEWER, WRITER, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def author() -> Author:
    return AuthorFactory.create()


@pytest.fixture
def draft(author: Author) -> Post:
    return PostFactory.create(status=Status.DRAFT, published_at=None, authors=[author])


def signed_in(user: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def change_page(client: Client, post: Post) -> BeautifulSoup:
    response = client.get(f"/admin/content/post/{post.pk}/change/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "lxml")


def post_form(client: Client, page: BeautifulSoup, button: str) -> tuple[str, int]:
    """Press the share section's button labelled ``button``, as a browser would."""
    form = next(
        form
        for form in page.select("#share-links form")
        if form.select_one("button").get_text() == button
    )
    token = form.select_one("input[name=csrfmiddlewaretoken]")["value"]
    response = client.post(str(form["action"]), {"csrfmiddlewaretoken": token})
    return str(response.get("Location", "")), response.status_code


def shown_links(page: BeautifulSoup) -> dict[str, str]:
    return {
        label.get_text(): str(page.select_one(f"#{label['for']}")["value"])
        for label in page.select("#share-links label")
    }


def test_the_owner_makes_a_share_link_and_revokes_it(draft: Post, author: Author) -> None:
    owner = signed_in(staff_user("owner", WRITER, author=author))
    page = change_page(owner, draft)
    assert shown_links(page) == {}
    location, status = post_form(owner, page, "Create a share link")
    assert (status, location) == (302, f"/admin/content/post/{draft.pk}/change/#share-links")
    page = change_page(owner, draft)
    links = shown_links(page)
    assert list(links) == ["Post page", "Home-page card", "Newsletter email"]
    token = links["Post page"].rstrip("/").rsplit("/", 1)[1]
    assert post_for_share_token(token) == draft
    assert Client().get(urlsplit(links["Post page"]).path).status_code == 200
    message = page.select_one(".messagelist")
    assert "Share links are ready" in message.get_text()
    assert urlsplit(str(message.select_one("a")["href"])).path.startswith("/preview/")
    location, status = post_form(owner, page, "Revoke all share links")
    assert status == 302
    assert Client().get(f"/preview/{token}/").status_code == 404
    assert shown_links(change_page(owner, draft)) == {}


def test_the_change_form_links_to_the_preview_at_the_posts_address(draft: Post) -> None:
    page = change_page(signed_in(staff_user("editor", EDITOR)), draft)
    tools = {a.get_text(): a["href"] for a in page.select(".object-tools a")}
    assert tools["Preview"] == draft.get_absolute_url()
    button = page.select_one("#share-links button")
    assert button.get_text() == "Create a share link"
    assert button["type"] == "submit"
    assert page.select("#share-links script, #share-links [style]") == []


def test_those_who_may_only_look_see_the_preview_but_no_share_section(draft: Post) -> None:
    share_token(draft)
    page = change_page(signed_in(staff_user("viewer", VIEWER)), draft)
    assert page.select_one(f".object-tools a[href='{draft.get_absolute_url()}']")
    assert page.select("#share-links") == []


@pytest.mark.parametrize("action", ["share/", "share/revoke/"])
def test_the_endpoints_refuse_get(draft: Post, action: str) -> None:
    client = signed_in(staff_user("editor", EDITOR))
    assert client.get(f"/admin/content/post/{draft.pk}/{action}").status_code == 405
    draft.refresh_from_db()
    assert draft.preview_key == ""


@pytest.mark.parametrize("action", ["share/", "share/revoke/"])
def test_the_endpoints_refuse_who_may_not_edit_the_post(draft: Post, action: str) -> None:
    share_token(draft)
    key = Post.objects.get(pk=draft.pk).preview_key
    for user in (
        staff_user("stranger", WRITER, author=AuthorFactory.create()),
        staff_user("viewer", VIEWER),
    ):
        client = Client()
        client.force_login(user)
        assert client.post(f"/admin/content/post/{draft.pk}/{action}").status_code == 403
    assert Post.objects.get(pk=draft.pk).preview_key == key


def test_the_endpoints_need_the_csrf_token(draft: Post) -> None:
    client = signed_in(staff_user("editor", EDITOR))
    assert client.post(f"/admin/content/post/{draft.pk}/share/").status_code == 403
    assert Post.objects.get(pk=draft.pk).preview_key == ""


def test_signed_out_requests_go_to_the_sign_in_page(client: Client, draft: Post) -> None:
    response = client.post(f"/admin/content/post/{draft.pk}/share/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert Post.objects.get(pk=draft.pk).preview_key == ""


def test_an_unknown_post_is_404() -> None:
    client = Client()
    client.force_login(staff_user("editor", EDITOR))
    assert client.post("/admin/content/post/999999/share/").status_code == 404
