"""MediaFile: an image in the media library, kept exactly as it was uploaded.

Rows are written by ``content.uploads`` (the upload rules) and ``content.renditions`` (the
smaller copies). The content hash is unique, so the same bytes uploaded twice are one file.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from linernotes.content.media import PixelLimitedImageField


class MediaFile(models.Model):
    file = PixelLimitedImageField(
        upload_to="media/%Y/%m/", width_field="width", height_field="height", max_length=255
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    alt = models.CharField(
        "default alt text",
        max_length=300,
        blank=True,
        help_text="Offered when the image is inserted into a post; each use may say more.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="media_files",
        editable=False,
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    original_name = models.CharField(max_length=255, editable=False)
    size = models.PositiveBigIntegerField("size in bytes", default=0, editable=False)
    sha256 = models.CharField("content hash (SHA-256)", max_length=64, unique=True, editable=False)
    # The renditions made so far (content.renditions.RenditionSet as JSON): read when a post
    # body is rendered, so finding them costs no look-up of files.
    renditions = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = "media file"

    def __str__(self) -> str:
        return self.original_name or str(self.file.name)

    @property
    def url(self) -> str:
        return str(self.file.url) if self.file else ""

    def markdown(self, alt: str | None = None) -> str:
        """The Markdown that shows this image, with ``alt`` (else the default alt text)."""
        text = self.alt if alt is None else alt
        # Brackets and backslashes would end or escape the alt text early.
        escaped = text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        return f"![{escaped}]({self.url})"

    def as_json(self) -> dict[str, Any]:
        """What the editor's upload and picker endpoints send about this file."""
        return {
            "id": self.pk,
            "url": self.url,
            "name": str(self),
            "width": self.width,
            "height": self.height,
            "alt": self.alt,
            "size": self.size,
            "markdown": self.markdown(),
        }
