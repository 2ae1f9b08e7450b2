from django.apps import AppConfig
from django.core.checks import register
from django.db.models.signals import post_delete, post_save, pre_save


class SeoConfig(AppConfig):
    name = "linernotes.seo"
    label = "seo"
    verbose_name = "Feeds, sitemaps and metadata"

    def ready(self) -> None:
        from linernotes.content.models import Post
        from linernotes.seo import checks, receivers
        from linernotes.seo.models import Redirect

        pre_save.connect(receivers.remember_public_address, sender=Post, dispatch_uid="seo-pre")
        post_save.connect(receivers.redirect_moved_post, sender=Post, dispatch_uid="seo-moved")
        register(checks.check_image_settings)
        register(checks.check_twitter_handle)
        for signal in (post_save, post_delete):
            signal.connect(
                receivers.redirect_rules_changed, sender=Redirect, dispatch_uid="seo-rules"
            )
