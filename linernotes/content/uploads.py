"""The upload rules of the media library, and the one service that stores an upload.

An upload is judged by its bytes, never by its name or the content type the browser sent:
Pillow must recognise it as one of the raster formats below and verify it. SVG is refused by
name, because an SVG file is a document that can carry scripts. Originals are stored exactly as
uploaded (nothing is stripped or re-encoded); the smaller copies readers get are made
afterwards by ``content.renditions``.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from functools import cache, partial
from pathlib import PurePath
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from PIL import Image, UnidentifiedImageError, features

from linernotes.content import ownership
from linernotes.content.media import validate_image_pixels
from linernotes.content.media_library import queue_renditions
from linernotes.content.media_models import MediaFile
from linernotes.content.models import Post

if TYPE_CHECKING:
    from linernotes.content.ownership import User

# Pillow's format name -> the extension the stored file gets.
_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
ADD_MEDIA = "content.add_mediafile"
_SNIFFED_BYTES = 1024


class UploadRefused(Exception):
    """An upload the rules refuse: ``message`` says why, ``status`` is the HTTP answer."""

    def __init__(self, message: str, *, code: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.code, self.status = message, code, status


@dataclass(frozen=True)
class CheckedImage:
    format: str
    width: int
    height: int
    size: int
    sha256: str

    @property
    def extension(self) -> str:
        return accepted_formats()[self.format]


@cache
def accepted_formats() -> dict[str, str]:
    """The formats uploads may have; AVIF only where this Pillow can read it."""
    return {**_FORMATS, "AVIF": "avif"} if features.check("avif") else dict(_FORMATS)


def format_names() -> str:
    names = [name if name != "WEBP" else "WebP" for name in accepted_formats()]
    return ", ".join(names[:-1]) + " or " + names[-1]


def may_upload(user: User) -> bool:
    """Writers (who may add posts) and those given the media library's own permission."""
    return user.has_perm("content.add_post") or user.has_perm(ADD_MEDIA)


def check_upload(file: IO[bytes], *, name: str = "") -> CheckedImage:
    """The upload's format, size and hash, or UploadRefused saying which rule it breaks."""
    size = _size_of(file)
    limit = settings.LINERNOTES_MAX_UPLOAD_BYTES
    if size > limit:
        raise UploadRefused(
            f"This file is {filesizeformat(size)}; uploads may be at most "
            f"{filesizeformat(limit)}. Upload a smaller or more compressed version.",
            code="too_large",
            status=413,
        )
    if size == 0:
        raise UploadRefused("The file is empty.", code="empty")
    file.seek(0)
    head = file.read(_SNIFFED_BYTES)
    file.seek(0)
    if _looks_like_svg(head):
        raise _svg_refused()
    try:
        validate_image_pixels(file)
    except ValidationError as problem:
        raise UploadRefused(
            " ".join(problem.messages), code="too_many_pixels", status=413
        ) from None
    image_format, width, height = _open_and_verify(file, name)
    return CheckedImage(image_format, width, height, size, _sha256(file))


def store_upload(
    file: File[Any], *, by: User | None, post: Post | None = None, alt: str = ""
) -> tuple[MediaFile, bool]:
    """Add ``file`` to the media library: (the file, True), or (the same bytes, False) when
    they were uploaded before. ``post`` is the post it is for, which ``by`` must be allowed
    to change; ``by`` None is the system. Renditions are queued once the upload commits."""
    if by is not None and not may_upload(by):
        raise PermissionDenied("You may not upload images.")
    if by is not None and post is not None and not ownership.may_edit(by, post):
        raise PermissionDenied("You may not add images to this post.")
    checked = check_upload(file, name=file.name or "")
    existing = MediaFile.objects.filter(sha256=checked.sha256).first()
    if existing is not None:
        return existing, False
    media = MediaFile(
        alt=" ".join(alt.split())[:300],
        uploaded_by_id=by.pk if isinstance(by, AbstractBaseUser) else None,
        original_name=PurePath(file.name or "image").name[-255:],
        size=checked.size,
        sha256=checked.sha256,
    )
    media.file.save(stored_name(file.name or "", checked.extension), file, save=False)
    try:
        with transaction.atomic():
            media.save()
    except IntegrityError:
        # The same bytes, uploaded by someone else a moment ago.
        media.file.delete(save=False)
        return MediaFile.objects.get(sha256=checked.sha256), False
    transaction.on_commit(partial(queue_renditions, str(media.file.name)))
    return media, True


def _size_of(file: IO[bytes]) -> int:
    size = getattr(file, "size", None)
    if isinstance(size, int):
        return size
    file.seek(0, 2)
    end = file.tell()
    file.seek(0)
    return end


def _looks_like_svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<svg", b"<?xml", b"<!doctype svg")) or b"<svg" in text


def _svg_refused() -> UploadRefused:
    return UploadRefused(
        "SVG images are not accepted: an SVG file can carry scripts that would run on the "
        f"site. Export the picture as {format_names()} instead.",
        code="svg",
    )


def _open_and_verify(file: IO[bytes], name: str) -> tuple[str, int, int]:
    formats = list(accepted_formats())
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # The pixel limit was checked above; Pillow's own warning adds nothing.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(file, formats=formats) as image:
                found = (str(image.format), *image.size)
                image.verify()
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError, Image.DecompressionBombError):
        if name.lower().endswith((".svg", ".svgz")):
            raise _svg_refused() from None
        raise UploadRefused(
            f"This file is not an image the site accepts. Upload a {format_names()} image.",
            code="not_an_image",
        ) from None
    finally:
        file.seek(0)
    return found[0], int(found[1]), int(found[2])


def _sha256(file: IO[bytes]) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1 << 20), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def stored_name(uploaded: str, extension: str) -> str:
    # The extension follows the bytes, so the file is served with its real type.
    stem = slugify(PurePath(uploaded).stem)[:80] or "image"
    return f"{stem}.{extension}"
