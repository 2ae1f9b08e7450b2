"""Checks and fixes of single imported values, shared by posts, pages and authors.

Imports write in bulk, past the model forms, so what the forms would check is checked here: a
bad value is dropped or adjusted with a notice, never stored as it came.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection, Sequence
from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import slugify

from linernotes.content.models import Page
from linernotes.content.validators import validate_page_slug
from linernotes.importers.records import ImportedMedia
from linernotes.importers.report import ImportReport
from linernotes.importers.staging import MediaStage

_URL = URLValidator(schemes=["http", "https"])


def digest(record: Any) -> str:
    """A fingerprint of a record as read: the same record gives the same digest."""
    text = json.dumps(asdict(record), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def checked_url(report: ImportReport, value: str, where: str, *, limit: int = 200) -> str:
    """``value`` if it is an http(s) address that fits, else "" with a notice."""
    value = value.strip()
    if not value:
        return ""
    try:
        _URL(value)
    except ValidationError:
        report.notice(where, f"left out the address {value[:100]!r}: not an http(s) URL")
        return ""
    if len(value) > limit:
        report.notice(where, f"left out an address longer than {limit} characters")
        return ""
    return value


def clipped(report: ImportReport, value: str, limit: int, where: str, label: str) -> str:
    """``value`` cut to ``limit`` characters, saying so when it was longer."""
    value = " ".join(value.split())
    if len(value) > limit:
        report.notice(where, f"{label} cut to {limit} characters")
        return value[:limit].rstrip()
    return value


def free_slug(wanted: str, taken: Collection[str], *, limit: int, fallback: str) -> str:
    """``wanted`` as a slug, with -2, -3... added when another object has it."""
    base = slugify(wanted)[:limit].strip("-") or fallback
    slug, counter = base, 1
    while slug in taken:
        counter += 1
        suffix = f"-{counter}"
        slug = f"{base[: limit - len(suffix)]}{suffix}"
    return slug


def free_page_slug(report: ImportReport, wanted: str, page: Page, where: str) -> str:
    """A page slug no other page has and the site does not answer at itself (/feed/...)."""
    taken = set(Page.objects.exclude(pk=page.pk).values_list("slug", flat=True))
    slug = free_slug(wanted, taken, limit=100, fallback="page")
    try:
        validate_page_slug(slug)
    except ValidationError:
        moved = free_slug(f"{slug}-page", taken, limit=100, fallback="page")
        report.notice(where, f"the address /{slug}/ belongs to the site: the page is /{moved}/")
        return moved
    if slug != slugify(wanted)[:100]:
        report.notice(where, f"the slug {wanted!r} was taken or unusable: the page is /{slug}/")
    return slug


def _reference_pattern(reference: str) -> re.Pattern[str]:
    # The reference as a whole link target: after "(", a quote, "<" or a space, and before
    # ")", a quote, ">" or a space, so a reference inside a longer address is left alone.
    return re.compile(r"(?<=[(\"'<\s=])" + re.escape(reference) + r"(?=[)\"'>\s])")


def body_with_media(
    stage: MediaStage, body: str, media: Sequence[ImportedMedia], where: str
) -> str:
    """``body`` with each image it names pointed at its imported copy (kept as written when
    there is none: a remote address, or a file that could not be brought in)."""
    for item in media:
        address = stage.body_image(item, where)
        if address is not None and address != item.reference:
            body = _reference_pattern(item.reference).sub(address, body)
    return body
