"""The admin's side of revisions: a mixin for the post and page ModelAdmins.

Listing the mixin as a base class is all the wiring: every admin save records a revision, and
the object gains three pages, ``<id>/revisions/`` (the history), ``<id>/revisions/compare/?a=N&b=M``
(a diff) and ``<id>/revisions/<number>/restore/`` (confirm on GET, restore on POST). The change
form links to the history from its object tools (admin/content/revisions/link.html).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse

from linernotes.content.models import Page, Post
from linernotes.content.ownership import may_edit
from linernotes.content.revision_diffs import id_of
from linernotes.content.revision_models import Revision
from linernotes.content.revisions import (
    KEPT_ON_RESTORE,
    Content,
    diff_revisions,
    record_revision,
    restore_revision,
    revisions_of,
    snapshot,
)
from linernotes.content.signals import send_saved_in_admin

HISTORY_PAGE_SIZE = 50
TEMPLATES = "admin/content/revisions"


class RevisionAdminMixin(admin.ModelAdmin[Any]):
    """Revisions for a Post or Page ModelAdmin (see the module's description)."""

    # A revision is recorded where the admin writes its own log entry: after save_model and
    # every save_related (including the ModelAdmin's own adjustments of categories and
    # bylines after its super() call), in the same transaction, for the change form and the
    # list's editable columns alike.
    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> LogEntry:
        entry = super().log_addition(request, obj, message)
        record_revision(obj, by=request.user)
        return entry

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> LogEntry:
        entry = super().log_change(request, obj, message)
        record_revision(obj, by=request.user)
        return entry

    def get_urls(self) -> list[URLPattern]:
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view  # staff only, CSRF-protected
        own = [
            path(
                "<path:object_id>/revisions/",
                wrap(self.revisions_view),
                name=f"{name}_revisions",
            ),
            path(
                "<path:object_id>/revisions/compare/",
                wrap(self.compare_revisions_view),
                name=f"{name}_revisions_compare",
            ),
            path(
                "<path:object_id>/revisions/<int:number>/restore/",
                wrap(self.restore_revision_view),
                name=f"{name}_revision_restore",
            ),
        ]
        # Before the ModelAdmin's own, whose "<path:object_id>/" would take these addresses.
        return own + super().get_urls()

    def revisions_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The history: number, kind, who and when, two to pick and compare."""
        obj = self._visible_object(request, object_id)
        revisions = revisions_of(obj).select_related("by")
        page = Paginator(revisions, HISTORY_PAGE_SIZE).get_page(request.GET.get("p"))
        return self._page(
            request,
            "history.html",
            obj,
            f"Revisions of “{obj}”",
            page=page,
            may_restore=self._may_restore(request, obj),
        )

    def compare_revisions_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """What changed between revisions ``a`` and ``b``, the older one first."""
        obj = self._visible_object(request, object_id)
        chosen = {id_of(request.GET.get("a")), id_of(request.GET.get("b"))}
        numbers = sorted(number for number in chosen if number is not None)
        if len(numbers) != 2:
            messages.warning(request, "Pick two different revisions to compare.")
            return redirect(self._url("revisions", obj))
        older, newer = (get_object_or_404(revisions_of(obj), number=n) for n in numbers)
        return self._page(
            request,
            "compare.html",
            obj,
            f"Revision {older.number} → {newer.number} of “{obj}”",
            older=older,
            newer=newer,
            changes=diff_revisions(older, newer),
        )

    def restore_revision_view(
        self, request: HttpRequest, object_id: str, number: int
    ) -> HttpResponse:
        """GET asks for confirmation, showing what would change; only POST restores."""
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
        obj = self._visible_object(request, object_id)
        if not self._may_restore(request, obj):
            raise PermissionDenied
        revision = get_object_or_404(revisions_of(obj), number=number)
        if request.method == "POST":
            return self._restore(request, obj, revision)
        return self._page(
            request,
            "restore.html",
            obj,
            f"Restore revision {revision.number} of “{obj}”?",
            revision=revision,
            kept=(
                "Its status and publication time stay as they are"
                if isinstance(obj, Post)
                else "Its status stays as it is"
            ),
            changes=diff_revisions(snapshot(obj), revision, ignore=KEPT_ON_RESTORE),
        )

    def _restore(self, request: HttpRequest, obj: Content, revision: Revision) -> HttpResponse:
        try:
            restore_revision(revision, by=request.user)
        except ValidationError as error:
            problems = "; ".join(error.messages)
            messages.error(request, f"Revision {revision.number} cannot be restored: {problems}")
            return redirect(self._url("revisions", obj))
        messages.success(request, f"Revision {revision.number} is restored.")
        send_saved_in_admin(request, obj)
        return redirect(self._url("change", obj))

    def _visible_object(self, request: HttpRequest, object_id: str) -> Content:
        """The object, if ``request``'s user may see it in this admin; else 404 or 403."""
        obj = self.get_object(request, unquote(object_id))
        if not isinstance(obj, Post | Page):
            raise Http404(f"No {self.opts.verbose_name} with this id.")
        visible = self.get_queryset(request).filter(pk=obj.pk).exists()
        if not (visible and self.has_view_permission(request, obj)):
            raise PermissionDenied
        return obj

    def _may_restore(self, request: HttpRequest, obj: Content) -> bool:
        if not self.has_change_permission(request, obj):
            return False
        return not isinstance(obj, Post) or may_edit(request.user, obj)

    def _url(self, view: str, obj: Content) -> str:
        name = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{view}"
        return reverse(name, args=[quote(obj.pk)])

    def _page(
        self, request: HttpRequest, template: str, obj: Content, title: str, **context: Any
    ) -> TemplateResponse:
        return TemplateResponse(
            request,
            f"{TEMPLATES}/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": obj,
                "title": title,
                "history_url": self._url("revisions", obj),
                **context,
            },
        )
