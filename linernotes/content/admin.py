"""The editors' admin: posts with inline bylines, categories with aliases, authors, pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from linernotes.content import services
from linernotes.content.models import Author, Byline, Category, CategoryAlias, Page, Post, Status

# Addresses typed without a scheme are taken as https, as browsers and Django 6 do.
URL_FIELDS_ASSUME_HTTPS: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class BylineInline(admin.TabularInline[Byline, Post]):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["position", "author", "role"]


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


@admin.register(Post)
class PostAdmin(admin.ModelAdmin[Post]):
    list_display = ["title", "status", "published_at", "primary_category", "featured"]
    list_filter = ["status", "featured", "categories"]
    search_fields = ["title", "summary", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["categories"]
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    inlines = [BylineInline]
    actions = ["publish_selected", "unpublish_selected"]
    readonly_fields = ["word_count", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "body", "summary"]}),
        ("Publishing", {"fields": ["status", "published_at", "featured", "updated_at"]}),
        ("Categories", {"fields": ["categories", "primary_category"]}),
        ("Hero image", {"fields": ["hero_image", "hero_image_alt"]}),
        ("Link post", {"fields": ["external_url"], "classes": ["collapse"]}),
        ("Search engines", {"fields": ["noindex"], "classes": ["collapse"]}),
        ("Statistics", {"fields": ["word_count"], "classes": ["collapse"]}),
    ]

    def save_model(
        self, request: HttpRequest, obj: Post, form: ModelForm[Post], change: bool
    ) -> None:
        # Status changes go through the services so other parts of the site hear about them.
        was_public = change and Post.objects.published().filter(pk=obj.pk).exists()
        if obj.status == Status.PUBLISHED:
            services.publish_post(post=obj, at=obj.published_at)
        elif was_public:
            services.unpublish_post(post=obj)
        else:
            obj.save()

    def save_related(
        self, request: HttpRequest, form: ModelForm[Post], formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        post: Post = form.instance
        primary, chosen = post.primary_category, list(post.categories.all())
        if primary in chosen or (primary is None and not chosen):
            return
        # Keep the invariant that the primary category is one of the post's categories.
        services.set_post_categories(
            post=post, categories=[primary, *chosen] if primary else chosen
        )

    @admin.action(description="Publish selected posts", permissions=["change"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        for post in queryset.exclude(status=Status.PUBLISHED):
            services.publish_post(post=post)
        messages.success(request, "The selected posts are published.")

    @admin.action(description="Return selected posts to draft", permissions=["change"])
    def unpublish_selected(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        for post in queryset.filter(status=Status.PUBLISHED):
            services.unpublish_post(post=post)
        messages.success(request, "The selected posts are drafts again.")


@admin.register(Page)
class PageAdmin(admin.ModelAdmin[Page]):
    list_display = ["title", "slug", "status", "show_in_navigation", "navigation_order"]
    list_editable = ["navigation_order", "show_in_navigation"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title", "body"]
