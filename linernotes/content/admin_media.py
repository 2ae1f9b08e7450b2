"""The media library in the admin, and the writing screen's image endpoints.

Writers (anyone who may add posts) upload and pick images; a contributor uploading for a post
must be allowed to change that post. Deleting a file takes ``content.delete_mediafile``.
``upload/`` (POST, multipart) and ``library/`` (GET) answer the editor in JSON.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET, require_POST

from linernotes.content import media_library, uploads
from linernotes.content.media_models import MediaFile
from linernotes.content.models import Page, Post
from linernotes.content.renditions import RenditionSet
from linernotes.content.uploads import UploadRefused

THUMBNAIL_WIDTH = 400
LIBRARY_PAGE = 60


class MediaFileUploadForm(ModelForm[MediaFile]):
    """The admin's upload form: the library's rules decide, with their own messages."""

    # A plain file field: the image field's own check would answer SVG and text files with a
    # vaguer message before the library's rules could give the reason.
    file = forms.FileField(
        label="Image",
        help_text=(
            f"JPEG, PNG, GIF, WebP or AVIF, up to "
            f"{filesizeformat(settings.LINERNOTES_MAX_UPLOAD_BYTES)}. Kept exactly as uploaded."
        ),
    )

    class Meta:
        model = MediaFile
        fields = ["file", "alt"]

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        try:
            uploads.check_upload(file, name=file.name or "")
        except UploadRefused as refused:
            raise forms.ValidationError(refused.message, code=refused.code) from None
        return file


class MediaFileAdmin(admin.ModelAdmin[MediaFile]):
    list_display = [
        *("thumbnail", "name", "file_size", "dimensions"),
        *("uploaded_by", "uploaded_at", "use_count"),
    ]
    list_display_links = ["thumbnail", "name"]
    search_fields = ["original_name", "alt"]
    date_hierarchy = "uploaded_at"
    list_per_page = 50
    readonly_fields = ["preview", "markdown_text", "details", "used_in", "made_renditions"]

    def get_fields(self, request: HttpRequest, obj: MediaFile | None = None) -> Any:
        if obj is None:
            return ["file", "alt"]
        return ["preview", "alt", "markdown_text", "details", "used_in", "made_renditions"]

    def get_form(
        self,
        request: HttpRequest,
        obj: MediaFile | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> type[ModelForm[MediaFile]]:
        if obj is None:
            kwargs["form"] = MediaFileUploadForm
        return super().get_form(request, obj, change, **kwargs)

    def get_queryset(self, request: HttpRequest) -> QuerySet[MediaFile]:
        files = super().get_queryset(request).select_related("uploaded_by")
        return media_library.with_use_counts(files)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return uploads.may_upload(request.user)

    def has_view_permission(self, request: HttpRequest, obj: MediaFile | None = None) -> bool:
        return uploads.may_upload(request.user) or super().has_view_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: MediaFile | None = None) -> bool:
        # Writers may describe their own uploads; changing anyone's takes the permission.
        if super().has_change_permission(request, obj):
            return True
        mine = obj is None or obj.uploaded_by_id == request.user.pk
        return uploads.may_upload(request.user) and mine

    def save_model(
        self, request: HttpRequest, obj: MediaFile, form: ModelForm[MediaFile], change: bool
    ) -> None:
        if change:
            obj.save(update_fields=["alt"])
            return
        stored, created = uploads.store_upload(
            form.cleaned_data["file"], by=request.user, alt=obj.alt
        )
        if not created:
            messages.info(request, "This image was already in the media library.")
        # The admin goes on with the object it was given: make it the stored row.
        obj.pk, obj._state.adding = stored.pk, False
        obj.refresh_from_db()

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path(
                "upload/",
                view(require_POST(self.upload_view)),
                name="content_mediafile_upload",
            ),
            path(
                "library/",
                view(require_GET(self.library_view)),
                name="content_mediafile_library",
            ),
            *super().get_urls(),
        ]

    def upload_view(self, request: HttpRequest) -> JsonResponse:
        """An image pasted, dropped or chosen in the editor: the stored file, as JSON."""
        file = request.FILES.get("file")
        try:
            post = _post_named(request.POST.get("post", ""))
            if not uploads.may_upload(request.user):
                raise PermissionDenied("You may not upload images.")
            if file is None:
                raise UploadRefused("Choose an image file to upload.", code="no_file")
            media, created = uploads.store_upload(
                file, by=request.user, post=post, alt=request.POST.get("alt", "")
            )
        except PermissionDenied as refused:
            return JsonResponse({"error": str(refused) or "You may not do this."}, status=403)
        except UploadRefused as refused:
            return JsonResponse({"error": refused.message}, status=refused.status)
        answer = {**media.as_json(), "thumbnail": thumbnail_url(media), "created": created}
        return JsonResponse(answer, status=201 if created else 200)

    def library_view(self, request: HttpRequest) -> JsonResponse:
        """The newest uploads (or those matching ``q``), for the editor's picker."""
        if not self.has_view_permission(request):
            return JsonResponse({"error": "You may not see the media library."}, status=403)
        files = MediaFile.objects.all()
        query = request.GET.get("q", "").strip()
        if query:
            files = files.filter(Q(original_name__icontains=query) | Q(alt__icontains=query))
        found = [
            {**media.as_json(), "thumbnail": thumbnail_url(media)}
            for media in files.order_by("-uploaded_at", "-pk")[:LIBRARY_PAGE]
        ]
        return JsonResponse({"files": found})

    @admin.display(description="image")
    def thumbnail(self, obj: MediaFile) -> SafeString:
        height = round(80 * obj.height / obj.width) if obj.width else 80
        return format_html(
            '<img src="{}" width="80" height="{}" alt="" loading="lazy">',
            thumbnail_url(obj),
            height,
        )

    @admin.display(description="name", ordering="original_name")
    def name(self, obj: MediaFile) -> str:
        return str(obj)

    @admin.display(description="size", ordering="size")
    def file_size(self, obj: MediaFile) -> str:
        return filesizeformat(obj.size)

    @admin.display(description="width × height")
    def dimensions(self, obj: MediaFile) -> str:
        return f"{obj.width} × {obj.height}"

    @admin.display(description="used in", ordering="use_count")
    def use_count(self, obj: MediaFile) -> int:
        return int(getattr(obj, "use_count", 0))

    @admin.display(description="image")
    def preview(self, obj: MediaFile) -> SafeString:
        return format_html(
            '<a href="{}"><img src="{}" width="320" height="{}" alt="{}"></a>',
            obj.url,
            thumbnail_url(obj),
            round(320 * obj.height / obj.width) if obj.width else 320,
            obj.alt,
        )

    @admin.display(description="Markdown")
    def markdown_text(self, obj: MediaFile) -> SafeString:
        return format_html("<code>{}</code>", obj.markdown())

    @admin.display(description="file")
    def details(self, obj: MediaFile) -> SafeString:
        who = obj.uploaded_by.get_username() if obj.uploaded_by else "—"
        return format_html(
            "{} ({}, {} × {} pixels), uploaded by {} as “{}”.<br>SHA-256 {}",
            obj.file.name,
            filesizeformat(obj.size),
            obj.width,
            obj.height,
            who,
            obj.original_name,
            obj.sha256,
        )

    @admin.display(description="used in")
    def used_in(self, obj: MediaFile) -> SafeString:
        uses = list(media_library.uses_of(obj))
        if not uses:
            return SafeString("No post or page shows this image yet.")
        items = ((_admin_url(use), use, _kind(use)) for use in uses)
        return format_html(
            "<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a> ({})</li>', items)
        )

    @admin.display(description="renditions")
    def made_renditions(self, obj: MediaFile) -> str:
        found = RenditionSet.from_json(obj.renditions)
        if found is None:
            return "Not made yet: readers get the original until the worker makes them."
        by_format: dict[str, list[str]] = {}
        for rendition in found.renditions:
            by_format.setdefault(rendition.format, []).append(str(rendition.width))
        made = "; ".join(f"{kind.upper()} {', '.join(sizes)}" for kind, sizes in by_format.items())
        return f"{made or 'none (the original is small)'}; a social card crop"


