"""Rendering many bodies at once, on every core (``parallel``).

Rendering is most of an import's work (markdown-it, Pygments and the sanitiser). The workers
never touch the database: the media-library rows a body's images need are read here first and
handed over with the bodies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from linernotes.content.highlighting import prepare_languages
from linernotes.content.markdown import RenderedMarkdown, render_markdown
from linernotes.content.media import LibraryImages, media_name
from linernotes.content.media_models import MediaFile
from linernotes.importers.parallel import map_batches_on_every_core


class KnownImages:
    """An image resolver over rows read beforehand (picklable, unlike a database query)."""

    def __init__(self, rows: dict[str, Any]) -> None:
        self.library = LibraryImages(rows)

    def __call__(self, src: str) -> tuple[int, int] | None:
        return self.library.size(src)

    def for_sources(self, srcs: list[str]) -> LibraryImages:
        return self.library


def library_rows(image_addresses: Iterable[str], new: Sequence[MediaFile]) -> dict[str, Any]:
    """The media-library rows of these addresses: stored ones, and ``new`` ones not yet saved."""
    names = {media_name(src) for src in image_addresses} - {""}
    rows: dict[str, Any] = {str(row.file.name): row for row in new if str(row.file.name) in names}
    stored = MediaFile.objects.filter(file__in=names - rows.keys()).only(
        "file", "width", "height", "renditions"
    )
    rows.update({str(row.file.name): row for row in stored})
    return rows


def _render(images: KnownImages, body: str) -> RenderedMarkdown:
    return render_markdown(body, image_size=images)


# The info string of an opening code fence (``` or ~~~), where the language is named.
_FENCE_INFO = re.compile(r"^ {0,3}(?:`{3,}|~{3,})[ \t]*([^\n`]*)$", re.MULTILINE)


def render_batches(
    batches: Iterable[Sequence[str]], images: KnownImages, *, total: int
) -> Iterator[list[RenderedMarkdown]]:
    """Each batch of bodies rendered, in order, on every core; the next batch renders while
    the caller stores this one. ``total``: how many bodies the batches hold."""

    def with_languages_ready() -> Iterator[Sequence[str]]:
        for batch in batches:
            prepare_languages({info for body in batch for info in _FENCE_INFO.findall(body)})
            yield batch

    return map_batches_on_every_core(_render, with_languages_ready(), images, total=total)
