"""The admin's import page (upload, dry-run report, confirm) and the list of imported items."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path

from linernotes.content.admin_pages import AdminPage
from linernotes.importers.admin_uploads import forget_upload, keep_upload, kept_upload
from linernotes.importers.models import ImportedItem
from linernotes.importers.records import UnreadableSource
from linernotes.importers.report import ImportReport
from linernotes.importers.sources import read_source

# Importing writes posts, authors, categories, pages and redirects: the right to add each.
IMPORT_PERMISSIONS = (
    "importers.add_importeditem",
    "content.add_post",
    "content.add_page",
    "content.add_author",
    "content.add_category",
    "seo.add_redirect",
)
SOURCES = [
    ("wordpress", "WordPress export (.xml)"),
    ("ghost", "Ghost export (.json)"),
    ("markdown", "Jekyll, Hugo or Zola site (.zip of the folder)"),
]


class ImportForm(forms.Form):
    source = forms.ChoiceField(choices=SOURCES)
    file = forms.FileField(help_text="Checked first: nothing is imported until you confirm.")
    download_media = forms.BooleanField(
        required=False, help_text="Fetch images the export links to on other sites."
    )

    def clean_file(self) -> Any:
        from django.conf import settings
        from django.template.defaultfilters import filesizeformat

        file = self.cleaned_data["file"]
        if file.size > settings.LINERNOTES_MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                f"This file is {filesizeformat(file.size)}; the admin takes exports of up to "
                f"{filesizeformat(settings.LINERNOTES_MAX_IMPORT_BYTES)}. Use "
                "`linernotes import` on the server for bigger ones."
            )
        return file


class ImportView(AdminPage):
    template_name = "admin/importers/import.html"
    title = "Import a blog"

    def allowed(self, request: HttpRequest) -> bool:
        return all(request.user.has_perm(permission) for permission in IMPORT_PERMISSIONS)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request, form=ImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        if "token" in request.POST:
            return self._confirm(request)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(request, form=form)
        source, upload = form.cleaned_data["source"], form.cleaned_data["file"]
        try:
            kept = keep_upload(
                upload, upload.name, user_id=_user_id(request), unpack=source == "markdown"
            )
            report = _run(source, kept.path, dry_run=True, download=False)
        except UnreadableSource as problem:
            form.add_error("file", f"Nothing can be imported from this file. {problem}")
            return self.page(request, form=form)
        return self.page(
            request,
            form=None,
            report=report,
            token=kept.token,
            source=source,
            download_media=form.cleaned_data["download_media"],
        )

    def _confirm(self, request: HttpRequest) -> HttpResponse:
        kept = kept_upload(request.POST["token"], user_id=_user_id(request))
        source = request.POST.get("source", "")
        if kept is None or source not in dict(SOURCES):
            messages.error(request, "That upload has expired or is not yours: upload it again.")
            return redirect("admin:importers_importeditem_import")
        try:
            report = _run(
                source, kept.path, dry_run=False, download="download_media" in request.POST
            )
        except UnreadableSource as problem:
            messages.error(request, f"Nothing was imported. {problem}")
            return redirect("admin:importers_importeditem_import")
        finally:
            forget_upload(kept)
        return self.page(request, form=None, report=report, imported=True)


def _run(source: str, path: Any, *, dry_run: bool, download: bool) -> ImportReport:
    from linernotes.importers.service import import_records

    site = read_source(source, path)
    return import_records(site, dry_run=dry_run, download_media=download)


@admin.register(ImportedItem)
class ImportedItemAdmin(admin.ModelAdmin[ImportedItem]):
    list_display = ["key", "kind", "object_id", "origin", "imported_at"]
    list_filter = ["kind", "origin"]
    search_fields = ["key"]
    readonly_fields = ["origin", "kind", "key", "object_id", "digest", "imported_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # items are made by imports

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        page = ImportView.as_view(model_admin=self)
        own = [
            path("import/", self.admin_site.admin_view(page), name="importers_importeditem_import")
        ]
        return own + super().get_urls()

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {**(extra_context or {}), "may_import": ImportView().allowed(request)}
        return super().changelist_view(request, context)


def _user_id(request: HttpRequest) -> int:
    # The admin lets only signed-in staff this far, who always have an id.
    return int(request.user.pk or 0)
