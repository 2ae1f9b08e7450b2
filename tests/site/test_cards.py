"""The post card as listings show it: escaped values, bylines joined, compact related cards."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import AuthorFactory, CategoryFactory, PostFactory
from tests.site.helpers import parse

pytestmark = pytest.mark.django_db

HOSTILE = "<img src=x onerror=\"alert(1)\"> & 'quoted'"


def test_every_value_on_a_card_is_escaped(client: Client) -> None:
    category = CategoryFactory.create(name=f"Cat {HOSTILE}", slug="cat")
    author = AuthorFactory.create(name=f"Ann {HOSTILE}", slug="ann", role=f"Role {HOSTILE}")
    PostFactory.create(
        title=f"Title {HOSTILE}",
        summary=f"Summary {HOSTILE}",
        categories=[category],
        authors=[author],
        external_url="https://www.example.com/a",
    )
    PostFactory.create(categories=[category])  # the newest: featured, so the first is a card
    response = client.get("/category/cat/")
    assert HOSTILE.encode() not in response.content
    page = parse(response)
    assert page.select("img[onerror]") == []
    card = page.select("#cards .card")[1]
    assert "card--link" in card["class"]
    assert card.select_one(".card__title").get_text() == f"Title {HOSTILE}"
    assert card.select_one(".card__excerpt").get_text() == f"Summary {HOSTILE}"
    assert card.select_one(".card__external").get_text() == "· on example.com"
    byline = card.select_one(".card__byline")
    assert byline.get_text() == f"Published by Ann {HOSTILE}, Role {HOSTILE}"
    assert byline.select_one("a")["href"] == "/author/ann/"
    home = parse(client.get("/"))
    chip = home.select("#cards .card")[0].select_one(".chip")
    assert chip.get_text() == f"Cat {HOSTILE}"
    assert chip["href"] == "/category/cat/"


@pytest.mark.parametrize(
    ("names", "byline"),
    [
        (["Ann"], "Published by Ann"),
        (["Ann", "Bo"], "Published by Ann and Bo"),
        (["Ann", "Bo", "Cy"], "Published by Ann; Bo and Cy"),
        (["Ann", "Bo", "Cy", "Di"], "Published by Ann; Bo; Cy and Di"),
    ],
)
def test_bylines_are_joined_as_a_sentence(client: Client, names: list[str], byline: str) -> None:
    authors = [AuthorFactory.create(name=name, role="") for name in names]
    category = CategoryFactory.create(slug="data")
    PostFactory.create(categories=[category], authors=authors)
    card = parse(client.get("/category/data/")).select_one("#cards .card")
    assert card.select_one(".card__byline").get_text() == byline
    assert len(card.select(".card__byline a")) == len(names)


def test_related_cards_are_compact(client: Client) -> None:
    category = CategoryFactory.create(name="Data")
    author = AuthorFactory.create(name="Ann")
    older = PostFactory.create(categories=[category], authors=[author])
    post = PostFactory.create(categories=[category], authors=[author])
    page = parse(client.get(post.get_absolute_url()))
    related = page.select(".related .card")
    assert [card.select_one(".card__title").get_text() for card in related] == [older.title]
    assert related[0].select(".card__byline, .chips") == []
    assert related[0].select_one("a.card__image img")["loading"] == "lazy"
    # Cards in a listing show what their page asks for: the home page shows chips.
    home_card = parse(client.get("/")).select_one("#cards .card")
    assert [chip.get_text() for chip in home_card.select(".chip")] == ["Data"]
