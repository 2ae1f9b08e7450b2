from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class SiteConfig(AppConfig):
    name = "linernotes.site"
    label = "site"
    verbose_name = "Public site"

    def ready(self) -> None:
        # Registers the settings checks with Django's check framework.
        from linernotes.config import checks  # noqa: F401
        from linernotes.content.media_library import renditions_made
        from linernotes.content.models import Author, Byline, Category, CategoryAlias, Page, Post
        from linernotes.content.signals import posts_changed_in_bulk
        from linernotes.site import editor_preview
        from linernotes.site.freshness import content_changed
        from linernotes.site.previews import register_parts

        # Everything a public page shows comes from these; any change starts a new version
        # of the cached pages.
        for model in (Post, Byline, Category, CategoryAlias, Author, Page):
            for signal in (post_save, post_delete):
                signal.connect(
                    content_changed, sender=model, dispatch_uid=f"site-{model.__name__}-changed"
                )
        m2m_changed.connect(
            content_changed, sender=Post.categories.through, dispatch_uid="site-post-categories"
        )
        posts_changed_in_bulk.connect(content_changed, dispatch_uid="site-posts-changed-in-bulk")
        # Pages list an image's renditions once they are made.
        renditions_made.connect(content_changed, dispatch_uid="site-renditions-made")
        register_parts()
        editor_preview.register()
