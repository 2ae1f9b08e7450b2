"""Editing a published post without taking the live version down: a pending change.

On a published post's form, *Keep as a pending change* stores the edit as a pending revision
(content.revisions.pending_change) instead of saving the post; the live post, its categories
and its bylines stay as they are. Whoever may publish the post makes the change live later
from the revision history (*Publish this change*).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.forms import BaseInlineFormSet, ModelForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from linernotes.content.models import Byline, Post, Status
from linernotes.content.ownership import may_publish
from linernotes.content.revision_models import Revision, RevisionKind
from linernotes.content.revisions import pending_change, publish_pending, revisions_of
from linernotes.content.signals import send_saved_in_admin

KEEP_PENDING = "_pending"
TEXT = ("title", "slug", "summary", "body")
SETTINGS = ("featured", "hero_image_alt", "external_url", "noindex")


def keeps_pending(request: HttpRequest, post: Post) -> bool:
    """This save of ``post`` is to be kept aside: asked for, and the post is live."""
    if KEEP_PENDING not in request.POST or post.pk is None:
        return False
    return Post.objects.filter(pk=post.pk, status=Status.PUBLISHED).exists()


def pending_data(
    form: ModelForm[Post], formsets: list[BaseInlineFormSet[Any, Any, Any]]
) -> dict[str, Any]:
    """What the form holds, in the names a revision uses."""
    cleaned = form.cleaned_data
    data: dict[str, Any] = {name: cleaned[name] for name in (*TEXT, *SETTINGS) if name in cleaned}
    if "categories" in cleaned:
        data["categories"] = sorted(category.pk for category in cleaned["categories"])
    if "primary_category" in cleaned:
        primary = cleaned["primary_category"]
        data["primary_category"] = primary.pk if primary else None
    for formset in formsets:
        if formset.model is Byline:
            kept = [
                f.cleaned_data
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            kept.sort(key=lambda byline: byline.get("position") or 0)
            data["bylines"] = [{"author": b["author"].pk, "role": b.get("role", "")} for b in kept]
    return data


class PendingChangeAdminMixin(admin.ModelAdmin[Post]):
    """For PostAdmin: the pending change's form button, its notice, and publishing it."""

    def keep_pending(self, request: HttpRequest, form: ModelForm[Post], formsets: Any) -> Revision:
        revision = pending_change(form.instance, by=request.user, data=pending_data(form, formsets))
        request.pending_revision = revision  # type: ignore[attr-defined]
        return revision

    def construct_change_message(
        self, request: HttpRequest, form: Any, formsets: Any, add: bool = False
    ) -> Any:
        # The formsets were not saved, so they have no record of what they would have changed.
        if getattr(request, "pending_revision", None) is not None:
            return []
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        # Nothing was saved: no log entry, and no "saved" revision of the unchanged post.
        if getattr(request, "pending_revision", None) is not None:
            return None
        return super().log_change(request, obj, message)

    def response_change(self, request: HttpRequest, obj: Post) -> HttpResponse:
        revision = getattr(request, "pending_revision", None)
        if revision is None:
            return super().response_change(request, obj)
        messages.success(
            request,
            f"Your change is kept as pending revision {revision.number}; the published post "
            "is unchanged until the change is published from its revisions.",
        )
        return HttpResponseRedirect(request.path)

    def get_urls(self) -> list[URLPattern]:
        name = f"{self.opts.app_label}_{self.opts.model_name}_publish_pending"
        view = self.admin_site.admin_view(require_POST(self.publish_pending_view))
        own = [path("<path:object_id>/revisions/<int:number>/publish/", view, name=name)]
        return own + super().get_urls()

    def publish_pending_view(
        self, request: HttpRequest, object_id: str, number: int
    ) -> HttpResponse:
        post = self.get_object(request, unquote(object_id))
        if post is None:
            raise Http404
        if not may_publish(request.user, post):
            raise PermissionDenied
        revision = get_object_or_404(revisions_of(post), number=number, kind=RevisionKind.PENDING)
        try:
            publish_pending(revision, by=request.user)
        except ValueError as problem:
            messages.error(request, str(problem))
        else:
            messages.success(request, f"Revision {number} is live.")
            send_saved_in_admin(request, post)
        return HttpResponseRedirect(reverse("admin:content_post_change", args=[quote(post.pk)]))

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        post = self.get_object(request, unquote(object_id))
        context = dict(extra_context or {})
        if post is not None and post.status == Status.PUBLISHED:
            revisions = revisions_of(post)
            live = revisions.exclude(kind__in=[RevisionKind.PENDING, RevisionKind.AUTOSAVE])
            context["pending"] = {
                "field": KEEP_PENDING,
                "waiting": revisions.filter(kind=RevisionKind.PENDING).select_related("by").first(),
                "live_number": live.values_list("number", flat=True).first(),
                "may_publish": may_publish(request.user, post),
            }
        return super().change_view(request, object_id, form_url, context)
