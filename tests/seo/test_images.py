"""PNG renditions for link previews, checked pixel by pixel against the SVG they come from."""

from __future__ import annotations

import io
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from PIL import Image, ImageColor

from linernotes.content.models import Status
from linernotes.seo.images import rasterise_placeholder
from linernotes.site.placeholders import placeholder_svg
from tests.factories import CategoryFactory, PostFactory

SVG = "{http://www.w3.org/2000/svg}"
EDGE_MARGIN = 3  # pixels near an edge are anti-aliased; only clear insides and outsides count


@dataclass(frozen=True)
class Shape:
    """A placeholder shape, with membership tests that stay clear of its anti-aliased edge."""

    element: ET.Element

    def number(self, name: str) -> float:
        return float(self.element.get(name, "0"))

    @property
    def opacity(self) -> float:
        return float(self.element.get("fill-opacity", "1"))

    def local(self, x: float, y: float) -> tuple[float, float]:
        """The point in the shape's own, unrotated frame."""
        found = re.fullmatch(r"rotate\((\S+) (\S+) (\S+)\)", self.element.get("transform", ""))
        if not found:
            return x, y
        angle, px, py = (float(value) for value in found.groups())
        turn = math.radians(-angle)
        dx, dy = x - px, y - py
        return (
            px + dx * math.cos(turn) - dy * math.sin(turn),
            py + dx * math.sin(turn) + dy * math.cos(turn),
        )

    def covers(self, x: float, y: float, margin: float) -> bool:
        """True when the point is at least ``margin`` inside (negative: outside) the shape."""
        if self.element.tag == f"{SVG}circle":
            distance = math.dist((x, y), (self.number("cx"), self.number("cy")))
            return distance <= self.number("r") - margin
        lx, ly = self.local(x, y)
        left, top = self.number("x"), self.number("y")
        right, bottom = left + self.number("width"), top + self.number("height")
        # Staying away from the rounded ends by the corner radius keeps the test simple.
        inset = self.number("rx") if margin > 0 else 0
        return (
            left + inset + margin <= lx <= right - inset - margin
            and top + margin <= ly <= bottom - margin
        )


def expected_pixels(svg: str, step: int = 37) -> Iterator[tuple[int, int, tuple[int, ...]]]:
    """Sample points whose colour is certain, with the colour compositing gives them."""
    root = ET.fromstring(svg)
    background, *shapes = [Shape(element) for element in root]
    base = ImageColor.getrgb(background.element.get("fill", "#000"))
    width, height = int(root.get("width", "0")), int(root.get("height", "0"))
    for x in range(5, width, step):
        for y in range(5, height, step):
            inside = [shape.covers(x, y, EDGE_MARGIN) for shape in shapes]
            outside = [not shape.covers(x, y, -EDGE_MARGIN) for shape in shapes]
            if not all(a or b for a, b in zip(inside, outside, strict=True)):
                continue
            colour = [float(channel) for channel in base[:3]]
            for shape, covered in zip(shapes, inside, strict=True):
                if covered:
                    colour = [c * (1 - shape.opacity) + 255 * shape.opacity for c in colour]
            yield x, y, tuple(round(channel) for channel in colour)


def open_png(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    assert image.format == "PNG"
    return image


@pytest.mark.parametrize(("seed", "colour"), [("moving-a-monolith", "#3b5bdb"), ("x", "#c92a2a")])
def test_rasterised_placeholder_matches_its_svg(seed: str, colour: str) -> None:
    svg = placeholder_svg(seed, colour)
    image = open_png(rasterise_placeholder(svg)).convert("RGB")
    assert image.size == (1200, 630)
    checked = 0
    for x, y, expected in expected_pixels(svg):
        actual = image.getpixel((x, y))
        assert isinstance(actual, tuple)
        assert all(abs(a - b) <= 3 for a, b in zip(actual, expected, strict=True)), (x, y)
        checked += 1
    assert checked > 300


@pytest.mark.django_db
def test_placeholder_png_endpoint(client: Client) -> None:
    data = CategoryFactory.create(colour="#0b7285")
    post = PostFactory.create(slug="with-colour", categories=[data])
    response = client.get("/placeholder/with-colour.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"]
    image = open_png(response.content)
    assert image.size == (1200, 630)
    assert response.content == rasterise_placeholder(placeholder_svg(post.slug, "#0b7285"))
    again = client.get("/placeholder/with-colour.png", headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


@pytest.mark.django_db
def test_placeholder_png_only_for_published_posts(client: Client) -> None:
    PostFactory.create(slug="draft", status=Status.DRAFT, published_at=None)
    assert client.get("/placeholder/draft.png").status_code == 404
    assert client.get("/placeholder/nothing.png").status_code == 404


@pytest.mark.django_db
def test_site_image_and_logo(client: Client) -> None:
    site_image = open_png(client.get("/social-image.png").content)
    assert site_image.size == (1200, 630)
    logo = open_png(client.get("/logo.png").content).convert("RGBA")
    assert logo.size == (512, 512)
    # Transparent outside the rounded square, the brand colour inside it, white strokes.
    assert logo.getpixel((2, 2)) == (0, 0, 0, 0)
    assert logo.getpixel((256, 40)) == (*ImageColor.getrgb("#2f4bc7"), 255)
    assert logo.getpixel((9 * 16, 16 * 16)) == (255, 255, 255, 255)
