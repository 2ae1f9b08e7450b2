"""The editors' admin: posts with inline bylines, categories with aliases, authors, pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Max, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse

from linernotes.content import ownership, services
from linernotes.content.admin_locking import SEEN_VERSION, VersionedPostForm
from linernotes.content.admin_media import MediaFileAdmin, MediaLibraryEditorMixin
from linernotes.content.admin_pending import PendingChangeAdminMixin, keeps_pending
from linernotes.content.admin_previews import PreviewAdminMixin
from linernotes.content.admin_revisions import RevisionAdminMixin
from linernotes.content.admin_seo import SeoFieldsAdminMixin
from linernotes.content.admin_writing import WritingScreenMixin
from linernotes.content.models import (
    Author,
    Byline,
    Category,
    CategoryAlias,
    MediaFile,
    Page,
    Post,
    Status,
)
from linernotes.content.signals import send_saved_in_admin

# Addresses typed without a scheme are taken as https, as browsers and Django 6 do.
URL_FIELDS_ASSUME_HTTPS: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class BylineInline(admin.StackedInline[Byline, Post]):
    """Bylines as an ordered list: content/bylines.js makes it sortable (drag, or the move
    buttons from the keyboard) and numbers the hidden positions in the order shown."""

    model = Byline
    extra = 0
    fields = ["author", "role", "position"]
    verbose_name = "author"
    verbose_name_plural = "bylines (in the order shown)"
    classes = ["bylines-inline"]

    @property
    def media(self) -> forms.Media:
        return super().media + forms.Media(
            js=["content/bylines.js"], css={"all": ["content/bylines.css"]}
        )


class CategoryAliasInline(admin.TabularInline[CategoryAlias, Category]):
    model = CategoryAlias
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = ["name", "slug", "position", "colour"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CategoryAliasInline]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin[Author]):
    list_display = ["name", "role", "user"]
    search_fields = ["name", "role"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, str]]:
        labels = {Status.REVIEW: "Waiting for review"}
        return [(status.value, labels.get(status, status.label)) for status in Status]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(Post)
class PostAdmin(
    SeoFieldsAdminMixin,
    PreviewAdminMixin,
    PendingChangeAdminMixin,
    RevisionAdminMixin,
    MediaLibraryEditorMixin,
    WritingScreenMixin,
    admin.ModelAdmin[Post],
):
    """Writers see and change their own posts; editors everyone's (see content.ownership)."""

    list_display = ["title", "status", "published_at", "primary_category", "featured"]
    list_filter = [StatusFilter, "featured", "categories"]
    search_fields = ["title", "summary", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = {
        **URL_FIELDS_ASSUME_HTTPS,
        # A blog has a few dozen categories: ticked in a list, not picked in a two-box widget.
        models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple},
    }
    form = VersionedPostForm
    inlines = [BylineInline]
    actions = ["publish_selected", "unpublish_selected"]

    class Media:
        js = ["content/categories.js"]

    readonly_fields = ["word_count", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "body", "summary", SEEN_VERSION]}),
        ("Publishing", {"fields": ["status", "published_at", "featured", "updated_at"]}),
        ("Categories", {"fields": ["categories", "primary_category"]}),
        ("Hero image", {"fields": ["hero_image", "hero_image_alt"]}),
        ("Link post", {"fields": ["external_url"], "classes": ["collapse"]}),
        (
            "Search engines and social cards",
            {
                "fields": [
                    *("meta_title", "meta_description", "canonical_url"),
                    *("social_image", "social_image_alt", "noindex"),
                ],
                "classes": ["collapse", "seo-fields"],
            },
        ),
        ("Statistics", {"fields": ["word_count"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Post]:
        posts = super().get_queryset(request)
        if request.user.has_perm(ownership.CHANGE) and not ownership.edits_everyones(request.user):
            return ownership.editable_posts(request.user, posts)
        return posts

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Post | None:
        # Looked up among all posts, so that someone else's post answers 403 (the permission
        # checks below) rather than "does not exist".
        field = Post._meta.pk if from_field is None else Post._meta.get_field(from_field)
        assert field is not None
        try:
            return Post.objects.get(**{field.name: field.to_python(object_id)})  # type: ignore[union-attr]
        except (Post.DoesNotExist, ValidationError, ValueError):
            return None

    def has_view_permission(self, request: HttpRequest, obj: Post | None = None) -> bool:
        if obj is not None and not self.get_queryset(request).filter(pk=obj.pk).exists():
            return False
        return super().has_view_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Post | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or ownership.may_edit(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Post | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or ownership.may_edit(request.user, obj))

    def has_publish_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user.has_perm(ownership.CHANGE) and (
            user.has_perm(ownership.PUBLISH_OWN) or ownership.edits_everyones(user)
        )

    def get_form(
        self, request: HttpRequest, obj: Post | None = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm[Post]]:
        form = super().get_form(request, obj, change, **kwargs)
        if "status" in form.base_fields:
            # Only the statuses this user may choose are offered; a status posted all the
            # same is refused by the service with 403.
            allowed = ownership.allowed_statuses(request.user, obj or Post())
            field = form.base_fields["status"]
            field.widget.choices = [(s.value, s.label) for s in allowed]
            if not ownership.may_publish(request.user, obj or Post()):
                field.help_text = "An editor publishes the post once you submit it for review."
        if "published_at" in form.base_fields:
            # One label for two boxes: each box gets a name of its own for screen readers.
            date, time = form.base_fields["published_at"].widget.widgets
            date.attrs["aria-label"], time.attrs["aria-label"] = "Publication date", "Time"
        return form

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # An action this user is not offered, posted all the same, is refused outright
        # (the admin would quietly show the list again).
        action = request.POST.get("action")
        if action in set(self.actions or ()) - set(self.get_actions(request)):
            raise PermissionDenied
        return super().changelist_view(request, extra_context)

    def response_action(
        self, request: HttpRequest, queryset: QuerySet[Post], *args: Any, **kwargs: Any
    ) -> HttpResponse | None:
        # Posts outside this user's list, chosen all the same, are refused, not skipped.
        chosen = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if Post.objects.filter(pk__in=chosen).exclude(pk__in=queryset.values("pk")).exists():
            raise PermissionDenied
        return super().response_action(request, queryset, *args, **kwargs)

    def save_model(
        self, request: HttpRequest, obj: Post, form: ModelForm[Post], change: bool
    ) -> None:
        # Status changes go through the services, which check the user's rights and tell
        # other parts of the site; a refusal (403) rolls the whole form back.
        if keeps_pending(request, obj):
            return  # kept aside in save_related, where the bylines are at hand
        services.save_post(post=obj, by=request.user)

    def save_related(
        self, request: HttpRequest, form: ModelForm[Post], formsets: Any, change: bool
    ) -> None:
        if keeps_pending(request, form.instance):
            self.keep_pending(request, form, formsets)
            return
        super().save_related(request, form, formsets, change)
        post: Post = form.instance
        self._keep_writer_credited(request, post)
        send_saved_in_admin(request, post)
        primary, chosen = post.primary_category, list(post.categories.all())
        if primary in chosen or (primary is None and not chosen):
            return
        # Keep the invariant that the primary category is one of the post's categories.
        services.set_post_categories(
            post=post, categories=[primary, *chosen] if primary else chosen
        )

    def _keep_writer_credited(self, request: HttpRequest, post: Post) -> None:
        """A writer's post stays theirs: their author is put back on a byline without it."""
        author = Author.objects.filter(user=request.user.pk).first() if request.user.pk else None
        if author is None or ownership.edits_everyones(request.user):
            return
        if not post.bylines.filter(author=author).exists():
            last = post.bylines.aggregate(last=Max("position"))["last"]
            Byline.objects.create(post=post, author=author, position=(last or 0) + 1)

    @admin.action(description="Publish selected posts", permissions=["publish"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        for post in queryset.exclude(status=Status.PUBLISHED):
            services.publish_post(post=post, by=request.user)
            send_saved_in_admin(request, post)
        messages.success(request, "The selected posts are published.")

    @admin.action(description="Return selected posts to draft", permissions=["publish"])
    def unpublish_selected(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        for post in queryset.filter(status__in=[Status.PUBLISHED, Status.SCHEDULED]):
            services.unpublish_post(post=post, by=request.user)
            send_saved_in_admin(request, post)
        messages.success(request, "The selected posts are drafts again.")


@admin.register(Page)
class PageAdmin(
    RevisionAdminMixin, MediaLibraryEditorMixin, WritingScreenMixin, admin.ModelAdmin[Page]
):
    list_display = ["title", "slug", "status", "show_in_navigation", "navigation_order"]
    list_editable = ["navigation_order", "show_in_navigation"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title", "body"]

    def save_related(
        self, request: HttpRequest, form: ModelForm[Page], formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        send_saved_in_admin(request, form.instance)


admin.site.register(MediaFile, MediaFileAdmin)
