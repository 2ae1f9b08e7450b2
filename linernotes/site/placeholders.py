"""Placeholder hero images: a motif drawn in the colour of the post's primary category.

Everything in a picture is read from a hash of its seed (the post's slug): which of a few
motifs it shows (a record's grooves, an equaliser, a waveform, a halftone screen, a grid of
squares), the motif's proportions, which way it faces and how deep a shade of the colour it
sits on. The same post always gets the same picture, and a page of posts from one category
does not repeat one picture. Pictures are white rectangles and circles, more or less opaque,
over one background rectangle: what ``linernotes.seo.images`` rasterises for social cards.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Iterator

WIDTH, HEIGHT = 1200, 630
DEFAULT_COLOUR = "#3b5bdb"
# How far towards black the background may be taken, so a category's pictures differ in depth.
SHADES = (0.0, 0.12, 0.24)
# Colours are checked as #RRGGBB on input; rows written another way fall back to the default.
_COLOUR_RE = re.compile(r"#[0-9a-fA-F]{6}")


class _Seed:
    """Numbers from a hash of the seed, taken in turn."""

    def __init__(self, seed: str) -> None:
        self._bytes = hashlib.shake_256(seed.encode()).digest(256)
        self._next = 0

    def unit(self) -> float:
        """A number in [0, 1]."""
        value = self._bytes[self._next % len(self._bytes)] / 255
        self._next += 1
        return value

    def between(self, low: float, high: float) -> float:
        return low + (high - low) * self.unit()

    def choice(self, count: int) -> int:
        return min(int(self.unit() * count), count - 1)


class _Canvas:
    """The shapes of one picture, mirrored left to right when ``mirrored``."""

    def __init__(self, mirrored: bool) -> None:
        self.mirrored = mirrored
        self.shapes: list[str] = []

    def _x(self, x: float, width: float = 0) -> float:
        return WIDTH - x - width if self.mirrored else x

    def circle(self, x: float, y: float, r: float, opacity: float) -> None:
        self.shapes.append(
            f'<circle cx="{self._x(x):.0f}" cy="{y:.0f}" r="{r:.0f}" '
            f'fill="#fff" fill-opacity="{opacity:.2f}"/>'
        )

    def bar(
        self,
        x: float,
        y: float,
        width: float,
        height: float,
        opacity: float,
        radius: float | None = None,
    ) -> None:
        """A rectangle with rounded ends, or with corners of ``radius``."""
        radius = min(width, height) / 2 if radius is None else radius
        self.shapes.append(
            f'<rect x="{self._x(x, width):.0f}" y="{y:.0f}" width="{width:.0f}" '
            f'height="{height:.0f}" rx="{radius:.0f}" fill="#fff" fill-opacity="{opacity:.2f}"/>'
        )


def _record(seed: _Seed, canvas: _Canvas) -> None:
    """A record seen from above, half off the edge: grooves, then its label."""
    cx, cy = WIDTH * seed.between(0.66, 0.86), HEIGHT * seed.between(0.35, 0.65)
    outer = seed.between(330, 430)
    canvas.circle(cx, cy, outer, 0.12)
    radius = outer - 34
    while radius > outer * 0.42:
        canvas.circle(cx, cy, radius, 0.06)
        radius -= seed.between(22, 44)
    canvas.circle(cx, cy, outer * 0.3, 0.34)
    canvas.circle(cx, cy, 9, 0.5)


def _equaliser(seed: _Seed, canvas: _Canvas) -> None:
    """Bars of a level meter on a baseline, each with its peak above it."""
    count = 12 + seed.choice(8)
    pitch = (WIDTH - 120) / count
    width, base = pitch * 0.58, HEIGHT - 72
    level = seed.between(0.3, 0.7)
    for index in range(count):
        # Each bar leans towards its neighbour, as sound levels do.
        level = 0.55 * level + 0.45 * seed.unit()
        height = 60 + level * 380
        x = 60 + index * pitch + (pitch - width) / 2
        canvas.bar(x, base - height, width, height, 0.24)
        canvas.bar(x, base - height - 34, width, 14, 0.55)


def _waveform(seed: _Seed, canvas: _Canvas) -> None:
    """A stretch of audio waveform about the middle line."""
    count, middle = 46, HEIGHT * seed.between(0.42, 0.58)
    pitch = WIDTH / count
    slow, fast = seed.between(0.1, 0.25), seed.between(0.5, 0.9)
    phase = seed.between(0, math.tau)
    for index in range(count):
        envelope = 0.35 + 0.65 * abs(math.sin(index * slow + phase))
        height = max(14.0, envelope * (0.45 + 0.55 * abs(math.sin(index * fast))) * 470)
        canvas.bar(index * pitch + pitch * 0.28, middle - height / 2, pitch * 0.44, height, 0.3)


def _halftone(seed: _Seed, canvas: _Canvas) -> None:
    """A halftone screen of dots, growing towards one corner."""
    step = 60
    angle = seed.between(0, math.tau)
    dx, dy = math.cos(angle), math.sin(angle)
    reach = abs(dx) * WIDTH + abs(dy) * HEIGHT
    start = min(0, dx * WIDTH) + min(0, dy * HEIGHT)
    for row in range(HEIGHT // step + 1):
        for column in range(WIDTH // step + 1):
            x, y = column * step + step / 2, row * step + step / 2
            share = min(1.0, max(0.0, (x * dx + y * dy - start) / reach))
            radius = 3 + share**1.6 * 23
            if radius >= 4:
                canvas.circle(x, y, radius, 0.3)


def _activity(seed: _Seed, canvas: _Canvas) -> None:
    """A grid of squares in a few strengths, like a chart of a year's commits."""
    columns, rows, cell, gap = 14, 7, 66, 12
    left = (WIDTH - columns * (cell + gap) + gap) / 2
    top = (HEIGHT - rows * (cell + gap) + gap) / 2
    levels = (0.06, 0.14, 0.24, 0.38, 0.55)
    for column in range(columns):
        busy = seed.unit()
        for row in range(rows):
            level = (0.5 * busy + 0.5 * seed.unit()) ** 1.3
            opacity = levels[min(int(level * len(levels)), len(levels) - 1)]
            x, y = left + column * (cell + gap), top + row * (cell + gap)
            canvas.bar(x, y, cell, cell, opacity, radius=10)


_MOTIFS: tuple[Callable[[_Seed, _Canvas], None], ...] = (
    _record,
    _equaliser,
    _waveform,
    _halftone,
    _activity,
)


def _shaded(colour: str, towards_black: float) -> str:
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c * (1 - towards_black)):02x}" for c in channels)


def _shapes(seed: _Seed) -> Iterator[str]:
    motif = _MOTIFS[seed.choice(len(_MOTIFS))]
    canvas = _Canvas(mirrored=seed.unit() >= 0.5)
    motif(seed, canvas)
    yield from canvas.shapes


def placeholder_svg(seed: str, colour: str = DEFAULT_COLOUR) -> str:
    """The SVG picture of ``seed`` (a post's slug) in a shade of ``colour`` (``#rrggbb``)."""
    numbers = _Seed(seed)
    base = colour if _COLOUR_RE.fullmatch(colour) else DEFAULT_COLOUR
    background = _shaded(base, SHADES[numbers.choice(len(SHADES))])
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-hidden="true">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{background}"/>'
        f"{''.join(_shapes(numbers))}</svg>"
    )
