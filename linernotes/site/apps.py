from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "linernotes.site"
    label = "site"
    verbose_name = "Public site"

    def ready(self) -> None:
        # Registers the settings checks with Django's check framework.
        from linernotes.config import checks  # noqa: F401
