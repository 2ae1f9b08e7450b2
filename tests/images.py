"""Images made in the tests with Pillow: real files of each kind the media library meets."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(image_format: str = "PNG", size: tuple[int, int] = (1300, 700)) -> bytes:
    """A picture of ``size`` with some detail (a gradient, as a photo has), in ``image_format``."""
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.merge(
        "RGB", (gradient, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT), gradient)
    )
    buffer = io.BytesIO()
    image.save(buffer, format=image_format)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def image_upload(
    name: str = "chart.png", image_format: str = "PNG", size: tuple[int, int] = (1300, 700)
) -> SimpleUploadedFile:
    types = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}
    return upload(name, image_bytes(image_format, size), types[image_format])


def huge_png(width: int = 12_000, height: int = 12_000) -> bytes:
    """One bit per pixel of one colour: a few kilobytes that decode to width by height pixels."""
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)
