"""Revisions: every saved version of a post or page, kept without limit.

A model of our own rather than django-reversion, which stores a whole serialised object per
save: autosave must update a draft's latest autosave in place instead of piling up thousands
of rows, a published post needs *pending* revisions (an edit kept aside and published later
without taking the live version down), and the history shows line diffs of the Markdown,
which needs the text in columns of its own. The services are in ``revisions.py``.

``models.py`` imports this module, so that Django finds the model with the others.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class RevisionKind(models.TextChoices):
    SAVED = "saved", "Saved"
    # What was typed and not yet saved; one per writer, updated in place.
    AUTOSAVE = "autosave", "Autosave"
    RESTORED = "restored", "Restored"
    # An edit of a published post kept aside until it is published.
    PENDING = "pending", "Pending"


class Revision(models.Model):
    """A snapshot of one post or page, numbered 1, 2, 3... per object."""

    # No index of their own: the unique indexes below start with these columns.
    post = models.ForeignKey(
        "content.Post",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="revisions",
        db_index=False,
    )
    page = models.ForeignKey(
        "content.Page",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="revisions",
        db_index=False,
    )
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=RevisionKind.choices, default=RevisionKind.SAVED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Text columns without a length limit: an autosave keeps whatever was typed, even what the
    # post's own form would refuse.
    title = models.TextField()
    slug = models.TextField()
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # The rest of the snapshot, in JSON types: see revisions.snapshot().
    fields = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, page__isnull=True)
                | Q(post__isnull=True, page__isnull=False),
                name="revision_of_post_or_page",
            ),
            # Unique indexes on (post, -number) and (page, -number): the newest revisions of
            # an object are read first, and the database keeps each number to one revision.
            models.UniqueConstraint(F("post"), F("number").desc(), name="revision_post_number"),
            models.UniqueConstraint(F("page"), F("number").desc(), name="revision_page_number"),
        ]

    def __str__(self) -> str:
        return f"Revision {self.number} of {self.title}"
