"""A share link of a post's preview shows its newsletter email, as a subscriber would get it."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.http.response import HttpResponseBase
from django.test import Client

from linernotes.content.models import Post, Status
from linernotes.content.previews import preview_parts, revoke_share_links, share_token
from linernotes.newsletter.emails import render_post
from linernotes.newsletter.previews import NOINDEX_META
from tests.factories import AuthorFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft() -> Post:
    return PostFactory.create(
        title="Moving to Postgres",
        status=Status.DRAFT,
        published_at=None,
        body="Why we moved, in [one link](/2024/01/older/).\n\n## The plan\n\nSteps.",
        authors=[AuthorFactory.create(name="Ada Writer")],
    )


def email_path(token: str) -> str:
    return f"/newsletter/preview/{token}/"


def assert_private(response: HttpResponseBase) -> None:
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert "Cache-Status" not in response
    assert response.cookies == {}


def test_the_email_of_a_draft_in_a_fresh_client(draft: Post) -> None:
    response = Client().get(email_path(share_token(draft)))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = BeautifulSoup(response.content, "lxml")
    assert page.select_one("h1").get_text() == "Moving to Postgres"
    assert page.select_one('head meta[name="robots"]')["content"] == "noindex"
    # Links inside the post lead to the site, absolute, as in the email.
    assert page.select_one(".prose a")["href"] == "https://blog.example.com/2024/01/older/"
    assert_private(response)


def test_it_is_the_email_a_subscriber_gets_with_harmless_links(draft: Post) -> None:
    html = Client().get(email_path(share_token(draft))).content.decode()
    expected, _ = render_post(draft).personalised(preferences_url="#", unsubscribe_url="#")
    assert html.replace(f"\n{NOINDEX_META}", "", 1) == expected
    page = BeautifulSoup(html, "lxml")
    footer = {a.get_text(): a["href"] for a in page.select(".footer a")}
    assert footer == {"Choose topics or a weekly digest": "#", "Unsubscribe": "#"}


def test_the_email_page_allows_its_inline_styles_and_no_script(draft: Post) -> None:
    response = Client().get(email_path(share_token(draft)))
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["style-src"] == "'unsafe-inline'"
    assert policy["script-src"] == "'none'"
    assert policy["default-src"] == "'none'"
    assert policy["form-action"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert 'style="' in response.content.decode()  # the inlined CSS the policy is for


def test_the_site_lists_the_email_among_the_views_of_a_preview(draft: Post) -> None:
    token = share_token(draft)
    assert ("Newsletter email", email_path(token)) in preview_parts(token)
    page = BeautifulSoup(Client().get(f"/preview/{token}/").content, "lxml")
    links = {a.get_text(): a["href"] for a in page.select(".preview-banner__parts a")}
    assert links["Newsletter email"] == email_path(token)


def test_an_expired_link_says_so(draft: Post) -> None:
    share_token(draft)
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 8 * 86400):
        token = share_token(draft)
    response = Client().get(email_path(token))
    assert response.status_code == 410
    page = BeautifulSoup(response.content, "lxml")
    assert page.select_one("h1").get_text() == "This preview link has expired"
    assert "Moving to Postgres" not in page.get_text()
    assert page.select_one('meta[name="robots"]')["content"].startswith("noindex")
    # An ordinary page of the site, under the site's own policy.
    assert "style-src 'self'" in response["Content-Security-Policy"]
    assert_private(response)


def test_revoked_and_tampered_links_are_404(draft: Post) -> None:
    token = share_token(draft)
    client = Client()
    assert client.get(email_path(token)).status_code == 200
    assert client.get(email_path(token[:-3] + "xyz")).status_code == 404
    revoke_share_links(draft)
    assert client.get(email_path(token)).status_code == 404


def test_the_email_page_answers_get_and_head_only(draft: Post) -> None:
    path = email_path(share_token(draft))
    client = Client()
    assert client.head(path).status_code == 200
    assert client.post(path).status_code == 405
    assert client.get(path).status_code == 200
