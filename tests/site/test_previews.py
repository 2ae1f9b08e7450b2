"""Previews of unpublished posts: staff at the post's address, anyone else through share links."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.http.response import HttpResponseBase
from django.test import Client
from django.utils import timezone

from linernotes.content import services
from linernotes.content.models import Author, Post, Status
from linernotes.content.previews import revoke_share_links, share_token
from tests.factories import AuthorFactory, CategoryFactory, PostFactory
from tests.site.helpers import parse
from tests.staff import EDITOR, VIEWER, WRITER, staff_user

pytestmark = pytest.mark.django_db

STORED = "linernotes; fwd=miss; stored"
HIT = "linernotes; hit"


@pytest.fixture
def author() -> Author:
    return AuthorFactory.create(name="Ada Writer")


@pytest.fixture
def draft(author: Author) -> Post:
    return PostFactory.create(
        title="Moving to Postgres",
        status=Status.DRAFT,
        published_at=None,
        body="Why we moved.\n\n## The plan\n\n```python\nprint('hello')\n```\n",
        categories=[CategoryFactory.create(name="Data", slug="data")],
        authors=[author],
    )


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def assert_private(response: HttpResponseBase) -> None:
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert "Cache-Status" not in response  # the page cache neither served nor kept it


def banner_text(page: BeautifulSoup) -> str:
    return " ".join(page.select_one(".preview-banner").get_text(" ", strip=True).split())


def robots(page: BeautifulSoup) -> str:
    return str(page.select_one('meta[name="robots"]')["content"])


def preview_path(token: str, part: str = "") -> str:
    return f"/preview/{token}/{part}"


# --- Staff, at the post's own address ---


@pytest.mark.parametrize(
    ("status", "days", "says"),
    [
        (Status.DRAFT, None, "this post is a draft; readers cannot see it yet"),
        (Status.REVIEW, None, "this post is in review; readers cannot see it yet"),
        (Status.SCHEDULED, 3, "this post is scheduled for"),
    ],
)
def test_staff_preview_an_unpublished_post_at_its_address(
    draft: Post, status: Status, days: int | None, says: str
) -> None:
    when = timezone.now() + timedelta(days=days) if days else None
    Post.objects.filter(pk=draft.pk).update(status=status, published_at=when)
    draft.refresh_from_db()
    response = signed_in(staff_user("editor", EDITOR)).get(draft.get_absolute_url())
    page = parse(response)
    assert says in banner_text(page)
    assert page.select_one("article h1").get_text() == "Moving to Postgres"
    assert robots(page).startswith("noindex")
    assert page.select_one('link[rel="canonical"]') is None
    assert_private(response)


def test_a_scheduled_preview_says_when(draft: Post) -> None:
    when = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    Post.objects.filter(pk=draft.pk).update(status=Status.SCHEDULED, published_at=when)
    draft.refresh_from_db()
    page = parse(signed_in(staff_user("editor", EDITOR)).get(draft.get_absolute_url()))
    assert page.select_one(".preview-banner time")["datetime"] == when.isoformat()


def test_readers_get_the_normal_404_for_a_draft(client: Client, draft: Post) -> None:
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404
    assert b"Moving to Postgres" not in response.content
    assert b"preview-banner" not in response.content


def test_a_writer_who_does_not_own_the_post_gets_404(draft: Post, author: Author) -> None:
    stranger = staff_user("stranger", WRITER, author=AuthorFactory.create())
    owner = staff_user("owner", WRITER, author=author)
    assert signed_in(stranger).get(draft.get_absolute_url()).status_code == 404
    assert signed_in(owner).get(draft.get_absolute_url()).status_code == 200


def test_staff_without_the_view_permission_get_404(draft: Post) -> None:
    response = signed_in(staff_user("someone", ())).get(draft.get_absolute_url())
    assert response.status_code == 404


def test_view_only_staff_preview_but_are_offered_no_share_link(draft: Post) -> None:
    share_token(draft)
    page = parse(signed_in(staff_user("viewer", VIEWER)).get(draft.get_absolute_url()))
    assert "a draft" in banner_text(page)
    assert page.select(".preview-banner__parts a") == []
    assert page.select(".preview-banner__share a") == []


def test_editors_see_the_share_links_of_a_shared_post(draft: Post) -> None:
    editor = signed_in(staff_user("editor", EDITOR))
    unshared = parse(editor.get(draft.get_absolute_url()))
    make_one = unshared.select_one(".preview-banner__share a")["href"]
    assert make_one == f"/admin/content/post/{draft.pk}/change/"
    share_token(draft)
    shared = parse(editor.get(draft.get_absolute_url()))
    parts = {a.get_text(): str(a["href"]) for a in shared.select(".preview-banner__parts a")}
    assert list(parts) == ["Post page", "Home-page card", "Newsletter email"]
    assert Client().get(parts["Post page"]).status_code == 200  # a working link


def test_a_draft_opened_under_another_month_redirects_for_a_while(draft: Post) -> None:
    editor = signed_in(staff_user("editor", EDITOR))
    response = editor.get(f"/1999/01/{draft.slug}/")
    assert response.status_code == 302  # the address changes when the post is published
    assert response["Location"] == draft.get_absolute_url()
    assert response["Cache-Control"] == "private, no-store"


def test_staff_still_get_the_public_page_of_a_published_post() -> None:
    post = PostFactory.create(title="Out already")
    response = signed_in(staff_user("editor", EDITOR)).get(post.get_absolute_url())
    assert "public" in response["Cache-Control"]
    assert parse(response).select(".preview-banner") == []


# --- Share links, for anyone ---


def test_a_share_link_shows_the_post_without_signing_in(draft: Post) -> None:
    token = share_token(draft)
    response = Client().get(preview_path(token))
    page = parse(response)
    assert page.select_one("article h1").get_text() == "Moving to Postgres"
    assert "a draft; readers cannot see it yet" in banner_text(page)
    assert page.select_one(".preview-banner__parts a[aria-current=page]").get_text() == "Post page"
    assert robots(page).startswith("noindex")
    assert_private(response)
    assert response.cookies == {}


def test_the_card_of_a_share_link(draft: Post) -> None:
    token = share_token(draft)
    response = Client().get(preview_path(token, "card/"))
    page = parse(response)
    card = page.select_one("#cards .card")
    assert card.select_one(".card__title").get_text(strip=True) == "Moving to Postgres"
    assert card.select_one(".card__title a")["href"] == draft.get_absolute_url()
    # The placeholder's own address answers only for public posts, so it comes inline.
    assert card.select_one("img")["src"].startswith("data:image/svg+xml,")
    assert [chip.get_text() for chip in card.select(".chip")] == ["Data"]
    assert robots(page).startswith("noindex")
    assert_private(response)
    assert response.cookies == {}


def test_share_link_pages_answer_get_and_head_only(draft: Post) -> None:
    token = share_token(draft)
    client = Client()
    for path in (preview_path(token), preview_path(token, "card/")):
        assert client.head(path).status_code == 200
        assert client.post(path).status_code == 405


def test_share_link_pages_are_never_cached(client: Client, draft: Post) -> None:
    token = share_token(draft)
    public = PostFactory.create(title="Public")
    # The page cache is on: a public page is stored, then served from it.
    assert client.get(public.get_absolute_url())["Cache-Status"] == STORED
    assert client.get(public.get_absolute_url())["Cache-Status"] == HIT
    for path in (preview_path(token), preview_path(token, "card/")):
        for _ in range(2):
            response = client.get(path)
            assert response.status_code == 200
            assert_private(response)


def test_an_expired_share_link_says_so(draft: Post) -> None:
    share_token(draft)
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 8 * 86400):
        token = share_token(draft)
    for path in (preview_path(token), preview_path(token, "card/")):
        response = Client().get(path)
        assert response.status_code == 410
        page = BeautifulSoup(response.content, "lxml")
        assert page.select_one("h1").get_text() == "This preview link has expired"
        assert "Ask the person who sent you this one for a new link" in page.get_text()
        assert "Moving to Postgres" not in page.get_text()
        assert robots(page).startswith("noindex")
        assert_private(response)


def test_a_revoked_share_link_is_404(draft: Post) -> None:
    token = share_token(draft)
    assert Client().get(preview_path(token)).status_code == 200
    revoke_share_links(draft)
    assert Client().get(preview_path(token)).status_code == 404
    assert Client().get(preview_path(token, "card/")).status_code == 404


def test_a_tampered_share_link_is_404(draft: Post) -> None:
    token = share_token(draft)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = Client().get(preview_path(tampered))
    assert response.status_code == 404
    assert b"Moving to Postgres" not in response.content


def test_the_preview_shows_the_article_the_published_page_shows(draft: Post) -> None:
    token = share_token(draft)
    before = parse(Client().get(preview_path(token))).select_one("article")
    services.publish_post(post=draft)
    published = parse(Client().get(draft.get_absolute_url())).select_one("article")
    after = parse(Client().get(preview_path(token))).select_one("article")
    assert str(after) == str(published)
    # Before publication only the date differed: the draft was dated as if published then.
    assert str(before.select_one(".post__body")) == str(published.select_one(".post__body"))
    assert before.select_one("h1") == published.select_one("h1")
    assert "published" in banner_text(parse(Client().get(preview_path(token))))


def test_an_undated_draft_previews_with_a_valid_html_time(draft: Post) -> None:
    page = parse(Client().get(preview_path(share_token(draft))))
    stated = str(page.select_one(".post__meta time")["datetime"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", stated), stated
