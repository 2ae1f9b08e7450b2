"""Redirect rules in the admin: manual ones, and the ones created when a post moved."""

from __future__ import annotations

from django.contrib import admin

from linernotes.seo.models import Redirect


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin[Redirect]):
    list_display = ["old_path", "new_path", "match", "status", "position", "hits", "automatic"]
    list_filter = ["match", "status", "automatic"]
    search_fields = ["old_path", "new_path"]
    readonly_fields = ["hits", "automatic", "created_at", "updated_at"]
    fields = ["old_path", "new_path", "match", "status", "position", *readonly_fields]
