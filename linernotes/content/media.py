"""Facts about uploaded media files that rendering needs."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from PIL import Image, UnidentifiedImageError


def media_image_size(src: str) -> tuple[int, int] | None:
    """Width and height of an image under MEDIA_URL, when the file is there and readable."""
    if not src.startswith(settings.MEDIA_URL):
        return None
    relative = src.removeprefix(settings.MEDIA_URL).split("?", 1)[0]
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return _image_size(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=512)
def _image_size(path: Path, mtime_ns: int) -> tuple[int, int] | None:
    # mtime is part of the key so a replaced file is measured again.
    try:
        with Image.open(path) as image:
            return image.size
    except (OSError, UnidentifiedImageError):
        return None
