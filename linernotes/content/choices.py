"""Values more than one content model uses: the statuses, and the noindex fields' help."""

from __future__ import annotations

from django.db import models


class Status(models.TextChoices):
    """Where a post is on its way to readers. Only *published* posts whose time has come show."""

    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    # Published for a later time: the worker publishes it when the time comes.
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"


# Statuses that carry a publication time.
DATED_STATUSES = (Status.SCHEDULED, Status.PUBLISHED)


class PageStatus(models.TextChoices):
    DRAFT = Status.DRAFT.value, Status.DRAFT.label
    PUBLISHED = Status.PUBLISHED.value, Status.PUBLISHED.label


NOINDEX_HELP = (
    "Asks search engines not to index the page and leaves it out of the sitemap. Readers, "
    "feeds and the site's own search still see it."
)
