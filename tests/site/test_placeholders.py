"""Placeholder hero images: one picture per post, the same every time, varied across a page."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from django.test import Client

from linernotes.site.placeholders import DEFAULT_COLOUR, HEIGHT, WIDTH, placeholder_svg
from tests.factories import CategoryFactory, PostFactory

SVG = "{http://www.w3.org/2000/svg}"
# A page of cards from one category, as the home page filtered by it shows them.
SLUGS = [f"post-number-{number}" for number in range(24)]


def shapes(svg: str) -> tuple[ET.Element, list[ET.Element]]:
    root = ET.fromstring(svg)
    background, *rest = list(root)
    return background, rest


def composition(svg: str) -> tuple[int, int]:
    """How many circles and how many rectangles a picture is made of."""
    kinds = Counter(element.tag for element in shapes(svg)[1])
    return kinds[f"{SVG}circle"], kinds[f"{SVG}rect"]


def test_a_picture_is_the_same_every_time_and_has_its_size() -> None:
    svg = placeholder_svg("moving-a-monolith", "#0b7285")
    assert svg == placeholder_svg("moving-a-monolith", "#0b7285")
    root = ET.fromstring(svg)
    assert (root.get("width"), root.get("height")) == (str(WIDTH), str(HEIGHT))
    assert root.get("viewBox") == f"0 0 {WIDTH} {HEIGHT}"
    background, rest = shapes(svg)
    assert background.tag == f"{SVG}rect"
    assert (background.get("width"), background.get("height")) == (str(WIDTH), str(HEIGHT))
    # White shapes over the background: what seo.images rasterises for social cards.
    assert rest
    assert {element.tag for element in rest} <= {f"{SVG}rect", f"{SVG}circle"}
    assert {element.get("fill") for element in rest} == {"#fff"}


def test_posts_of_one_category_get_varied_pictures_in_shades_of_its_colour() -> None:
    pictures = [placeholder_svg(slug, "#0b7285") for slug in SLUGS]
    assert len(set(pictures)) == len(SLUGS)
    # Different motifs, not the same one moved about: they are made of different shapes.
    compositions = Counter(composition(svg) for svg in pictures)
    assert len(compositions) >= 8
    assert max(compositions.values()) <= len(SLUGS) // 3
    backgrounds = Counter(shapes(svg)[0].get("fill") for svg in pictures)
    assert len(backgrounds) == 3
    assert "#0b7285" in backgrounds
    for fill in backgrounds:
        red, green, blue = (int(fill[index : index + 2], 16) for index in (1, 3, 5))
        # A shade: the colour taken towards black, each channel by the same share.
        assert (red, green, blue) != (0, 0, 0)
        assert green / 0x72 == pytest.approx(blue / 0x85, abs=0.02)


def test_a_colour_that_is_not_hex_falls_back_to_the_default() -> None:
    background, _ = shapes(placeholder_svg("x", "red; fill: url(#a)"))
    default, _ = shapes(placeholder_svg("x", DEFAULT_COLOUR))
    assert background.get("fill") == default.get("fill")


@pytest.mark.django_db
def test_the_placeholder_address_answers_the_picture_of_the_post(client: Client) -> None:
    data = CategoryFactory.create(colour="#0b7285")
    post = PostFactory.create(slug="with-colour", categories=[data])
    response = client.get(f"/placeholder/{post.slug}.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.decode() == placeholder_svg(post.slug, "#0b7285")
