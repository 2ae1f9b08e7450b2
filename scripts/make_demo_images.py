"""Draw the demo's category illustrations: one flat 1200x630 PNG per category.

    .venv/bin/python scripts/make_demo_images.py [--output linernotes/demo/media]

Writes ``hero-<category-slug>.png`` for each of the demo's sixteen categories (the slugs of
``linernotes/demo/fixtures/seed_posts.json``) into the output folder, the demo's media folder
unless ``--output`` names another. Each picture shows its category's subject: a bar chart for
Data, a scatter plot with a fitted line for Data Science, a terminal for Developer Tools, and
so on (one function below per category, each saying what it draws).

How the pictures are made:

- Shapes are drawn at twice the final size and scaled down with Lanczos resampling, which
  gives smooth edges without relying on the drawing library's own anti-aliasing.
- Every picture uses the same small palette: the theme's brand blue (#2f4bc7, ``--accent``
  in linernotes/site/static/linernotes/site.css) with the ink, warm neutrals, teal, coral
  and sand of the demo's two earlier hero images. Shapes that carry the subject are dark on
  light or light on dark; the pale colours only fill backgrounds and quiet details.
- No text is drawn (no fonts are needed, and alt text says what a picture shows).
- Each pixel of the scaled picture is then mapped, without dithering, to the nearest of the
  palette's colours or of the blends a quarter, half and three quarters of the way between
  two of them (what edges are made of), and the picture is saved as an optimised 8-bit PNG
  with no metadata: flat areas keep their exact colour and each file stays under 30 KB.

The output is deterministic: the same Pillow and zlib give the same bytes on every run (the
scattered points come from a seeded generator), so the committed files can be checked by
drawing them again (tests/demo/test_demo_images.py does). After changing a drawing, run the
script and commit the files it writes. The posts that show the pictures, and the alt text
that describes each one, are set in the demo's fixtures and posts (see
linernotes/demo/fixtures/README.md).
"""

from __future__ import annotations

import argparse
import io
import itertools
import math
import random
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image, ImageChops, ImageColor, ImageDraw

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO / "linernotes" / "demo" / "media"

WIDTH, HEIGHT = 1200, 630
SCALE = 2  # drawn at twice the size, then scaled down

# The palette.
CREAM = "#f6f3ec"  # background
PAPER = "#fcfaf6"  # cards, screens, windows
MIST = "#c8d8d6"  # floor, shadows, quiet lines
SKY = "#cbd2f1"  # a pale tint of the brand blue
INK = "#2c3a47"
SLATE = "#5c7296"
BLUE = "#2f4bc7"  # the theme's accent
TEAL = "#4a8c8a"
CORAL = "#d6846e"
SAND = "#dec8a0"
PALETTE = (CREAM, PAPER, MIST, SKY, INK, SLATE, BLUE, TEAL, CORAL, SAND)
BLENDS = (0.25, 0.5, 0.75)  # of each pair of palette colours, for the edges between them

Point = tuple[float, float]
Clip = Callable[[ImageDraw.ImageDraw], None]  # draws a shape in white on a mask


def palette_image() -> Image.Image:
    """A palette image of the palette's colours followed by the blends of each pair."""
    colours = [ImageColor.getrgb(colour)[:3] for colour in PALETTE]
    entries = [channel for colour in colours for channel in colour]
    for a, b in itertools.combinations(colours, 2):
        for t in BLENDS:
            entries.extend(round(a[i] + (b[i] - a[i]) * t) for i in range(3))
    palette = Image.new("P", (1, 1))
    palette.putpalette(entries)
    return palette


