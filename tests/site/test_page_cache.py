"""The page cache: what it keeps, for whom, and how soon a change reaches readers."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from datetime import timedelta

import brotli
import pytest
from django.conf import LazySettings
from django.contrib.auth.models import User
from django.db.models import F
from django.http.response import HttpResponseBase
from django.test import Client
from django.utils import timezone

from linernotes.content import services
from linernotes.content.models import Post, Status
from linernotes.site import freshness
from linernotes.site.models import ContentVersion
from tests.factories import AuthorFactory, CategoryFactory, PageFactory, PostFactory
from tests.site.helpers import card_titles, parse

pytestmark = pytest.mark.django_db

HIT = "linernotes; hit"
STORED = "linernotes; fwd=miss; stored"


class Clock:
    """The monotonic clock the content version is re-read by, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(freshness.time, "monotonic", fake)
    return fake


def publish_another(title: str) -> None:
    services.publish_post(post=PostFactory.create(title=title, status=Status.DRAFT))


def retitle(post: Post, title: str) -> None:
    post.title = title
    post.save()


def status(response: HttpResponseBase) -> str:
    return response.get("Cache-Status", "")


def test_a_second_anonymous_request_is_answered_from_the_cache(client: Client) -> None:
    PostFactory.create(title="Cached words")
    first = client.get("/")
    second = client.get("/")
    assert status(first) == STORED
    assert status(second) == HIT
    assert second.content == first.content
    assert (
        card_titles(parse(second)) == ["Cached words"] or "Cached words" in second.content.decode()
    )


def test_anonymous_pages_carry_no_cookie_and_say_they_may_be_cached(client: Client) -> None:
    post = PostFactory.create(categories=[CategoryFactory.create(slug="data")])
    for path in ["/", post.get_absolute_url(), "/category/data/", "/feed/", "/?s=post"]:
        response = client.get(path)
        assert response.cookies == {}, path
        assert "cookie" not in response.get("Vary", "").lower(), path
        assert "public" in response["Cache-Control"], path
        assert status(response) == STORED, path


def test_pages_say_a_short_max_age_for_browsers_and_cdns(
    client: Client, settings: LazySettings
) -> None:
    settings.LINERNOTES_CACHE_CONTROL_MAX_AGE = 30
    PostFactory.create()
    assert client.get("/")["Cache-Control"] == "public, max-age=30"


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda post: services.publish_post(post=PostFactory.create(title="Fresh post")),
            id="publish",
        ),
        pytest.param(lambda post: services.unpublish_post(post=post), id="unpublish"),
        pytest.param(lambda post: retitle(post, "Fresh post"), id="edit"),
        pytest.param(lambda post: post.delete(), id="delete"),
    ],
)
def test_a_change_to_a_post_is_seen_at_once(client: Client, change: Callable[..., object]) -> None:
    old = PostFactory.create(title="Old post")
    PostFactory.create(title="Another post")
    before = client.get("/").content.decode()
    assert "Old post" in before
    change(old)
    after = client.get("/")
    assert status(after) == STORED
    assert after.content.decode() != before


def test_category_author_and_page_changes_reach_every_page(client: Client) -> None:
    data = CategoryFactory.create(name="Data", slug="data")
    ada = AuthorFactory.create(name="Ada", slug="ada")
    about = PageFactory.create(title="About us", slug="about-us")
    post = PostFactory.create(categories=[data], authors=[ada])
    path = post.get_absolute_url()
    assert "About us" in client.get(path).content.decode()
    data.name = "Data engineering"
    data.save()
    assert "Data engineering" in client.get(path).content.decode()
    ada.name = "Ada Lovelace"
    ada.save()
    assert "Ada Lovelace" in client.get(path).content.decode()
    about.title = "Who we are"
    about.save()
    assert "Who we are" in client.get(path).content.decode()
    post.categories.remove(data)
    assert "Data engineering" not in parse(client.get(path)).select_one(".post__header").get_text()


