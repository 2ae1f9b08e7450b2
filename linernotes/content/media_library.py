"""The media library's writes besides uploads, and where its files are used.

Renditions are made in the background (``content.tasks``) once an upload or a save with an
image commits. Once made, they are recorded on the media file's row and the posts and pages
showing it are rendered again, so their stored HTML lists them; pages showing an image field
(hero, social, avatar) read the manifest instead, and ``renditions_made`` tells the site to
start a new version of its cached pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import OuterRef, QuerySet, Value
from django.db.models.functions import Concat
from django.dispatch import Signal

from linernotes.content import renditions
from linernotes.content.media_models import MediaFile
from linernotes.content.models import Author, Page, Post
from linernotes.content.services import RENDERED_FIELDS

# Sent with ``name`` (the original's storage name) after renditions of it were written.
renditions_made = Signal()

# The image fields of other models that get renditions too.
IMAGE_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Post: ("hero_image", "social_image"),
    Author: ("avatar",),
}


def build_renditions(name: str, *, force: bool = False) -> int:
    """Make the renditions of the stored image ``name`` and use them wherever it is shown.
    Returns how many files were written."""
    found, written = renditions.make_renditions(name, force=force)
    record = found.as_json()
    media = MediaFile.objects.filter(file=name).first()
    if media is not None and media.renditions != record:
        MediaFile.objects.filter(pk=media.pk).update(renditions=record)
        rerender_bodies_showing(media)
    if written:
        renditions_made.send(sender=MediaFile, name=name)
    return written


def rerender_bodies_showing(media: MediaFile) -> int:
    """Render again every post and page whose body shows ``media``; returns how many."""
    count = 0
    # Saved as `linernotes rerender` saves them: the rendered fields only.
    for model, fields in RENDERED_FIELDS.items():
        for item in model.objects.filter(body__contains=media.url).iterator(chunk_size=100):
            item.save(update_fields=fields)
            count += 1
    return count


def stored_images() -> list[str]:
    """The storage names of every image that has (or should have) renditions."""
    names: dict[str, None] = dict.fromkeys(MediaFile.objects.values_list("file", flat=True))
    for model, fields in IMAGE_FIELDS.items():
        for field in fields:
            stored = model._default_manager.exclude(**{field: ""}).values_list(field, flat=True)
            names.update(dict.fromkeys(str(name) for name in stored if name))
    return list(names)


def queue_renditions(name: str) -> None:
    from linernotes.content.tasks import make_renditions  # the tasks import this module

    make_renditions.enqueue(name)


def queue_field_renditions(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    """Receiver of post_save of posts and authors: renditions of a new image, after commit."""
    if kwargs.get("raw"):
        return
    for field in IMAGE_FIELDS.get(sender, ()):
        name = str(getattr(instance, field).name or "")
        if name and renditions.renditions_of(name) is None:
            transaction.on_commit(partial(queue_renditions, name))


def delete_stored_files(sender: type[MediaFile], instance: MediaFile, **kwargs: Any) -> None:
    """Receiver of post_delete of media files: the original and its renditions go too."""
    name = instance.file.name
    if name:
        transaction.on_commit(lambda: _delete_files(name))


def _delete_files(name: str) -> None:
    renditions.delete_renditions(name)
    default_storage.delete(name)


def uses_of(media: MediaFile) -> Iterator[Post | Page]:
    """The posts, then the pages, whose body shows ``media``."""
    yield from Post.objects.filter(body__contains=media.url).only("title", "slug", "status")
    yield from Page.objects.filter(body__contains=media.url).only("title", "slug", "status")


class _Count(models.Subquery):
    template = "(SELECT COUNT(*) FROM (%(subquery)s) _used)"
    output_field = models.IntegerField()


def with_use_counts(files: QuerySet[MediaFile]) -> QuerySet[MediaFile]:
    """``files`` each with ``use_count``: the posts and pages showing it, counted by the
    database in the same query (a scan of the bodies per file, no query per row)."""
    url = Concat(Value(settings.MEDIA_URL), OuterRef("file"), output_field=models.CharField())
    posts = Post.objects.filter(body__contains=url).order_by().values("pk")
    pages = Page.objects.filter(body__contains=url).order_by().values("pk")
    return files.annotate(use_count=_Count(posts) + _Count(pages))
