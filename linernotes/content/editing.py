"""The writing screen's seam: how a post or page under edit is shown as readers would see it.

The admin (here, in content) owns the writing screen and decides who may preview what; the
public pages belong to the site app, which registers how to render each model. So the live
preview comes from the same templates as the published page, with no import of the site.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

# (request, unsaved or saved object with its rendered body) -> the whole page as HTML
PageRenderer = Callable[[HttpRequest, Any], str]

_renderers: dict[type, PageRenderer] = {}


def render_pages_with(model: type, renderer: PageRenderer) -> None:
    _renderers[model] = renderer


def render_page(request: HttpRequest, obj: Any) -> str:
    """The public page of ``obj`` as it stands in the editor (the body alone if no app
    renders pages, as in a project without the site app)."""
    renderer = _renderers.get(type(obj))
    return renderer(request, obj) if renderer else str(obj.body_html)
