"""The ids a post may never take cover every id the theme uses, so the two cannot drift apart.

Every public page type is rendered; each id outside a post or page body must be one the
content app reserves. A body whose headings and raw HTML try to take those ids must leave
every id on the page unique.
"""

from __future__ import annotations

from collections import Counter

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from linernotes.content.models import Post
from linernotes.content.sanitise import RESERVED_IDS, is_reserved_id
from linernotes.newsletter.models import Subscriber
from linernotes.newsletter.tokens import Purpose, make_token
from linernotes.search.indexer import rebuild_index
from tests.factories import AuthorFactory, CategoryFactory, PageFactory, PostFactory

pytestmark = pytest.mark.django_db

BODY_SELECTOR = ".prose"


@pytest.fixture
def site() -> dict[str, str]:
    """A small site with every kind of page, and the address of each page type."""
    data = CategoryFactory.create(name="Data", slug="data")
    ada = AuthorFactory.create(name="Ada Okafor", slug="ada-okafor")
    posts = [
        PostFactory.create(
            title=f"Kafka notes {n}",
            body="## Brokers\n\nText.[^1]\n\n[^1]: A note.",
            categories=[data],
            authors=[ada],
            featured=n == 0,
        )
        for n in range(30)
    ]
    page = PageFactory.create(title="About", slug="about", body="## Who we are\n\nPeople.")
    rebuild_index()
    subscriber = Subscriber.objects.create(email="reader@example.com")
    return {
        "home": "/",
        "home, page 2": "/page/2/",
        "category": data.get_absolute_url(),
        "author": ada.get_absolute_url(),
        "post": posts[-1].get_absolute_url(),
        "page": page.get_absolute_url(),
        "search results": reverse("search:search") + "?q=kafka",
        "search without results": reverse("search:search") + "?q=zeppelin",
        "search form": reverse("search:search"),
        "not found": "/no-such-page/",
        "newsletter": reverse("newsletter:signup"),
        "newsletter inbox": reverse("newsletter:check-inbox"),
        "newsletter preferences": reverse(
            "newsletter:preferences", args=[make_token(subscriber, Purpose.PREFERENCES)]
        ),
        "newsletter unsubscribe": reverse(
            "newsletter:unsubscribe", args=[make_token(subscriber, Purpose.UNSUBSCRIBE)]
        ),
        "newsletter invalid link": reverse("newsletter:confirm", args=["not-a-token"]),
    }


def page_ids(client: Client, path: str) -> tuple[list[str], list[str]]:
    """Ids the theme gave elements of the page at ``path``, and ids inside bodies."""
    response = client.get(path)
    assert response.status_code in {200, 404, 410}, (path, response.status_code)
    soup = BeautifulSoup(response.content, "lxml")
    in_bodies = {id(tag) for body in soup.select(BODY_SELECTOR) for tag in body.find_all(True)}
    theme: list[str] = []
    bodies: list[str] = []
    for tag in soup.find_all(id=True):
        (bodies if id(tag) in in_bodies else theme).append(str(tag["id"]))
    return theme, bodies


def test_every_id_the_theme_uses_is_reserved(client: Client, site: dict[str, str]) -> None:
    seen: set[str] = set()
    for kind, path in site.items():
        theme, _ = page_ids(client, path)
        unreserved = [value for value in theme if not is_reserved_id(value)]
        assert not unreserved, f"the {kind} page uses ids posts may take: {unreserved}"
        seen.update(theme)
    # The fixture reaches the pages that use the ids, or the check above proves nothing.
    assert {"main", "post-title", "cards", "related-heading", "page-title"} <= seen
    assert any(value.startswith("card-") for value in seen)
    assert any(value.startswith("newsletter-footer-") for value in seen)


def test_a_body_cannot_take_the_pages_own_ids(client: Client, site: dict[str, str]) -> None:
    post = Post.objects.get(title="Kafka notes 29")
    related = Post.objects.exclude(pk=post.pk).values_list("pk", flat=True)
    claimed = [*sorted(RESERVED_IDS), *(f"card-{pk}" for pk in related)]
    post.body = "\n\n".join(
        [
            *(f"## {value}" for value in claimed),
            *(f"##### Chosen {{#{value}}}" for value in claimed),
            *(f'<h3 id="{value}">x</h3>' for value in claimed),
        ]
    )
    post.save()
    for path in (site["post"], site["page"]):
        theme, bodies = page_ids(client, path)
        counts = Counter([*theme, *bodies])
        assert [value for value, count in counts.items() if count > 1] == []
    _, bodies = page_ids(client, site["post"])
    # Every heading written in Markdown still has an id (generated or chosen), just not the page's.
    assert len(bodies) == 2 * len(claimed)
