"""The writing screen in the admin: the Markdown editor on the body, its live preview, and
autosave.

The preview is rendered on the server by the same pipeline (render_markdown) and, through
content.editing, the same templates as the published page; nothing is saved. Autosave keeps
what a writer typed in their autosave revision (content.revisions.autosave) every few
seconds, without touching the post; reopening the post offers it back.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from linernotes.content.admin_locking import saved_since_message
from linernotes.content.editing import render_page
from linernotes.content.editor import MarkdownEditor
from linernotes.content.models import Post
from linernotes.content.revisions import autosave, autosave_offer, discard_autosave
from linernotes.content.validators import validate_body_size

# What the preview takes from the form; everything else comes from the saved object.
PREVIEWED_FIELDS = ("title", "slug", "summary", "body", "external_url")
# What autosave keeps: the text being written.
AUTOSAVED_FIELDS = ("title", "summary", "body")


def _clock(moment: Any) -> str:
    return f"{timezone.localtime(moment):%H:%M:%S}"


def _conflict(obj: Any, seen_version: str) -> str:
    """Why saving now would be refused: the post was saved by someone since it was opened."""
    if not isinstance(obj, Post) or not seen_version.isdigit():
        return ""
    if int(seen_version) == obj.version:
        return ""
    return saved_since_message(obj)


class WritingScreenMixin(admin.ModelAdmin[Any]):
    """For the Post and Page admins: the editor widget and ``<object>/preview/`` endpoints."""

    def formfield_for_dbfield(
        self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "body":
            kwargs["widget"] = MarkdownEditor(preview_url=self._preview_url())
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_urls(self) -> list[URLPattern]:
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("preview/", wrap(require_POST(self.preview_view)), name=f"{prefix}_preview"),
            path(
                "<path:object_id>/autosave/",
                wrap(require_http_methods(["GET", "POST"])(self.autosave_view)),
                name=f"{prefix}_autosave",
            ),
            path(
                "<path:object_id>/autosave/discard/",
                wrap(require_POST(self.discard_autosave_view)),
                name=f"{prefix}_autosave_discard",
            ),
            *super().get_urls(),
        ]

    def _preview_url(self) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_preview")

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        body = form.base_fields.get("body")
        if obj is not None and body is not None:
            name = f"admin:{self.opts.app_label}_{self.opts.model_name}_autosave"
            body.widget.attrs["data-autosave-url"] = reverse(name, args=[obj.pk])
        return form

    def autosave_view(self, request: HttpRequest, object_id: str) -> JsonResponse:
        """POST: keep the typed text in the writer's autosave. GET: that autosave, if it is
        newer than the last save (what a reopened form offers back)."""
        obj = self._editable(request, object_id)
        if request.method == "GET":
            return JsonResponse(autosave_offer(obj, request.user))
        data = {name: request.POST[name] for name in AUTOSAVED_FIELDS if name in request.POST}
        try:
            validate_body_size(str(data.get("body", "")))
        except ValidationError as problem:
            return JsonResponse({"error": " ".join(problem.messages)}, status=413)
        revision = autosave(obj, by=request.user, data=data)
        return JsonResponse(
            {
                "saved_at": _clock(revision.updated_at),
                "conflict": _conflict(obj, request.POST.get("seen_version", "")),
            }
        )

    def discard_autosave_view(self, request: HttpRequest, object_id: str) -> JsonResponse:
        obj = self._editable(request, object_id)
        discarded = discard_autosave(obj, request.user)
        return JsonResponse({"discarded": discarded})

    def _editable(self, request: HttpRequest, object_id: str) -> Any:
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj

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
