"""The one row that says which version of the public content is current."""

from __future__ import annotations

from django.db import models


class ContentVersion(models.Model):
    """A counter raised by every change readers could see; cached pages carry its value.

    It lives in the database, not the cache, so that every process and host shares it
    whatever cache is configured.
    """

    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "content version"

    def __str__(self) -> str:
        return f"content version {self.number}"
