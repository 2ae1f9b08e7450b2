from django.urls import path
from django.views.generic import RedirectView

from linernotes.seo import views
from linernotes.seo.feed_content import FeedKind

app_name = "seo"

ATOM, JSON = {"kind": FeedKind.ATOM}, {"kind": FeedKind.JSON}

urlpatterns = [
    # The seed site advertised its feed without the slash.
    path("feed", RedirectView.as_view(pattern_name="seo:feed", permanent=True)),
    path("feed/", views.site_feed, name="feed"),
    path("feed/atom/", views.site_feed, ATOM, name="feed-atom"),
    path("feed/json/", views.site_feed, JSON, name="feed-json"),
    path("category/<slug:slug>/feed/", views.category_feed, name="category-feed"),
    path("category/<slug:slug>/feed/atom/", views.category_feed, ATOM, name="category-feed-atom"),
    path("category/<slug:slug>/feed/json/", views.category_feed, JSON, name="category-feed-json"),
    path("author/<slug:slug>/feed/", views.author_feed, name="author-feed"),
    path("author/<slug:slug>/feed/atom/", views.author_feed, ATOM, name="author-feed-atom"),
    path("author/<slug:slug>/feed/json/", views.author_feed, JSON, name="author-feed-json"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("placeholder/<slug:slug>.png", views.placeholder_png, name="placeholder-png"),
    path("social-image.png", views.site_image, name="site-image"),
    path("logo.png", views.logo, name="logo"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("apple-touch-icon.png", views.touch_icon, name="touch-icon"),
    path("icon-<int:size>.png", views.icon, name="icon"),
    path("site.webmanifest", views.web_manifest, name="web-manifest"),
]
