"""The post admin's "Search engines and social cards" fieldset: its checks and its previews.

``class PostAdmin(SeoFieldsAdminMixin, ...)`` is all the wiring. The mixin

- checks the form: a canonical URL must be an http or https address, and a social image needs
  alt text (each refusal is shown by its field, and nothing is saved);
- adds a read-only "Preview" at the end of the fieldset (the one with the ``seo-fields``
  class): the post as a search result and as a social card, and how long its title and
  description are, worked out by content.seo_fields, the rules the published page follows;
- loads content/seo-preview.js, which redraws the preview as the fields change.

Nothing here imports the seo app: content depends on no other app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db.models.fields.files import FieldFile
from django.forms import ModelForm
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import NoReverseMatch
from django.utils.safestring import SafeString

from linernotes.content.addresses import absolute_url
from linernotes.content.models import Post
from linernotes.content.seo_fields import (
    DESCRIPTION_LENGTH,
    DESCRIPTION_SHOWN_LENGTH,
    TITLE_SEPARATOR,
    TITLE_SHOWN_LENGTH,
    canonical_address,
    search_description,
    search_title,
    social_title,
)
from linernotes.content.text import cut_at_word
from linernotes.content.validators import validate_web_address

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldOpts, _FieldsetSpec

    _Base = admin.ModelAdmin[Post]
    _FormBase = ModelForm[Post]
else:
    # At run time plain mixins, placed before ModelAdmin and the form among the bases.
    _Base = _FormBase = object

SEO_FIELDSET_CLASS = "seo-fields"
PREVIEW_FIELD = "seo_preview"
SOCIAL_IMAGE_NEEDS_ALT = "A social image needs alt text."


class SeoFieldsFormChecks(_FormBase):
    """Form checks of the search and social fields, mixed into the admin's post form."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        image, alt = cleaned.get("social_image"), cleaned.get("social_image_alt", "")
        # An image kept or chosen (a cleared one is False) is described for those who cannot
        # see it, as hero images are.
        if image and not str(alt).strip():
            self.add_error("social_image_alt", SOCIAL_IMAGE_NEEDS_ALT)
        return cleaned


def with_seo_checks(form: type[ModelForm[Post]]) -> type[ModelForm[Post]]:
    """``form`` with SeoFieldsFormChecks' checks added."""
    # Made by the form's own metaclass, as a class statement would.
    metaclass: Any = type(form)
    checked: type[ModelForm[Post]] = metaclass(
        f"SeoChecked{form.__name__}", (SeoFieldsFormChecks, form), {}
    )
    return checked


@dataclass(frozen=True)
class SeoPreview:
    """What the previews show, and what their script needs to redraw them."""

    site_name: str
    site_address: str
    crumbs: list[str]
    title: str
    card_title: str
    description: str
    snippet: str
    host: str
    image_url: str
    image_alt: str
    canonical: str
    title_length: int
    description_length: int
    # For the script: the stand-ins of empty fields, as the server knows them.
    excerpt: str
    social_image_url: str
    hero_image_url: str

    @property
    def title_too_long(self) -> bool:
        return self.title_length > TITLE_SHOWN_LENGTH

    @property
    def description_too_long(self) -> bool:
        return self.description_length > DESCRIPTION_SHOWN_LENGTH

    @property
    def tagline(self) -> str:
        return str(settings.LINERNOTES_SITE_TAGLINE)

    @property
    def limits(self) -> dict[str, int | str]:
        return {
            "title": TITLE_SHOWN_LENGTH,
            "description": DESCRIPTION_SHOWN_LENGTH,
            "excerpt": DESCRIPTION_LENGTH,
            "separator": TITLE_SEPARATOR,
        }


def _saved_image_url(image: FieldFile | None) -> str:
    # A file chosen in a form that was then refused is not stored yet: it has no address.
    if not image or not getattr(image, "_committed", True):
        return ""
    return str(image.url)


def _address(post: Post) -> str:
    """The post's absolute address, or the site's while it has no slug (a new post)."""
    try:
        return absolute_url(post.get_absolute_url()) if post.slug else ""
    except NoReverseMatch:
        return ""


def preview_of(post: Post) -> SeoPreview:
    """The post as search engines and social networks will show it, from its fields alone."""
    site = urlsplit(settings.LINERNOTES_SITE_URL)
    address = urlsplit(_address(post) or settings.LINERNOTES_SITE_URL)
    title, description = search_title(post), search_description(post)
    social, hero = _saved_image_url(post.social_image), _saved_image_url(post.hero_image)
    return SeoPreview(
        site_name=settings.LINERNOTES_SITE_NAME,
        site_address=f"{address.scheme}://{address.netloc}",
        crumbs=[part for part in address.path.split("/") if part],
        title=title,
        card_title=social_title(post),
        description=description,
        snippet=cut_at_word(description, DESCRIPTION_SHOWN_LENGTH),
        host=site.hostname or site.netloc,
        image_url=social or hero,
        image_alt=post.social_image_alt if social else post.hero_image_alt if hero else "",
        canonical=canonical_address(post),
        title_length=len(title),
        description_length=len(description),
        excerpt=post.auto_excerpt,
        social_image_url=social,
        hero_image_url=hero,
    )


def _with_preview(options: _FieldOpts) -> _FieldOpts:
    """The options of a fieldset, with the preview after the fields of the one it belongs to."""
    fields = list(options["fields"])
    if SEO_FIELDSET_CLASS not in options.get("classes", ()) or PREVIEW_FIELD in fields:
        return options
    return {**options, "fields": [*fields, PREVIEW_FIELD]}


class SeoFieldsAdminMixin(_Base):
    def get_form(
        self, request: HttpRequest, obj: Post | None = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm[Post]]:
        kwargs["form"] = with_seo_checks(kwargs.get("form", self.form))
        form = super().get_form(request, obj, change, **kwargs)
        if "canonical_url" in form.base_fields:
            # Only web addresses: the field's own check also lets ftp:// through.
            form.base_fields["canonical_url"].validators = [validate_web_address]
        return form

    def get_fieldsets(self, request: HttpRequest, obj: Post | None = None) -> _FieldsetSpec:
        # New lists: the class's own fieldsets are shared by every request.
        return [
            (name, _with_preview(options)) for name, options in super().get_fieldsets(request, obj)
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Post | None = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if PREVIEW_FIELD in readonly else [*readonly, PREVIEW_FIELD]

    @admin.display(description="Preview")
    def seo_preview(self, obj: Post) -> SafeString:
        return render_to_string("admin/content/post/seo_preview.html", {"seo": preview_of(obj)})

    @property
    def media(self) -> forms.Media:
        return super().media + forms.Media(
            js=["content/seo-preview.js"], css={"all": ["content/seo-preview.css"]}
        )
