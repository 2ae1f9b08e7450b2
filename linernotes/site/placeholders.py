"""Placeholder hero images: a quiet pattern in the colour of the post's primary category."""

from __future__ import annotations

import hashlib

WIDTH, HEIGHT = 1200, 630
DEFAULT_COLOUR = "#3b5bdb"


def placeholder_svg(seed: str, colour: str = DEFAULT_COLOUR) -> str:
    """An SVG of circles and bars placed from a hash of ``seed``, so each post keeps its own."""
    digest = hashlib.sha256(seed.encode()).digest()
    shapes = []
    for index in range(8):
        x = digest[index] * WIDTH // 255
        y = digest[index + 8] * HEIGHT // 255
        size = 60 + digest[index + 16] % 220
        opacity = 0.12 + (digest[index + 24] % 30) / 100
        if index % 2:
            shapes.append(
                f'<circle cx="{x}" cy="{y}" r="{size}" fill="#fff" fill-opacity="{opacity:.2f}"/>'
            )
        else:
            shapes.append(
                f'<rect x="{x - size}" y="{y - size // 4}" width="{size * 2}" height="{size // 2}" '
                f'rx="{size // 4}" fill="#fff" fill-opacity="{opacity:.2f}" '
                f'transform="rotate(-20 {x} {y})"/>'
            )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-hidden="true">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{colour}"/>{"".join(shapes)}</svg>'
    )
