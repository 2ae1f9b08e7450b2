"""Previews and share links in the posts' admin: a mixin for the Post ModelAdmin.

``class PostAdmin(PreviewAdminMixin, admin.ModelAdmin[Post])`` is all the wiring. The mixin
adds ``<id>/share/`` (make a share link) and ``<id>/share/revoke/`` (revoke them all), which
answer POST only, behind the admin's sign-in and CSRF check, for those who may edit the post;
and it gives the change form (admin/content/post/change_form.html) a ``preview`` to show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from linernotes.content.addresses import absolute_url
from linernotes.content.models import Post
from linernotes.content.previews import (
    has_share_links,
    may_preview,
    may_share,
    preview_parts,
    revoke_share_links,
    share_token,
)

if TYPE_CHECKING:
    _Base = admin.ModelAdmin[Post]
else:
    # At run time a plain mixin, placed before ModelAdmin among PostAdmin's bases.
    _Base = object


class PreviewAdminMixin(_Base):
    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        # Before the admin's own, whose "<path:object_id>/" would take these addresses.
        return [
            path(
                "<path:object_id>/share/revoke/",
                wrap(require_POST(self.revoke_share_view)),
                name=f"{name}_share_revoke",
            ),
            path(
                "<path:object_id>/share/",
                wrap(require_POST(self.share_view)),
                name=f"{name}_share",
            ),
            *super().get_urls(),
        ]

    def share_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        post = self._post_to_share(request, object_id)
        token = share_token(post)
        ready = format_html(
            'Share links are ready (see "Share links"); each works for {} days.',
            settings.LINERNOTES_PREVIEW_LINK_DAYS,
        )
        # The first view (the post page), also here in case the form shows no share section.
        for label, address in preview_parts(token)[:1]:
            link = absolute_url(address)
            ready = format_html('{} {}: <a href="{}">{}</a>', ready, label, link, link)
        messages.success(request, ready)
        return self._back_to(post)

    def revoke_share_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        post = self._post_to_share(request, object_id)
        revoke_share_links(post)
        messages.success(request, "Every share link of this post has stopped working.")
        return self._back_to(post)

    def _post_to_share(self, request: HttpRequest, object_id: str) -> Post:
        post = self.get_object(request, unquote(object_id))
        if post is None:
            raise Http404("No such post")
        if not may_share(request.user, post):
            raise PermissionDenied("You may not share this post.")
        return post

    def _back_to(self, post: Post) -> HttpResponseRedirect:
        return HttpResponseRedirect(f"{self._admin_url('change', post)}#share-links")

    def _admin_url(self, view: str, post: Post) -> str:
        name = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{view}"
        return reverse(name, args=[quote(post.pk)])

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Post | None = None,
    ) -> HttpResponse:
        if obj is not None and obj.pk is not None:
            context["preview"] = self.preview_context(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def preview_context(self, request: HttpRequest, post: Post) -> dict[str, Any]:
        """What the change form shows of the post's preview and share links."""
        sharing = may_share(request.user, post)
        # Only a link already made is shown again: showing the form makes no key.
        token = share_token(post) if sharing and has_share_links(post) else ""
        parts = preview_parts(token) if token else []
        links = [(label, absolute_url(part)) for label, part in parts]
        return {
            "url": post.get_absolute_url() if may_preview(request.user, post) else "",
            "may_share": sharing,
            "links": links,
            "days": settings.LINERNOTES_PREVIEW_LINK_DAYS,
            "share_url": self._admin_url("share", post),
            "revoke_url": self._admin_url("share_revoke", post),
        }
