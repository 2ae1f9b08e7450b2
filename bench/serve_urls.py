"""The site's URLs with ``/bench-hello/`` in front: the peer of every page in bench/serve.py."""

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world\n", content_type="text/plain")


urlpatterns: list[URLPattern | URLResolver] = [
    path("bench-hello/", hello),
    path("", include("linernotes.config.urls")),
]

handler404 = "linernotes.site.views.not_found"
handler500 = "linernotes.site.views.server_error"
