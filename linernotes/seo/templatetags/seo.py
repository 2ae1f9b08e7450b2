"""``{% seo_title %}`` and ``{% seo_head %}``: the page's metadata, from its own context."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.template import Context

from linernotes.seo.metadata import PageMetadata, describe_page
from linernotes.seo.structured_data import json_ld_script

register = template.Library()

_DESCRIBED = "linernotes.seo.page_metadata"


def described_page(context: Context) -> PageMetadata:
    """The page's metadata, worked out once per rendering however many tags ask for it.

    The render context is shared by a template and the base templates it extends (not by
    includes), which is where the title and the head tags are.
    """
    meta: PageMetadata | None = context.render_context.get(_DESCRIBED)
    if meta is None:
        meta = context.render_context[_DESCRIBED] = describe_page(context)
    return meta


@register.simple_tag(takes_context=True)
def seo_title(context: Context) -> str:
    return described_page(context).title


@register.inclusion_tag("seo/tags.html", takes_context=True)
def seo_head(context: Context) -> dict[str, Any]:
    meta = described_page(context)
    return {
        "meta": meta,
        "json_ld": json_ld_script(meta),
        "listing": context.get("listing"),
        "site_url": settings.LINERNOTES_SITE_URL,
        "site_name": settings.LINERNOTES_SITE_NAME,
        "twitter_site": settings.LINERNOTES_TWITTER_SITE,
    }
