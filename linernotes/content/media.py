"""Uploaded images: their size read from the file's header, the upper limit on pixels, and
the renderer's hook that finds the media-library files (and their renditions) a body shows.

Pillow's ``Image.open`` is lazy: it reads the header and decodes no pixels, so a size costs
the same for a huge image as for a small one. A decompression bomb (a small file that decodes
to billions of pixels) is refused on upload, before anything decodes it.
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from PIL import Image, UnidentifiedImageError

from linernotes.content.pictures import POST_SIZES, responsive_image
from linernotes.content.renditions import RenditionSet
from linernotes.content.responsive import ResponsiveImage


def header_size(file: Path | IO[bytes]) -> tuple[int, int] | None:
    """Width and height as the image's header states them, or None if it is no image.

    Raises Pillow's DecompressionBombError for sizes Pillow refuses to open at all.
    """
    with warnings.catch_warnings():
        # Only the size is wanted, and judging it is the caller's business: Pillow's warning
        # about large sizes would otherwise be an error wherever warnings are errors.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(file) as image:
                return image.size
        except (OSError, UnidentifiedImageError):
            return None


def _media_image_size(src: str) -> tuple[int, int] | None:
    """Width and height of an image under MEDIA_URL, when the file is there and readable."""
    if not src.startswith(settings.MEDIA_URL):
        return None
    relative = src.removeprefix(settings.MEDIA_URL).split("?", 1)[0]
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return _image_size(path, path.stat().st_mtime_ns)


class _MediaImages:
    """The renderer's image hook: sizes of files under MEDIA_URL, and for a whole body at
    once (``for_sources``) the media-library files among its images, with their renditions,
    read in one query."""

    def __call__(self, src: str) -> tuple[int, int] | None:
        return _media_image_size(src)

    def for_sources(self, srcs: list[str]) -> LibraryImages:
        # Imported here: the media library's model is built on this module's field.
        from linernotes.content.media_models import MediaFile

        names = {media_name(src) for src in srcs} - {""}
        rows = MediaFile.objects.filter(file__in=names).only(
            "file", "width", "height", "renditions"
        )
        return LibraryImages({str(row.file.name): row for row in rows} if names else {})


class LibraryImages:
    """The images of one body: ``rows`` maps storage names to media-library files (anything
    with width, height and renditions), other addresses are measured on disk. Picklable, so a
    bulk import can hand it to the processes that render."""

    def __init__(self, rows: dict[str, Any]) -> None:
        self.rows = rows

    def size(self, src: str) -> tuple[int, int] | None:
        row = self.rows.get(media_name(src))
        return (row.width, row.height) if row is not None else _media_image_size(src)

    def responsive(self, src: str) -> ResponsiveImage | None:
        row = self.rows.get(media_name(src))
        found = RenditionSet.from_json(row.renditions) if row is not None else None
        return responsive_image(found, original_url=src, sizes=POST_SIZES) if found else None


def media_name(src: str) -> str:
    """The storage name of a file under MEDIA_URL ("" for other addresses)."""
    if not src.startswith(settings.MEDIA_URL):
        return ""
    return unquote(src.removeprefix(settings.MEDIA_URL).split("?", 1)[0].split("#", 1)[0])


media_image_size = _MediaImages()


@lru_cache(maxsize=512)
def _image_size(path: Path, mtime_ns: int) -> tuple[int, int] | None:
    # mtime is part of the key so a replaced file is measured again.
    try:
        return header_size(path)
    except Image.DecompressionBombError:
        return None


def validate_image_pixels(file: IO[bytes]) -> None:
    """Refuse an image with more pixels than LINERNOTES_MAX_IMAGE_PIXELS, from its header."""
    limit = settings.LINERNOTES_MAX_IMAGE_PIXELS
    file.seek(0)
    try:
        size = header_size(file)
        stated = f"{size[0]:,} × {size[1]:,}" if size and size[0] * size[1] > limit else ""
    except Image.DecompressionBombError:
        stated = f"more than {2 * (Image.MAX_IMAGE_PIXELS or 0):,}"
    finally:
        file.seek(0)
    if stated:
        raise ValidationError(
            "This image is %(stated)s pixels; images may have at most %(limit)s pixels "
            "(%(megapixels)s megapixels). Upload a smaller version.",
            code="too_many_pixels",
            params={"stated": stated, "limit": f"{limit:,}", "megapixels": f"{limit / 1e6:g}"},
        )


class PixelLimitedImageFormField(forms.ImageField):
    """Django's image field, checking the pixel limit before Django's own check opens it."""

    def to_python(self, data: Any) -> Any:
        if data not in self.empty_values and hasattr(data, "seek"):
            validate_image_pixels(data)
        return super().to_python(data)


class PixelLimitedImageField(models.ImageField):
    """An image field whose forms refuse images above LINERNOTES_MAX_IMAGE_PIXELS."""

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": PixelLimitedImageFormField, **kwargs})
