from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ContentConfig(AppConfig):
    name = "linernotes.content"
    label = "content"
    verbose_name = "Content"

    def ready(self) -> None:
        from linernotes.content import media_library
        from linernotes.content.media_models import MediaFile

        # Renditions of new hero, social and avatar images are made after the save commits.
        for model in media_library.IMAGE_FIELDS:
            post_save.connect(
                media_library.queue_field_renditions,
                sender=model,
                dispatch_uid=f"content-{model.__name__}-renditions",
            )
        post_delete.connect(
            media_library.delete_stored_files, sender=MediaFile, dispatch_uid="content-media-files"
        )
