"""Redirect rules: old addresses that answer with a redirect (or 410 Gone) instead of a 404."""

from __future__ import annotations

from typing import Any

from django.db import models

from linernotes.seo.patterns import check_redirect_rule


class Match(models.TextChoices):
    EXACT = "exact", "Exact path"
    REGEX = "regex", "Regular expression"


class RedirectStatus(models.IntegerChoices):
    MOVED_PERMANENTLY = 301, "301 Moved permanently"
    FOUND = 302, "302 Found (temporary)"
    GONE = 410, "410 Gone"


class Redirect(models.Model):
    old_path = models.CharField(
        max_length=500,
        unique=True,
        help_text="An address such as /2024/05/old-slug/, or a regular expression matched "
        "against the whole path when the match is “regular expression”.",
    )
    new_path = models.CharField(
        max_length=500,
        blank=True,
        help_text="A path on this site (/2024/06/new-slug/) or an absolute URL. Regular "
        "expressions may use groups as \\1 or $1. Leave empty for 410 Gone.",
    )
    match = models.CharField(max_length=5, choices=Match.choices, default=Match.EXACT)
    status = models.PositiveSmallIntegerField(
        choices=RedirectStatus.choices, default=RedirectStatus.MOVED_PERMANENTLY
    )
    position = models.PositiveIntegerField(
        default=0,
        help_text="Regular expressions are tried in this order (lower first); exact paths "
        "always win over them.",
    )
    automatic = models.BooleanField(
        default=False, editable=False, help_text="Created when a published post moved."
    )
    imported_from = models.CharField(
        max_length=300,
        blank=True,
        default="",
        editable=False,
        help_text="The site an import brought this address from.",
    )
    hits = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["match", "position", "pk"]
        indexes = [models.Index(fields=["match", "position"], name="redirect_rule_order_idx")]

    def __str__(self) -> str:
        return f"{self.old_path} → {self.new_path or self.get_status_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Rules also come from code and commands, not only the admin form: never store one
        # that the middleware could not apply safely.
        self.clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        check_redirect_rule(
            old_path=self.old_path,
            new_path=self.new_path,
            is_regex=self.match == Match.REGEX,
            is_gone=self.status == RedirectStatus.GONE,
        )
