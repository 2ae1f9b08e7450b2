"""Smaller copies of uploaded images (renditions), made with Pillow, and the record of them.

For an image stored as ``<folder>/<name>``, the copies go to ``<folder>/renditions/`` under
names made of the original's content hash, the width and the format (``<hash>-800.webp``),
so the same picture is never made twice and a name never points at other pixels. Widths are
those of WIDTHS up to the original's own (never larger), each in the original's format family
(PNG for PNG, GIF or anything with transparency, else JPEG), in WebP, and in AVIF where this
Pillow can write it; plus a 1200x630 centre crop in JPEG for social cards.

What was made is written to ``<folder>/renditions/<name>.json`` (the manifest), which pages
read to list only renditions that exist: one ``stat`` per image, and the file is parsed once
per process until it changes. Media-library files also keep the same record on their row.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import posixpath
import time
import warnings
from dataclasses import asdict, dataclass
from functools import cache, lru_cache
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, features

WIDTHS = (400, 800, 1200, 1600, 2400)
SOCIAL_WIDTH, SOCIAL_HEIGHT = 1200, 630
FOLDER = "renditions"
MIME_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
_EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}
# Quality for the eye at a modest size; AVIF's speed trades a little size for far less time.
_SAVE_OPTIONS: dict[str, dict[str, Any]] = {
    "jpeg": {"quality": 82, "optimize": True, "progressive": True},
    "png": {"optimize": True},
    "webp": {"quality": 80, "method": 4},
    "avif": {"quality": 60, "speed": 8},
}
_HASH_LENGTH = 20
# How long a manifest read from storage without local paths is trusted (no mtime to compare).
_REMOTE_MANIFEST_SECONDS = 60


@dataclass(frozen=True)
class Rendition:
    name: str
    width: int
    height: int
    format: str

    @property
    def url(self) -> str:
        return str(default_storage.url(self.name))

    @property
    def mime_type(self) -> str:
        return MIME_TYPES[self.format]


@dataclass(frozen=True)
class RenditionSet:
    """The renditions of one original, smallest first in each format."""

    source: str
    sha256: str
    width: int
    height: int
    fallback: str
    renditions: tuple[Rendition, ...]
    social: Rendition | None

    def in_format(self, image_format: str) -> list[Rendition]:
        return [r for r in self.renditions if r.format == image_format]

    def closest(self, width: int) -> Rendition | None:
        """The smallest rendition in the fallback format at least ``width`` wide (else the
        widest): for readers that know no newer format, such as mail clients."""
        candidates = self.in_format(self.fallback)
        wide_enough = [r for r in candidates if r.width >= width]
        chosen = wide_enough[:1] or candidates[-1:]
        return chosen[0] if chosen else None

    @property
    def files(self) -> list[str]:
        return [r.name for r in self.renditions] + ([self.social.name] if self.social else [])

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> RenditionSet | None:
        """The set recorded in ``data``, or None for an empty or unreadable record."""
        try:
            social = data.get("social")
            return cls(
                source=str(data["source"]),
                sha256=str(data["sha256"]),
                width=int(data["width"]),
                height=int(data["height"]),
                fallback=str(data["fallback"]),
                renditions=tuple(Rendition(**item) for item in data["renditions"]),
                social=Rendition(**social) if social else None,
            )
        except (AttributeError, KeyError, TypeError, ValueError):
            return None


@cache
def output_formats(fallback: str) -> tuple[str, ...]:
    """The formats made for a fallback format, the newest (smallest) first."""
    return ("avif", "webp", fallback) if features.check("avif") else ("webp", fallback)


def widths_for(original_width: int) -> list[int]:
    return [width for width in WIDTHS if width <= original_width]


def manifest_name(name: str) -> str:
    folder, base = posixpath.split(name)
    return posixpath.join(folder, FOLDER, f"{base}.json")


def is_rendition(name: str) -> bool:
    return posixpath.basename(posixpath.dirname(name)) == FOLDER


def renditions_of(name: str | None) -> RenditionSet | None:
    """The renditions of the stored image ``name`` from its manifest; None until made."""
    if not name:
        return None
    manifest = manifest_name(name)
    try:
        path = default_storage.path(manifest)
    except NotImplementedError:
        return _remote_manifest(manifest, int(time.monotonic() // _REMOTE_MANIFEST_SECONDS))
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return _local_manifest(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=2048)
def _local_manifest(path: str, mtime_ns: int, size: int) -> RenditionSet | None:
    # mtime and size are part of the key, so a manifest written again is read again.
    try:
        with open(path, "rb") as manifest:
            return RenditionSet.from_json(json.load(manifest))
    except (OSError, ValueError):
        return None


@lru_cache(maxsize=2048)
def _remote_manifest(name: str, period: int) -> RenditionSet | None:
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as manifest:
        return RenditionSet.from_json(json.load(manifest))


def is_complete(name: str) -> bool:
    """Whether the renditions of ``name`` are recorded and every one of them is stored."""
    found = renditions_of(name)
    return found is not None and all(default_storage.exists(file) for file in found.files)


def make_renditions(name: str, *, force: bool = False) -> tuple[RenditionSet, int]:
    """Make what is missing of the renditions of ``name`` (all of them with ``force``) and
    write the manifest. Returns the set and how many files were written.

    Raises OSError (and Pillow's errors) when the original cannot be read.
    """
    with default_storage.open(name, "rb") as original:
        data = original.read()
    sha256 = hashlib.sha256(data).hexdigest()
    with warnings.catch_warnings():
        # Uploads were held to the pixel limit; older files are trusted as the fields were.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as opened:
            animated = bool(getattr(opened, "is_animated", False))
            source_format = str(opened.format)
            palette = opened.mode == "P"
            # Colours keep their profile; the rest of the metadata (camera, place) stays behind.
            info = {"icc_profile": opened.info.get("icc_profile")}
            image = ImageOps.exif_transpose(opened)
            image.load()
    fallback = "png" if source_format in {"PNG", "GIF"} or _has_alpha(image) else "jpeg"
    image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    prefix = posixpath.join(posixpath.dirname(name), FOLDER, sha256[:_HASH_LENGTH])
    made: list[Rendition] = []
    written = 0
    # An animation would stop moving in a rendition, so it is served as uploaded.
    for width in [] if animated else widths_for(image.width):
        height = max(1, round(image.height * width / image.width))
        resized = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        for image_format in output_formats(fallback):
            rendition = Rendition(
                f"{prefix}-{width}.{_EXTENSIONS[image_format]}", *resized.size, image_format
            )
            # A palette PNG (a diagram, an illustration) stays one: in full colour its smaller
            # copies would weigh several times the original.
            keep_palette = palette and image_format == "png"
            pixels = _to_palette(resized) if keep_palette else resized
            written += _store(pixels, rendition, info, force=force)
            made.append(rendition)
    social = Rendition(f"{prefix}-social.jpg", *_social_size(image), "jpeg")
    written += _store(_social_crop(image), social, info, force=force)
    found = RenditionSet(
        name, sha256, image.width, image.height, fallback, tuple(_smallest_first(made)), social
    )
    _write_manifest(name, found)
    return found, written


def delete_renditions(name: str) -> None:
    """Remove the renditions of ``name`` and its manifest (when the original goes)."""
    found = renditions_of(name)
    for file in [*(found.files if found else []), manifest_name(name)]:
        default_storage.delete(file)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in {"RGBA", "LA", "PA", "La", "RGBa"} or "transparency" in image.info


def _smallest_first(renditions: list[Rendition]) -> list[Rendition]:
    order = {image_format: index for index, image_format in enumerate(MIME_TYPES)}
    return sorted(renditions, key=lambda r: (order[r.format], r.width))


def _social_size(image: Image.Image) -> tuple[int, int]:
    # Exactly 1200x630 when the original covers it; a smaller one is cropped to the same
    # shape at its own scale rather than enlarged into a blur.
    scale = min(1.0, image.width / SOCIAL_WIDTH, image.height / SOCIAL_HEIGHT)
    return max(1, round(SOCIAL_WIDTH * scale)), max(1, round(SOCIAL_HEIGHT * scale))


def _social_crop(image: Image.Image) -> Image.Image:
    cropped = ImageOps.fit(
        image, _social_size(image), Image.Resampling.LANCZOS, centering=(0.5, 0.5)
    )
    if cropped.mode == "RGBA":
        # JPEG has no transparency: what was see-through becomes white, not black.
        background = Image.new("RGB", cropped.size, "white")
        background.paste(cropped, mask=cropped.getchannel("A"))
        return background
    return cropped


def _to_palette(image: Image.Image) -> Image.Image:
    method = Image.Quantize.FASTOCTREE if image.mode == "RGBA" else Image.Quantize.MEDIANCUT
    return image.quantize(colors=256, method=method)


def _store(image: Image.Image, rendition: Rendition, info: dict[str, Any], *, force: bool) -> int:
    if not force and default_storage.exists(rendition.name):
        return 0
    buffer = io.BytesIO()
    options = {**_SAVE_OPTIONS[rendition.format], **{k: v for k, v in info.items() if v}}
    image.save(buffer, format=rendition.format.upper(), **options)
    if force:
        default_storage.delete(rendition.name)
    # Names follow the content, so a name already taken holds these very pixels.
    default_storage.save(rendition.name, ContentFile(buffer.getvalue()))
    return 1


def _write_manifest(name: str, found: RenditionSet) -> None:
    manifest = manifest_name(name)
    content = json.dumps(found.as_json(), indent=1, sort_keys=True).encode()
    try:
        path = default_storage.path(manifest)
    except NotImplementedError:
        default_storage.delete(manifest)
        default_storage.save(manifest, ContentFile(content))
        return
    if os.path.exists(path):
        with open(path, "rb") as existing:
            if existing.read() == content:
                return  # unchanged: pages keep the copy they read
    # Written beside and moved into place, so a page never reads half a manifest.
    os.makedirs(os.path.dirname(path), exist_ok=True)
    partial = f"{path}.{os.getpid()}.partial"
    with open(partial, "wb") as file:
        file.write(content)
    os.replace(partial, path)