class MediaLibraryEditorMixin(admin.ModelAdmin[Any]):
    """For the Post and Page admins: the body's editor uploads images pasted or dropped into
    it and picks from the media library (content/editor_images.js)."""

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        body = form.base_fields.get("body")
        if body is not None and uploads.may_upload(request.user):
            body.widget.attrs.update(
                {
                    "data-media-upload-url": reverse("admin:content_mediafile_upload"),
                    "data-media-library-url": reverse("admin:content_mediafile_library"),
                    "data-media-post": str(obj.pk) if isinstance(obj, Post) and obj.pk else "",
                }
            )
        return form

    @property
    def media(self) -> forms.Media:
        return super().media + forms.Media(
            js=["content/editor_images.js"], css={"all": ["content/editor_images.css"]}
        )


def thumbnail_url(media: MediaFile) -> str:
    """A small copy for lists (WebP, which every browser the admin supports shows)."""
    found = RenditionSet.from_json(media.renditions)
    for rendition in found.renditions if found else ():
        if rendition.width == THUMBNAIL_WIDTH and rendition.format == "webp":
            return rendition.url
    return media.url


def _post_named(post_id: str) -> Post | None:
    if not post_id:
        return None
    post = Post.objects.filter(pk=post_id).first() if post_id.isdigit() else None
    if post is None:
        raise UploadRefused("The post this image is for does not exist.", code="no_post")
    return post


def _admin_url(obj: Post | Page) -> str:
    return reverse(f"admin:content_{obj._meta.model_name}_change", args=[obj.pk])


def _kind(obj: Post | Page) -> str:
    return str(obj._meta.verbose_name)
