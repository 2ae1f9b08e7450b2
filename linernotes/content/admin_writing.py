"""The writing screen in the admin: the Markdown editor on the body, and its live preview.

The preview is rendered on the server by the same pipeline (render_markdown) and, through
content.editing, the same templates as the published page; nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from linernotes.content.editing import render_page
from linernotes.content.editor import MarkdownEditor
from linernotes.content.validators import validate_body_size

# What the preview takes from the form; everything else comes from the saved object.
PREVIEWED_FIELDS = ("title", "slug", "summary", "body", "external_url")


class WritingScreenMixin(admin.ModelAdmin[Any]):
    """For the Post and Page admins: the editor widget and ``<object>/preview/`` endpoints."""

    def formfield_for_dbfield(
        self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "body":
            kwargs["widget"] = MarkdownEditor(preview_url=self._preview_url())
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_urls(self) -> list[URLPattern]:
        name = f"{self.opts.app_label}_{self.opts.model_name}_preview"
        view = self.admin_site.admin_view(require_POST(self.preview_view))
        return [path("preview/", view, name=name), *super().get_urls()]

    def _preview_url(self) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_preview")

    def preview_view(self, request: HttpRequest) -> JsonResponse:
        """The page as it would be published, for the text in the editor, as JSON."""
        obj = self._object_to_preview(request)
        for field in PREVIEWED_FIELDS:
            if field in request.POST and hasattr(obj, field):
                setattr(obj, field, request.POST[field])
        try:
            validate_body_size(obj.body)
        except ValidationError as problem:
            return JsonResponse({"error": " ".join(problem.messages)}, status=413)
        obj.render()
        words = getattr(obj, "word_count", 0)
        return JsonResponse(
            {
                "html": render_page(request, obj),
                "words": words,
                "minutes": getattr(obj, "reading_minutes", 0),
            }
        )

    def _object_to_preview(self, request: HttpRequest) -> Any:
        object_id = request.POST.get("object_id", "")
        if not object_id:
            if not self.has_add_permission(request):
                raise PermissionDenied
            return self.model()
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj
