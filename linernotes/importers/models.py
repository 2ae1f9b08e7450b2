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