def test_another_process_change_is_seen_within_the_check_interval(
    client: Client, clock: Clock
) -> None:
    post = PostFactory.create(title="Before")
    assert status(client.get("/")) == STORED
    # Another process commits a change: its version row moves, this process has not looked yet.
    Post.objects.filter(pk=post.pk).update(title="After")
    ContentVersion.objects.filter(pk=1).update(number=F("number") + 1)
    clock.now += freshness.CHECK_SECONDS / 2
    assert status(stale := client.get("/")) == HIT
    assert "Before" in stale.content.decode()
    clock.now += freshness.CHECK_SECONDS
    fresh = client.get("/")
    assert status(fresh) == STORED
    assert "After" in fresh.content.decode()


def test_a_scheduled_post_appears_when_its_time_comes(
    client: Client, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    PostFactory.create(title="Already out")
    due = timezone.now() + timedelta(minutes=5)
    PostFactory.create(title="Scheduled post", published_at=due)
    assert "Scheduled post" not in client.get("/").content.decode()
    assert "Scheduled post" not in client.get("/").content.decode()  # from the cache
    later = due + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    clock.now += freshness.CHECK_SECONDS
    assert "Scheduled post" in client.get("/").content.decode()


def test_drafts_are_never_shown_or_cached(client: Client) -> None:
    draft = PostFactory.create(status=Status.DRAFT, title="Secret draft")
    path = draft.get_absolute_url()
    assert client.get(path).status_code == 404
    assert "Secret draft" not in client.get("/").content.decode()
    services.publish_post(post=draft)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_signed_in_staff_bypass_the_cache_both_ways(
    client: Client, django_user_model: type[User]
) -> None:
    PostFactory.create()
    editor = django_user_model.objects.create_superuser("editor", "e@example.com", "pw-123456")
    client.force_login(editor)
    assert status(client.get("/")) == ""
    assert status(client.get("/")) == ""
    # Nothing the editor saw was kept for readers.
    assert status(Client().get("/")) == STORED


def test_a_reader_with_a_message_to_see_bypasses_the_cache(client: Client) -> None:
    PostFactory.create()
    client.get("/")
    client.cookies["messages"] = "something for this reader"
    assert status(client.get("/")) == ""


def test_errors_and_redirects_are_not_kept(client: Client) -> None:
    assert status(client.get("/no-such-page/")) == ""
    assert status(client.get("/no-such-page/")) == ""
    assert status(client.get("/page/1/")) == ""  # a redirect to /


def test_query_strings_are_pages_of_their_own(client: Client) -> None:
    PostFactory.create(categories=[CategoryFactory.create(slug="data")], title="In data")
    PostFactory.create(title="Elsewhere")
    client.get("/")
    filtered = client.get("/?category=data")
    assert status(filtered) == STORED
    assert card_titles(parse(filtered)) == ["In data"]


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [("gzip, deflate, br", "br"), ("gzip", "gzip"), ("br;q=0, gzip", "gzip"), ("", None)],
)
def test_public_pages_are_compressed_once_per_encoding(
    client: Client, accept: str, encoding: str | None
) -> None:
    PostFactory.create(body="A paragraph of words. " * 200)
    plain = Client().get("/").content
    first = client.get("/", headers={"accept-encoding": accept})
    second = client.get("/", headers={"accept-encoding": accept})
    assert status(second) == HIT
    assert first.get("Content-Encoding") == encoding
    assert "Accept-Encoding" in first["Vary"]
    decoded = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[encoding]
    assert decoded(second.content) == plain
    if encoding:
        assert len(second.content) < len(plain) / 3


def test_a_cached_page_answers_a_conditional_request_with_304(client: Client) -> None:
    PostFactory.create()
    etag = client.get("/")["ETag"]
    assert status(client.get("/")) == HIT
    response = client.get("/", headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_turning_the_cache_off(client: Client, settings: LazySettings) -> None:
    settings.LINERNOTES_PAGE_CACHE_SECONDS = 0
    PostFactory.create()
    assert status(client.get("/")) == ""
    assert status(client.get("/")) == ""
