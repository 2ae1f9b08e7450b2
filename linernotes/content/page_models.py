"""Page: a static page such as About, at /<slug>/, in the navigation or not."""

from __future__ import annotations

from typing import Any

from django.db import models

from linernotes.content.addresses import path_to
from linernotes.content.choices import NOINDEX_HELP, PageStatus
from linernotes.content.markdown import render_markdown
from linernotes.content.media import media_image_size
from linernotes.content.text import clean_title
from linernotes.content.validators import validate_body_size, validate_page_slug


class PageQuerySet(models.QuerySet["Page"]):
    def published(self) -> PageQuerySet:
        return self.filter(status=PageStatus.PUBLISHED)

    def in_navigation(self) -> PageQuerySet:
        return (
            self.published().filter(show_in_navigation=True).order_by("navigation_order", "title")
        )


class Page(models.Model):
    """A static page such as About or Open Source, at /<slug>/."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True, validators=[validate_page_slug])
    body = models.TextField(blank=True, help_text="Markdown.", validators=[validate_body_size])
    body_html = models.TextField(editable=False, default="")
    status = models.CharField(max_length=10, choices=PageStatus.choices, default=PageStatus.DRAFT)
    show_in_navigation = models.BooleanField(default=True)
    navigation_order = models.PositiveIntegerField(default=0)
    noindex = models.BooleanField("hide from search engines", default=False, help_text=NOINDEX_HELP)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["navigation_order", "title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title = clean_title(self.title)
        self.render()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return path_to("site:page", self.slug)

    def render(self) -> None:
        self.body_html = render_markdown(self.body, image_size=media_image_size).html
