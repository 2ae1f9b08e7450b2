"""The Markdown editor of the writing screen: a textarea that the editor script upgrades.

Without JavaScript it stays a plain (large) textarea, and the form works as before.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

EASYMDE = "content/vendor/easymde/"


class MarkdownEditor(forms.Textarea):
    """The body field: EasyMDE with server-rendered previews (see content/static/content)."""

    def __init__(self, *, preview_url: str = "", attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={
                "rows": 24,
                "class": "markdown-editor",
                "data-markdown-editor": "",
                "data-preview-url": preview_url,
                "data-words-per-minute": str(settings.LINERNOTES_WORDS_PER_MINUTE),
                "spellcheck": "true",
                **(attrs or {}),
            }
        )

    class Media:
        css = {"all": [f"{EASYMDE}easymde.min.css", "content/editor.css"]}
        js = [f"{EASYMDE}easymde.min.js", "content/editor.js", "content/autosave.js"]
