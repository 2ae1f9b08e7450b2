"""URL wiring: the health check, the admin, media in simple deployments, and the public site
last."""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.static import serve

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("linernotes.operations.urls")),
    path("admin/", admin.site.urls),
]

if settings.LINERNOTES_SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(
        re_path(rf"^{media_prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )

urlpatterns += [
    path("", include("linernotes.seo.urls")),
    path("", include("linernotes.search.urls")),
    path("", include("linernotes.newsletter.urls")),
    path("", include("linernotes.site.urls")),
]

handler404 = "linernotes.site.views.not_found"
handler500 = "linernotes.site.views.server_error"
