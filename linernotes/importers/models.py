"""What earlier imports brought in, so the next import of the same site matches it."""

from __future__ import annotations

from django.db import models


class ItemKind(models.TextChoices):
    AUTHOR = "author"
    CATEGORY = "category"
    POST = "post"
    PAGE = "page"


class ImportedItem(models.Model):
    """One record of a source (by its stable key) and the object it became.

    ``digest`` is a hash of the record as last imported: a record that has not changed since is
    left alone, so importing the same export twice changes nothing.
    """

    origin = models.CharField(max_length=300, help_text="The site it came from.")
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    key = models.CharField(max_length=500, help_text="The source's own id of the record.")
    object_id = models.PositiveBigIntegerField()
    digest = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["origin", "kind", "key"], name="imported_item_once")
        ]
        indexes = [models.Index(fields=["kind", "object_id"], name="imported_item_object_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} from {self.origin}"


class ContentFile(models.Model):
    """A file of the content folder (LINERNOTES_CONTENT_DIR) as the last sync or admin write
    left it, so the next sync opens only files whose size or time changed, parses only those
    whose bytes changed, and can tell a change on both sides (a conflict) from one on either.

    ``version`` and ``updated_at`` are the post's (a page's ``updated_at``) at that moment: a
    different one now means the database changed since.
    """

    folder = models.CharField(max_length=500, help_text="The content folder, as an absolute path.")
    path = models.CharField(max_length=500, help_text="The file's path inside the folder.")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    mtime_ns = models.BigIntegerField()
    post = models.ForeignKey(
        "content.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    page = models.ForeignKey(
        "content.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["folder", "path"], name="content_file_once")]

    def __str__(self) -> str:
        return self.path