def bezier(points: Sequence[Point], steps: int = 32) -> list[Point]:
    """Points along the Bézier curve with these control points (any degree)."""
    curve = []
    for step in range(steps + 1):
        t = step / steps
        work = list(points)
        while len(work) > 1:
            work = [
                (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
                for a, b in itertools.pairwise(work)
            ]
        curve.append(work[0])
    return curve


class Canvas:
    """A picture drawn in final-size coordinates onto an image ``SCALE`` times larger."""

    def __init__(self, background: str = CREAM) -> None:
        self.image = Image.new("RGB", (WIDTH * SCALE, HEIGHT * SCALE), background)
        self.draw = ImageDraw.Draw(self.image)

    @staticmethod
    def _xy(points: Sequence[Point]) -> list[tuple[float, float]]:
        return [(x * SCALE, y * SCALE) for x, y in points]

    @staticmethod
    def _box(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        return (x0 * SCALE, y0 * SCALE, x1 * SCALE, y1 * SCALE)

    def rect(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        fill: str | None,
        radius: float = 0,
        outline: str | None = None,
        width: float = 0,
    ) -> None:
        self.draw.rounded_rectangle(
            self._box(x0, y0, x1, y1),
            radius=radius * SCALE,
            fill=fill,
            outline=outline,
            width=round(width * SCALE),
        )

    def card(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        fill: str = PAPER,
        radius: float = 14,
        shadow: str = MIST,
        offset: float = 12,
    ) -> None:
        """A rectangle with a flat shadow down and to the right."""
        self.rect(x0 + offset, y0 + offset, x1 + offset, y1 + offset, shadow, radius)
        self.rect(x0, y0, x1, y1, fill, radius)

    def circle(
        self,
        x: float,
        y: float,
        r: float,
        fill: str | None,
        outline: str | None = None,
        width: float = 0,
    ) -> None:
        self.draw.ellipse(
            self._box(x - r, y - r, x + r, y + r),
            fill=fill,
            outline=outline,
            width=round(width * SCALE),
        )

    def polygon(
        self,
        points: Sequence[Point],
        fill: str | None,
        outline: str | None = None,
        width: float = 0,
    ) -> None:
        self.draw.polygon(self._xy(points), fill=fill, outline=outline, width=round(width * SCALE))

    def line(
        self, points: Sequence[Point], fill: str, width: float, round_ends: bool = True
    ) -> None:
        """A line through ``points``, with rounded joints and (unless told) rounded ends."""
        self.draw.line(self._xy(points), fill=fill, width=round(width * SCALE), joint="curve")
        if round_ends:
            for x, y in (points[0], points[-1]):
                self.circle(x, y, width / 2, fill)

    def dashed(
        self, start: Point, end: Point, fill: str, width: float, dash: float, gap: float
    ) -> None:
        length = math.dist(start, end)
        ux, uy = (end[0] - start[0]) / length, (end[1] - start[1]) / length
        at = 0.0
        while at < length:
            stop = min(at + dash, length)
            self.line(
                [
                    (start[0] + ux * at, start[1] + uy * at),
                    (start[0] + ux * stop, start[1] + uy * stop),
                ],
                fill,
                width,
                round_ends=False,
            )
            at = stop + gap

    def arc(
        self, x: float, y: float, r: float, start: float, end: float, fill: str, width: float
    ) -> None:
        """An arc of the circle through its middle, from ``start`` to ``end`` degrees (clockwise
        from three o'clock), with rounded ends."""
        outer = r + width / 2
        self.draw.arc(
            self._box(x - outer, y - outer, x + outer, y + outer),
            start,
            end,
            fill=fill,
            width=round(width * SCALE),
        )
        for angle in (start, end):
            a = math.radians(angle)
            self.circle(x + r * math.cos(a), y + r * math.sin(a), width / 2, fill)

    def clipped(self, clip: Clip, fill: str) -> _Clip:
        """A canvas whose drawing in ``fill`` lands only inside the shape ``clip`` draws
        (in white, on a mask of this canvas's size); call ``paint()`` on it to apply it."""
        return _Clip(self, clip, fill)

    def floor(self) -> None:
        """The ground line the demo's pictures share."""
        self.rect(0, 540, WIDTH, 548, SAND)
        self.rect(0, 548, WIDTH, HEIGHT, MIST)

    def sparkle(self, x: float, y: float, size: float, fill: str) -> None:
        self.line([(x - size, y), (x + size, y)], fill, size / 2.5)
        self.line([(x, y - size), (x, y + size)], fill, size / 2.5)

    def finished(self) -> Image.Image:
        image = self.image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
        return image.quantize(palette=palette_image(), dither=Image.Dither.NONE)


class _Clip(Canvas):
    """Drawing on a mask; ``paint()`` fills the parent where the mask and the clip overlap."""

    def __init__(self, parent: Canvas, clip: Clip, fill: str) -> None:
        self.parent = parent
        self.fill = fill
        self.image = Image.new("L", parent.image.size, 0)
        self.draw = ImageDraw.Draw(self.image)
        self.clip = Image.new("L", parent.image.size, 0)
        clip(ImageDraw.Draw(self.clip))

    def paint(self) -> None:
        self.parent.image.paste(self.fill, mask=ImageChops.darker(self.image, self.clip))


def _rounded_box(x0: float, y0: float, x1: float, y1: float, radius: float) -> Clip:
    def clip(draw: ImageDraw.ImageDraw) -> None:
        draw.rounded_rectangle(
            (x0 * SCALE, y0 * SCALE, x1 * SCALE, y1 * SCALE), radius=radius * SCALE, fill=255
        )

    return clip


def _disc(x: float, y: float, r: float) -> Clip:
    def clip(draw: ImageDraw.ImageDraw) -> None:
        draw.ellipse(((x - r) * SCALE, (y - r) * SCALE, (x + r) * SCALE, (y + r) * SCALE), fill=255)

    return clip


def _shape(points: Sequence[Point]) -> Clip:
    def clip(draw: ImageDraw.ImageDraw) -> None:
        draw.polygon([(x * SCALE, y * SCALE) for x, y in points], fill=255)

    return clip


def _chevron(c: Canvas, x: float, y: float, size: float, fill: str, width: float) -> None:
    c.line([(x, y - size), (x + size, y), (x, y + size)], fill, width)


def _glyph(c: Canvas, kind: int, x: float, y: float, size: float, fill: str) -> None:
    """A small icon centred on (x, y): a ring, a triangle, a plus, bars or a square."""
    if kind == 0:
        c.circle(x, y, size, None, outline=fill, width=size / 2.6)
    elif kind == 1:
        c.polygon([(x, y - size), (x + size, y + size * 0.8), (x - size, y + size * 0.8)], fill)
    elif kind == 2:
        c.sparkle(x, y, size, fill)
    elif kind == 3:
        for i, h in enumerate((0.6, 1.2, 0.9)):
            bx = x - size + i * size * 0.8
            c.rect(bx, y + size - h * size * 1.6, bx + size * 0.5, y + size, fill, radius=2)
    else:
        c.rect(x - size * 0.8, y - size * 0.8, x + size * 0.8, y + size * 0.8, fill, radius=4)


# -- One picture per category ------------------------------------------------------------------


def backstage(c: Canvas) -> None:
    """A developer portal: a sidebar, a search bar and plugin tiles, one sliding into its slot."""
    c.floor()
    c.card(170, 70, 1030, 520, radius=18)
    c.rect(170, 70, 310, 520, INK, radius=18)
    c.rect(290, 70, 310, 520, INK)
    c.circle(205, 108, 14, BLUE)
    for i, y in enumerate((160, 200, 240, 280, 320)):
        c.rect(195, y, 285 if i % 2 else 265, y + 12, BLUE if i == 1 else SLATE, radius=6)
    c.rect(340, 95, 720, 131, CREAM, radius=18)
    c.circle(362, 113, 8, None, outline=SLATE, width=3)
    c.rect(740, 95, 790, 131, SKY, radius=18)
    tiles = [
        (340, 160, TEAL, 0),
        (565, 160, CORAL, 1),
        (790, 160, SAND, 2),
        (340, 345, BLUE, 3),
        (565, 345, SLATE, 4),
    ]
    for x, y, colour, glyph in tiles:
        c.rect(x, y, x + 200, y + 160, PAPER, radius=12, outline=MIST, width=3)
        c.rect(x + 20, y + 20, x + 76, y + 76, colour, radius=10)
        _glyph(c, glyph, x + 48, y + 48, 13, PAPER)
        c.rect(x + 20, y + 100, x + 170, y + 112, INK, radius=6)
        c.rect(x + 20, y + 126, x + 130, y + 136, MIST, radius=5)
    # The empty slot, drawn in dashes, and the new plugin on its way in.
    x0, y0, x1, y1 = 790, 345, 990, 505
    for start, end in (((x0, y0), (x1, y0)), ((x1, y0), (x1, y1)), ((x1, y1), (x0, y1))):
        c.dashed(start, end, BLUE, 3, 14, 10)
    c.dashed((x0, y1), (x0, y0), BLUE, 3, 14, 10)
    x, y = 850, 372
    c.card(x, y, x + 200, y + 160, fill=PAPER, radius=12, shadow=SLATE, offset=10)
    c.rect(x, y, x + 200, y + 160, None, radius=12, outline=BLUE, width=4)
    c.rect(x + 20, y + 20, x + 76, y + 76, BLUE, radius=10)
    _glyph(c, 2, x + 48, y + 48, 13, PAPER)
    c.rect(x + 20, y + 100, x + 170, y + 112, INK, radius=6)
    c.rect(x + 20, y + 126, x + 130, y + 136, MIST, radius=5)


def data(c: Canvas) -> None:
    """A bar chart on a card: five blue bars rising left to right under a coral trend line."""
    c.floor()
    c.card(230, 80, 970, 510, radius=18)
    base, left = 450, 320
    for y in (170, 240, 310, 380):
        c.dashed((left, y), (900, y), MIST, 3, 12, 10)
    heights = (90, 150, 185, 245, 300)
    tops = []
    for i, height in enumerate(heights):
        x = left + 40 + i * 110
        c.rect(x, base - height, x + 70, base + 6, BLUE, radius=8)
        tops.append((x + 35, base - height - 34))
    c.line([(left, 120), (left, base), (905, base)], INK, 6)
    c.line(tops, CORAL, 7)
    for x, y in tops:
        c.circle(x, y, 12, PAPER, outline=CORAL, width=6)


def data_science(c: Canvas) -> None:
    """A scatter plot of points along a rising trend, a coral fitted line and its blue band."""
    c.floor()
    c.card(230, 80, 970, 510, radius=18)
    left, base = 320, 450

    def trend(x: float) -> float:
        return 425 - (x - 340) * 0.47

    rng = random.Random(20250101)  # the same points on every run
    points = []
    for i in range(28):
        x = 360 + i * 19 + rng.uniform(-8, 8)
        points.append((x, max(140.0, min(430.0, trend(x) - 5 + rng.gauss(0, 26)))))
    c.polygon(
        [
            (340, trend(340) - 50),
            (900, trend(900) - 50),
            (900, trend(900) + 40),
            (340, trend(340) + 40),
        ],
        SKY,
    )
    for i, (x, y) in enumerate(points):
        c.circle(x, y, 9, SLATE if i % 3 else BLUE)
    c.line([(340, trend(340)), (900, trend(900))], CORAL, 8)
    c.line([(left, 120), (left, base), (905, base)], INK, 6)


def design(c: Canvas) -> None:
    """Colour swatches laid out on a grid, one lifted out and outlined in blue."""
    c.rect(150, 60, 1050, 540, PAPER, radius=18)
    for x in range(190, 1050, 40):
        c.line([(x, 60), (x, 540)], MIST, 2, round_ends=False)
    for y in range(100, 540, 40):
        c.line([(150, y), (1050, y)], MIST, 2, round_ends=False)
    c.floor()
    colours = [BLUE, TEAL, CORAL, SAND, SLATE, SKY, INK, MIST]
    for i, colour in enumerate(colours):
        col, row = i % 4, i // 4
        x, y = 230 + col * 190, 110 + row * 210
        if i == 2:
            continue
        c.card(x, y, x + 150, y + 170, fill=PAPER, radius=12, offset=8)
        c.rect(x, y, x + 150, y + 120, colour, radius=12)
        c.rect(x, y + 100, x + 150, y + 120, colour)
        c.rect(x + 16, y + 136, x + 100, y + 146, INK, radius=5)
        c.rect(x + 16, y + 154, x + 70, y + 162, MIST, radius=4)
    # The chosen swatch, raised off its place in the grid.
    x, y = 230 + 2 * 190 + 14, 110 - 30
    c.rect(x - 4, y + 40, x + 154, y + 214, SLATE, radius=14)
    c.rect(x - 14, y - 14, x + 164, y + 184, BLUE, radius=18)
    c.rect(x - 6, y - 6, x + 156, y + 176, PAPER, radius=14)
    c.rect(x, y, x + 150, y + 120, CORAL, radius=12)
    c.rect(x, y + 100, x + 150, y + 120, CORAL)
    c.rect(x + 16, y + 136, x + 100, y + 146, INK, radius=5)
    c.rect(x + 16, y + 154, x + 70, y + 162, MIST, radius=4)


def developer_experience(c: Canvas) -> None:
    """A gauge in the red-amber-green arc with its needle in the green, inside a loop of two
    arrows chasing each other round."""
    c.floor()
    cx, cy, loop = 600, 300, 232
    c.circle(cx, cy, loop - 30, PAPER)
    c.arc(cx, cy, loop, 200, 330, BLUE, 16)
    c.arc(cx, cy, loop, 20, 150, BLUE, 16)
    for angle in (330, 150):
        a = math.radians(angle)
        px, py = cx + loop * math.cos(a), cy + loop * math.sin(a)
        tx, ty = -math.sin(a), math.cos(a)  # clockwise along the circle
        nx, ny = math.cos(a), math.sin(a)
        c.polygon(
            [
                (px + tx * 50, py + ty * 50),
                (px + nx * 24, py + ny * 24),
                (px - nx * 24, py - ny * 24),
            ],
            BLUE,
        )
    gy, r = 350, 150
    c.arc(cx, gy, r, 180, 236, CORAL, 34)
    c.arc(cx, gy, r, 248, 292, SAND, 34)
    c.arc(cx, gy, r, 304, 360, TEAL, 34)
    for angle in range(180, 361, 20):
        a = math.radians(angle)
        c.line(
            [
                (cx + 112 * math.cos(a), gy + 112 * math.sin(a)),
                (cx + 98 * math.cos(a), gy + 98 * math.sin(a)),
            ],
            SLATE,
            4,
        )
    a = math.radians(322)
    c.line([(cx, gy), (cx + 120 * math.cos(a), gy + 120 * math.sin(a))], INK, 12)
    c.circle(cx, gy, 24, INK)
    c.circle(cx, gy, 9, PAPER)
    c.rect(cx - 70, gy + 50, cx + 70, gy + 64, SLATE, radius=7)


def developer_tools(c: Canvas) -> None:
    """A dark terminal window: prompts, commands, their output and a blinking coral cursor."""
    c.floor()
    c.card(220, 70, 980, 515, fill=INK, radius=18, shadow=SLATE)
    c.rect(220, 70, 980, 122, SLATE, radius=18)
    c.rect(220, 104, 980, 122, SLATE)
    for i, colour in enumerate((CORAL, SAND, TEAL)):
        c.circle(254 + i * 32, 96, 10, colour)
    rows = [
        ("prompt", 300),
        ("output", 420),
        ("output", 360),
        ("prompt", 220),
        ("output", 480),
        ("prompt", 0),
    ]
    for i, (kind, length) in enumerate(rows):
        y = 172 + i * 60
        if kind == "prompt":
            _chevron(c, 262, y, 13, TEAL, 7)
            if length:
                c.rect(300, y - 8, 300 + length, y + 8, PAPER, radius=8)
            else:
                c.rect(300, y - 17, 322, y + 17, CORAL, radius=3)
        else:
            c.rect(262, y - 7, 262 + length, y + 7, SAND if i == 4 else MIST, radius=7)
            c.rect(262 + length + 24, y - 7, 262 + length + 90, y + 7, SLATE, radius=7)


def infrastructure(c: Canvas) -> None:
    """Three server racks with rows of units, teal status lights and one coral warning light."""
    c.floor()
    for r, x in enumerate((330, 520, 710)):
        c.rect(x + 12, 112, x + 172, 552, MIST, radius=12)
        c.rect(x, 100, x + 160, 540, INK, radius=12)
        for u in range(6):
            y = 124 + u * 68
            c.rect(x + 16, y, x + 144, y + 50, SLATE, radius=6)
            for v in range(3):
                c.line([(x + 32 + v * 14, y + 14), (x + 32 + v * 14, y + 36)], INK, 5)
            warning = (r, u) == (1, 3)
            c.circle(x + 106, y + 25, 8, CORAL if warning else TEAL)
            c.circle(x + 126, y + 25, 8, SAND if (r + u) % 3 == 0 else TEAL)
    c.line([(490, 200), (520, 200)], BLUE, 8, round_ends=False)
    c.line([(680, 336), (710, 336)], BLUE, 8, round_ends=False)
    c.sparkle(280, 150, 16, SAND)
    c.sparkle(930, 220, 12, BLUE)


def labs(c: Canvas) -> None:
    """A glass flask half full of teal liquid, with bubbles rising out of its neck."""
    c.floor()
    neck_l, neck_r, top, shoulder = 560, 640, 150, 270
    body = [
        (neck_l, top),
        (neck_r, top),
        (neck_r, shoulder),
        *bezier([(790, 470), (812, 520), (745, 520)], 12),
        *bezier([(455, 520), (388, 520), (410, 470)], 12),
        (neck_l, shoulder),
    ]
    c.polygon([(x + 12, y + 10) for x, y in body], MIST)
    c.polygon(body, PAPER)
    liquid = c.clipped(_shape(body), TEAL)
    liquid.rect(0, 380, WIDTH, HEIGHT, "white")
    liquid.paint()
    c.line([*body, body[0]], INK, 9)
    c.rect(540, 136, 660, 160, INK, radius=10)
    for y, length in ((330, 44), (380, 28), (430, 44)):
        edge = neck_l - (y - shoulder) * 0.75  # the left side of the glass at this height
        c.line([(edge + 18, y), (edge + 18 + length, y)], INK, 5)
    for x, y, r in ((540, 470, 12), (620, 440, 9), (680, 480, 14), (590, 410, 7), (700, 420, 8)):
        c.circle(x, y, r, PAPER)
    for x, y, r, colour in (
        (610, 100, 14, TEAL),
        (650, 58, 10, BLUE),
        (580, 40, 18, TEAL),
        (700, 110, 8, BLUE),
    ):
        c.circle(x, y, r, None, outline=colour, width=5)
    c.sparkle(380, 200, 18, SAND)
    c.sparkle(850, 260, 14, CORAL)
    c.sparkle(820, 130, 10, BLUE)


def machine_learning(c: Canvas) -> None:
    """A small neural network: columns of nodes joined by every edge, one path highlighted."""
    c.floor()
    layers = [(260, 3), (480, 4), (720, 4), (940, 2)]
    nodes = [[(x, 300 + (i - (n - 1) / 2) * 110) for i in range(n)] for x, n in layers]
    for left, right in itertools.pairwise(nodes):
        for a in left:
            for b in right:
                c.line([a, b], SLATE, 3)
    path = [nodes[0][1], nodes[1][0], nodes[2][2], nodes[3][0]]
    c.line(path, CORAL, 8)
    colours = [TEAL, BLUE, BLUE, CORAL]
    for column, colour in zip(nodes, colours, strict=True):
        for x, y in column:
            c.circle(x, y, 32, CREAM)
            c.circle(x, y, 26, colour)
    for x, y in path:
        c.circle(x, y, 10, PAPER)


def mobile(c: Canvas) -> None:
    """A phone showing an app (header, picture, list, tab bar) between floating app icons."""
    c.floor()
    c.rect(512, 82, 712, 532, MIST, radius=38)
    c.rect(500, 70, 700, 520, INK, radius=38)
    screen = (514, 96, 686, 494)
    c.rect(*screen, PAPER, radius=22)
    app = c.clipped(_rounded_box(*screen, 22), BLUE)
    app.rect(0, 0, WIDTH, 150, "white")
    app.paint()
    c.rect(575, 80, 625, 88, SLATE, radius=4)
    c.rect(532, 118, 600, 128, PAPER, radius=5)
    c.circle(664, 123, 10, SKY)
    c.rect(530, 166, 670, 256, SKY, radius=10)
    c.circle(640, 190, 14, SAND)
    c.polygon([(540, 248), (580, 200), (620, 248)], TEAL)
    c.polygon([(590, 248), (625, 215), (660, 248)], SLATE)
    for i, colour in enumerate((CORAL, TEAL, SAND)):
        y = 290 + i * 52
        c.circle(548, y, 15, colour)
        c.rect(574, y - 11, 664, y - 1, INK, radius=5)
        c.rect(574, y + 5, 638, y + 13, MIST, radius=4)
    c.line([(514, 450), (686, 450)], MIST, 2, round_ends=False)
    for i in range(4):
        c.circle(546 + i * 36, 472, 8, BLUE if i == 0 else MIST)
    icons = [(360, 160, TEAL, 0), (390, 330, CORAL, 1), (770, 140, SAND, 3), (800, 320, BLUE, 2)]
    for x, y, colour, glyph in icons:
        c.rect(x + 6, y + 8, x + 86, y + 88, MIST, radius=20)
        c.rect(x, y, x + 80, y + 80, colour, radius=20)
        _glyph(c, glyph, x + 40, y + 40, 16, PAPER)


def open_source(c: Canvas) -> None:
    """A git graph: a main line of commits, one branch merged back and one still open."""
    c.floor()
    main_y, up_y, down_y = 330, 190, 460
    c.line([(120, main_y), (1080, main_y)], BLUE, 14)
    c.line(bezier([(270, main_y), (330, main_y), (330, up_y), (400, up_y)]), TEAL, 14)
    c.line([(400, up_y), (640, up_y)], TEAL, 14)
    c.line(bezier([(640, up_y), (710, up_y), (710, main_y), (770, main_y)]), TEAL, 14)
    c.line(bezier([(830, main_y), (890, main_y), (890, down_y), (960, down_y)]), CORAL, 14)
    c.line([(960, down_y), (1040, down_y)], CORAL, 14)
    commits = [
        (160, main_y, BLUE, 24),
        (270, main_y, BLUE, 24),
        (520, main_y, BLUE, 24),
        (770, main_y, BLUE, 32),
        (1000, main_y, BLUE, 24),
        (430, up_y, TEAL, 24),
        (560, up_y, TEAL, 24),
        (960, down_y, CORAL, 24),
    ]
    for x, y, colour, r in commits:
        c.circle(x, y, r + 8, CREAM)
        c.circle(x, y, r, colour)
    c.circle(1060, down_y, 22, CREAM, outline=CORAL, width=8)
    # A tag on the newest release.
    c.line([(1000, main_y - 32), (1000, main_y - 120)], INK, 6)
    c.polygon(
        [
            (1003, main_y - 124),
            (1066, main_y - 124),
            (1050, main_y - 102),
            (1066, main_y - 80),
            (1003, main_y - 80),
        ],
        SAND,
    )


def people(c: Canvas) -> None:
    """Five avatar circles side by side, the middle one largest, with two speech bubbles."""
    c.floor()
    avatars = [
        (300, 320, 72, SKY, BLUE),
        (450, 305, 84, SAND, CORAL),
        (750, 305, 84, MIST, SLATE),
        (900, 320, 72, CORAL, PAPER),
        (600, 295, 100, TEAL, PAPER),
    ]
    for x, y, r, background, figure in avatars:
        c.circle(x, y, r + 8, CREAM)
        c.circle(x, y, r, background)
        person = c.clipped(_disc(x, y, r), figure)
        person.circle(x, y - r * 0.18, r * 0.36, "white")
        person.rect(x - r * 0.66, y + r * 0.32, x + r * 0.66, y + r * 1.4, "white", radius=r * 0.5)
        person.paint()
    for x, y, colour in ((390, 150, BLUE), (760, 130, SAND)):
        c.rect(x, y, x + 110, y + 62, colour, radius=24)
        c.polygon([(x + 24, y + 56), (x + 52, y + 56), (x + 22, y + 84)], colour)
        dots = PAPER if colour == BLUE else INK
        for i in range(3):
            c.circle(x + 32 + i * 23, y + 31, 7, dots)


def _slab(c: Canvas, x: float, y: float, w: float, h: float, depth: float, top: str) -> None:
    """An isometric slab centred on (x, y): its top face in ``top``, its sides darker."""
    n, e, s, west = (x, y - h), (x + w, y), (x, y + h), (x - w, y)
    c.polygon([west, s, (s[0], s[1] + depth), (west[0], west[1] + depth)], SLATE)
    c.polygon([s, e, (e[0], e[1] + depth), (s[0], s[1] + depth)], INK)
    c.polygon([n, e, s, west], top)


def platform(c: Canvas) -> None:
    """Four stacked isometric layers (sand, coral, teal, blue) with small blocks on the top one."""
    c.floor()
    for i, colour in enumerate((SAND, CORAL, TEAL, BLUE)):
        _slab(c, 600, 430 - i * 78, 250, 108, 34, colour)
    top = 430 - 3 * 78
    for dx, dy, colour in ((0, -50, SKY), (-110, 0, PAPER), (110, 0, SKY), (0, 50, PAPER)):
        _slab(c, 600 + dx, top - 20 + dy, 40, 17, 34, colour)


def product(c: Canvas) -> None:
    """A kanban board: to do, doing and done columns of cards, one card moving between them."""
    c.floor()
    c.card(180, 70, 1020, 525, radius=18)
    heads = (SLATE, SAND, TEAL)
    counts = (3, 2, 2)
    for col in range(3):
        x = 205 + col * 270
        c.rect(x, 95, x + 250, 500, CREAM, radius=12)
        c.rect(x + 18, 114, x + 120, 128, heads[col], radius=7)
        for row in range(counts[col]):
            if (col, row) == (0, 1):
                continue
            y = 150 + row * 112
            c.rect(x + 14, y, x + 236, y + 94, PAPER, radius=10, outline=MIST, width=3)
            c.rect(x + 32, y + 20, x + 82, y + 32, (CORAL, BLUE, TEAL)[(col + row) % 3], radius=6)
            c.rect(x + 32, y + 48, x + 200, y + 58, INK, radius=5)
            c.rect(x + 32, y + 68, x + 150, y + 76, MIST, radius=4)
            if col == 2:
                c.circle(x + 208, y + 26, 14, TEAL)
                c.line([(x + 201, y + 26), (x + 206, y + 32), (x + 215, y + 20)], PAPER, 4)
    # The card on its way from "to do" to "doing", with its empty place left dashed.
    x, y = 219, 262
    for start, end in (
        ((x, y), (x + 222, y)),
        ((x + 222, y), (x + 222, y + 94)),
        ((x + 222, y + 94), (x, y + 94)),
        ((x, y + 94), (x, y)),
    ):
        c.dashed(start, end, SLATE, 3, 12, 9)
    x, y = 458, 392
    c.rect(x + 10, y + 12, x + 232, y + 106, SLATE, radius=10)
    c.rect(x, y, x + 222, y + 94, PAPER, radius=10, outline=BLUE, width=4)
    c.rect(x + 18, y + 20, x + 68, y + 32, CORAL, radius=6)
    c.rect(x + 18, y + 48, x + 186, y + 58, INK, radius=5)
    c.rect(x + 18, y + 68, x + 136, y + 76, MIST, radius=4)


def security(c: Canvas) -> None:
    """A blue shield with a white padlock on it, closed."""
    c.floor()

    def shield(cx: float, top: float, w: float, h: float) -> list[Point]:
        right = [
            (cx, top),
            *bezier([(cx, top), (cx + w * 0.55, top + h * 0.1), (cx + w, top + h * 0.05)], 12),
            *bezier([(cx + w, top + h * 0.05), (cx + w * 1.04, top + h * 0.7), (cx, top + h)], 20),
        ]
        left = [(2 * cx - x, y) for x, y in reversed(right)]
        return right + left

    c.polygon([(x + 14, y + 12) for x, y in shield(600, 80, 190, 440)], MIST)
    c.polygon(shield(600, 80, 190, 440), INK)
    c.polygon(shield(600, 104, 164, 392), BLUE)
    c.arc(600, 262, 44, 180, 360, PAPER, 20)
    c.line([(556, 262), (556, 290)], PAPER, 20, round_ends=False)
    c.line([(644, 262), (644, 290)], PAPER, 20, round_ends=False)
    c.rect(530, 280, 670, 400, PAPER, radius=16)
    c.circle(600, 328, 16, INK)
    c.polygon([(592, 334), (608, 334), (614, 372), (586, 372)], INK)
    c.sparkle(360, 170, 18, SAND)
    c.sparkle(860, 210, 14, TEAL)
    c.sparkle(830, 420, 10, CORAL)
    c.circle(380, 400, 9, TEAL)


def web(c: Canvas) -> None:
    """A browser window showing a page: navigation, a headline block and a row of three cards."""
    c.floor()
    c.card(190, 70, 1010, 520, radius=18)
    c.rect(190, 70, 1010, 126, MIST, radius=18)
    c.rect(190, 108, 1010, 126, MIST)
    for i, colour in enumerate((CORAL, SAND, TEAL)):
        c.circle(224 + i * 30, 98, 9, colour)
    c.rect(330, 84, 800, 112, PAPER, radius=14)
    c.circle(350, 98, 6, TEAL)
    c.rect(366, 94, 560, 102, SLATE, radius=4)
    c.rect(230, 148, 290, 168, BLUE, radius=6)
    for i in range(4):
        c.rect(700 + i * 70, 153, 750 + i * 70, 163, SLATE, radius=5)
    c.rect(230, 188, 970, 306, SKY, radius=12)
    c.rect(262, 216, 580, 238, INK, radius=8)
    c.rect(262, 252, 500, 264, SLATE, radius=6)
    c.rect(262, 278, 372, 296, BLUE, radius=9)
    c.circle(860, 247, 42, CORAL)
    c.circle(812, 272, 26, SAND)
    for i, colour in enumerate((SAND, TEAL, CORAL)):
        x = 230 + i * 253
        c.rect(x, 326, x + 234, 496, PAPER, radius=10, outline=MIST, width=3)
        c.rect(x, 326, x + 234, 406, colour, radius=10)
        c.rect(x, 396, x + 234, 406, colour)
        c.rect(x + 18, 424, x + 190, 436, INK, radius=6)
        c.rect(x + 18, 450, x + 150, 460, MIST, radius=5)
        c.rect(x + 18, 472, x + 120, 480, MIST, radius=4)


ILLUSTRATIONS: dict[str, Callable[[Canvas], None]] = {
    "backstage": backstage,
    "data": data,
    "data-science": data_science,
    "design": design,
    "developer-experience": developer_experience,
    "developer-tools": developer_tools,
    "infrastructure": infrastructure,
    "labs": labs,
    "machine-learning": machine_learning,
    "mobile": mobile,
    "open-source": open_source,
    "people": people,
    "platform": platform,
    "product": product,
    "security": security,
    "web": web,
}


def file_name(slug: str) -> str:
    return f"hero-{slug}.png"


def render(slug: str) -> bytes:
    """The PNG file of one category's picture."""
    canvas = Canvas()
    ILLUSTRATIONS[slug](canvas)
    buffer = io.BytesIO()
    canvas.finished().save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def write_all(output: Path) -> list[Path]:
    """Write every picture into ``output`` (made if missing); the paths, in slug order."""
    output.mkdir(parents=True, exist_ok=True)
    written = []
    for slug in ILLUSTRATIONS:
        path = output / file_name(slug)
        path.write_bytes(render(slug))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="Folder to write the pictures into (the demo's media folder).",
    )
    options = parser.parse_args(argv)
    for path in write_all(options.output):
        print(f"{path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
