"""PNG images for link previews and structured data, drawn with Pillow.

Social networks and search engines do not accept SVG, so the placeholder pattern of a post
(an SVG from ``linernotes.site.placeholders``) is rasterised here, as are the site's default
preview image and its logo. Results are kept in the cache, keyed by what they were drawn from.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from PIL import Image, ImageColor, ImageDraw

from linernotes.site.placeholders import DEFAULT_COLOUR, HEIGHT, WIDTH, placeholder_svg

SOCIAL_WIDTH, SOCIAL_HEIGHT = WIDTH, HEIGHT
LOGO_SIZE = 512
# The web manifest's icons, apple-touch-icon.png's size, and /favicon.ico's sizes.
ICON_SIZES = (192, 512)
APPLE_TOUCH_SIZE = 180
ICO_SIZES = (16, 32, 48)
# The theme's brand colour, as in site/static/linernotes/favicon.svg.
LOGO_COLOUR = "#2f4bc7"
# The strokes of favicon.svg on its 32-unit grid: an L, and three lines of text beside it.
LOGO_STROKES = [
    [(9, 8), (9, 24), (23, 24)],
    [(15, 8), (23, 8)],
    [(15, 14), (23, 14)],
    [(15, 19), (20, 19)],
]
# Shapes are drawn this many times larger and scaled down, which smooths their edges.
SUPERSAMPLE = 2

_SVG = "{http://www.w3.org/2000/svg}"
_ROTATION = re.compile(r"rotate\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s*\)")

Colour = tuple[int, int, int, int]


def placeholder_png(seed: str, colour: str) -> bytes:
    """The placeholder pattern of ``seed`` in ``colour``, as a PNG of the SVG's size."""
    svg = placeholder_svg(seed, colour)
    return _cached_png(svg, lambda: rasterise_placeholder(svg))


def site_image_png() -> bytes:
    """The site's own preview image: the placeholder pattern seeded with the site's name."""
    return placeholder_png(settings.LINERNOTES_SITE_NAME, DEFAULT_COLOUR)


def logo_png(size: int = LOGO_SIZE) -> bytes:
    """The site's mark (favicon.svg's drawing) as a square PNG of ``size`` pixels."""
    return _cached_png(f"logo:{LOGO_COLOUR}:{size}", lambda: _png(_logo(size), mode="RGBA"))


def favicon_ico() -> bytes:
    """The mark as /favicon.ico, at the sizes browsers and feed readers pick from."""

    def draw() -> bytes:
        buffer = io.BytesIO()
        _logo(ICO_SIZES[-1]).save(buffer, format="ICO", sizes=[(n, n) for n in ICO_SIZES])
        return buffer.getvalue()

    return _cached_png(f"favicon:{LOGO_COLOUR}:{ICO_SIZES}", draw)


def png_etag(png: bytes) -> str:
    return f'"{hashlib.sha256(png).hexdigest()[:32]}"'


def rasterise_placeholder(svg: str) -> bytes:
    """Draw the rectangles and circles of a placeholder SVG (the only shapes it uses)."""
    root = ET.fromstring(svg)
    size = (int(root.get("width", WIDTH)), int(root.get("height", HEIGHT)))
    canvas = Image.new("RGBA", (size[0] * SUPERSAMPLE, size[1] * SUPERSAMPLE))
    for element in root:
        fill = _fill(element)
        if element.tag == f"{_SVG}circle":
            _draw_circle(canvas, element, fill)
        elif element.tag == f"{_SVG}rect":
            _draw_rect(canvas, element, fill)
    return _png(canvas.resize(size, Image.Resampling.LANCZOS))


def _cached_png(source: str, draw: Callable[[], bytes]) -> bytes:
    key = "linernotes:seo:png:" + hashlib.sha256(source.encode()).hexdigest()
    png = cache.get(key)
    if png is None:
        png = draw()
        cache.set(key, png, timeout=None)
    return bytes(png)


def _png(image: Image.Image, *, mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    image.convert(mode).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _number(element: ET.Element, name: str) -> float:
    return float(element.get(name, "0")) * SUPERSAMPLE


def _fill(element: ET.Element) -> Colour:
    red, green, blue = ImageColor.getrgb(element.get("fill", "#000"))[:3]
    opacity = float(element.get("fill-opacity", "1"))
    return red, green, blue, round(255 * opacity)


def _draw_circle(canvas: Image.Image, element: ET.Element, fill: Colour) -> None:
    cx, cy, r = _number(element, "cx"), _number(element, "cy"), _number(element, "r")
    layer = Image.new("RGBA", (math.ceil(2 * r) + 2, math.ceil(2 * r) + 2))
    ImageDraw.Draw(layer).ellipse((1, 1, 1 + 2 * r, 1 + 2 * r), fill=fill)
    canvas.alpha_composite(layer, (round(cx - r - 1), round(cy - r - 1)))


def _draw_rect(canvas: Image.Image, element: ET.Element, fill: Colour) -> None:
    x, y = _number(element, "x"), _number(element, "y")
    width, height = _number(element, "width"), _number(element, "height")
    radius = _number(element, "rx")
    layer = Image.new("RGBA", (math.ceil(width) + 2, math.ceil(height) + 2))
    ImageDraw.Draw(layer).rounded_rectangle((1, 1, 1 + width, 1 + height), radius, fill=fill)
    centre_x, centre_y = x + width / 2, y + height / 2
    rotation = _ROTATION.fullmatch(element.get("transform", "").strip())
    if rotation:
        degrees = float(rotation.group(1))
        pivot_x, pivot_y = (float(value) * SUPERSAMPLE for value in rotation.groups()[1:])
        centre_x, centre_y = _rotate_point(centre_x, centre_y, pivot_x, pivot_y, degrees)
        # SVG turns clockwise for positive angles (its y axis points down); Pillow the other way.
        layer = layer.rotate(-degrees, resample=Image.Resampling.BICUBIC, expand=True)
    left, top = centre_x - layer.width / 2, centre_y - layer.height / 2
    # Shapes may reach past the edges; Pillow clips what falls outside the canvas.
    canvas.alpha_composite(layer, (round(left), round(top)))


def _rotate_point(x: float, y: float, px: float, py: float, degrees: float) -> tuple[float, float]:
    angle = math.radians(degrees)
    dx, dy = x - px, y - py
    return (
        px + dx * math.cos(angle) - dy * math.sin(angle),
        py + dx * math.sin(angle) + dy * math.cos(angle),
    )


def _logo(size: int) -> Image.Image:
    scale = size * SUPERSAMPLE / 32
    image = Image.new("RGBA", (size * SUPERSAMPLE,) * 2)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, 32 * scale, 32 * scale), 8 * scale, fill=LOGO_COLOUR)
    for stroke in LOGO_STROKES:
        points = [(x * scale, y * scale) for x, y in stroke]
        draw.line(points, fill="#fff", width=round(3 * scale), joint="curve")
        for px, py in (points[0], points[-1]):
            cap = 1.5 * scale
            draw.ellipse((px - cap, py - cap, px + cap, py + cap), fill="#fff")
    # Transparent corners, so the rounded square sits on any background.
    return image.resize((size, size), Image.Resampling.LANCZOS)
