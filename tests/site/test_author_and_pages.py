from __future__ import annotations

import pytest
from django.test import Client

from linernotes.content.models import Status
from tests.factories import AuthorFactory, PageFactory, PostFactory
from tests.site.helpers import card_titles, parse

pytestmark = pytest.mark.django_db


def test_author_page_lists_their_posts(
    client: Client, settings, django_assert_num_queries, uncached_pages: None
) -> None:
    settings.LINERNOTES_PAGE_SIZE = 2
    ada = AuthorFactory.create(
        name="Ada Lovelace", slug="ada", role="Staff Engineer", bio="Writes about data."
    )
    guest = AuthorFactory.create(name="Guest Writer", slug="guest")
    theirs = [
        PostFactory.create(authors=[ada]),
        PostFactory.create(authors=[guest, ada]),
        PostFactory.create(authors=[ada]),
    ]
    PostFactory.create(authors=[guest])
    PostFactory.create(authors=[ada], status=Status.DRAFT, published_at=None)

    page = parse(client.get("/author/ada/"))
    assert page.select_one("h1").get_text() == "Ada Lovelace"
    assert page.select_one(".author-card__role").get_text() == "Staff Engineer"
    assert page.select_one(".page-heading__count").get_text() == "3 articles"
    assert card_titles(page) == [theirs[2].title, theirs[1].title]
    second = parse(client.get("/author/ada/page/2/"))
    assert card_titles(second) == [theirs[0].title]
    # author, count, cards (posts, category links, bylines: these posts have no categories to
    # look up), navigation pages
    with django_assert_num_queries(6):
        client.get("/author/ada/page/2/")
    assert client.get("/author/ada/page/3/").status_code == 404
    assert client.get("/author/nobody/").status_code == 404


def test_static_page_and_navigation(client: Client) -> None:
    PageFactory.create(title="About", slug="about", body="We build **things**.", navigation_order=2)
    PageFactory.create(title="Jobs", slug="jobs", navigation_order=1)
    PageFactory.create(title="Secret", slug="secret", status=Status.DRAFT)
    PageFactory.create(title="Hidden", slug="hidden", show_in_navigation=False)

    page = parse(client.get("/about/"))
    assert page.select_one("h1").get_text() == "About"
    assert page.select_one(".prose strong").get_text() == "things"
    nav = [a.get_text() for a in page.select('nav[aria-label="Main"] a')]
    assert nav == ["Blog", "Jobs", "About"]
    assert page.select_one('nav[aria-label="Main"] [aria-current="page"]').get_text() == "About"
    assert client.get("/secret/").status_code == 404
    assert client.get("/hidden/").status_code == 200


def test_every_page_has_landmarks_and_a_skip_link(client: Client) -> None:
    post = PostFactory.create()
    author = AuthorFactory.create(slug="someone")
    PostFactory.create(authors=[author])
    for path in ["/", post.get_absolute_url(), "/author/someone/"]:
        page = parse(client.get(path))
        skip = page.select_one("a.skip-link")
        assert skip["href"] == "#main"
        assert page.select_one("main#main") is not None
        assert page.select_one("header")
        assert page.select_one("footer")
        assert len(page.select("h1")) == 1
        assert page.html["lang"] == "en"
        assert all(img.has_attr("alt") for img in page.select("img"))
