"""Which renditions a page lists for an image, and how wide it is shown where.

Templates (hero images, avatars), the post-body renderer, link previews, feeds and emails ask
here. Nothing here queries the database: an image field's renditions come from the manifest
beside them (``content.renditions``), a media-library file's from its row, which the caller
has loaded. Until renditions exist, none are listed and the original is shown as before.
"""

from __future__ import annotations

import posixpath

from django.db.models.fields.files import FieldFile

from linernotes.content.renditions import (
    MIME_TYPES,
    Rendition,
    RenditionSet,
    output_formats,
    renditions_of,
)
from linernotes.content.responsive import ResponsiveImage

# How wide images are shown, from the theme's layout (site.css): cards in a grid of columns at
# least 300px wide, the featured post's three fifths of the page, posts and pages 46rem.
CARD_SIZES = "(min-width: 75rem) 23rem, (min-width: 40rem) 50vw, 100vw"
FEATURED_SIZES = "(min-width: 75rem) 43rem, (min-width: 800px) 60vw, 100vw"
POST_SIZES = "(min-width: 48rem) 46rem, 100vw"
AVATAR_SIZES = "96px"
# The family of the original, by its extension, when it may join its renditions' srcset.
_FAMILIES = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png"}


def responsive_image(
    found: RenditionSet, *, original_url: str, sizes: str
) -> ResponsiveImage | None:
    """The srcset and sources of ``found``; the original joins its own format's list when it
    is wider than every rendition (which never enlarge it)."""
    fallback = found.in_format(found.fallback)
    if not fallback:
        return None
    candidates = [_candidate(r) for r in fallback]
    family = _FAMILIES.get(posixpath.splitext(original_url.lower())[1])
    if found.width > fallback[-1].width and family == found.fallback and _plain(original_url):
        candidates.append(f"{original_url} {found.width}w")
    sources = tuple(
        (MIME_TYPES[image_format], ", ".join(map(_candidate, found.in_format(image_format))))
        for image_format in output_formats(found.fallback)
        if image_format != found.fallback and found.in_format(image_format)
    )
    return ResponsiveImage(sources, ", ".join(candidates), sizes)


def field_image(file: FieldFile | None, *, sizes: str) -> ResponsiveImage | None:
    """The renditions of an image field's file (a hero image, an avatar) for ``sizes``."""
    found = renditions_of(file.name or "") if file else None
    if found is None or file is None:
        return None
    return responsive_image(found, original_url=file.url, sizes=sizes)


def social_card(file: FieldFile | None) -> Rendition | None:
    """The 1200x630 crop of an image field's file, once it is made."""
    found = renditions_of(file.name or "") if file else None
    return found.social if found else None


def closest_rendition(file: FieldFile | None, width: int) -> Rendition | None:
    """A rendition about ``width`` wide in a format every reader knows (JPEG or PNG)."""
    found = renditions_of(file.name or "") if file else None
    return found.closest(width) if found else None


def _candidate(rendition: Rendition) -> str:
    return f"{rendition.url} {rendition.width}w"


def _plain(url: str) -> bool:
    # A srcset is a comma-separated list of "URL width"; such a URL would be misread.
    return not any(character.isspace() or character == "," for character in url)
